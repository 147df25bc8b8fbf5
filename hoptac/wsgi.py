"""WSGI entry point for gunicorn: `gunicorn hoptac.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
application = get_wsgi_application()
