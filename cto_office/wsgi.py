"""WSGI entry point for gunicorn (``gunicorn cto_office.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cto_office.settings")

application = get_wsgi_application()
