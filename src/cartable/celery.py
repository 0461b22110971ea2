"""Celery application: a worker pool on Redis when CELERY_BROKER_URL is set, else in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cartable.settings.dev")
app = Celery("cartable")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
