"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules: ~75,000 objects) lives as long
# as the worker. Frozen, it is left out of the cyclic collector's full passes, which
# otherwise walk it again and again while a roster import allocates millions of
# short-lived objects (0.3 s of a 100,000-row preview). The collector still runs for
# everything made after this line.
gc.freeze()
