"""Production: PostgreSQL, Celery on Redis, hardened cookies. Secrets come from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if os.environ.get("DJANGO_SECRET_KEY") is None:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
