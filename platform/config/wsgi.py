import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()

# Import both URLconfs now (and with them every view, serializer and schema module), then move
# everything loaded so far out of the garbage collector's reach: those objects live as long as
# the process, and a full collection that walks them all paused a request for ~150 ms; it takes
# ~20 ms once they are frozen (docs/performance.md).
for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
    import_module(urlconf)
gc.freeze()
