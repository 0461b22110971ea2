"""Embedded default for a laptop: SQLite under var/, in-process jobs, debug on."""

from .base import *  # noqa: F403
from .base import STORAGES, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
