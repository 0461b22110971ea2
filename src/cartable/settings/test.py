"""Hermetic test settings: fast hashing, in-memory mail, in-process jobs."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if "DATABASE_URL" not in os.environ:
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test.sqlite3")
    # One file per test process, so that parallel runs never share a test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-run-{os.getpid()}.sqlite3")}
AXES_ENABLED = True
