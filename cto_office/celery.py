"""The Celery app. Settings come from Django's, prefixed ``CELERY_`` (Celery docs, "First steps with Django")."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cto_office.settings")

app = Celery("cto_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
