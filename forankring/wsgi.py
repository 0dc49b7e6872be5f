import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forankring.settings")
application = get_wsgi_application()

# Serve only a database that is there and migrated: a missing SQLite file would otherwise be
# created empty on the first request, and every sign-in would then fail with "no such table".
from forankring.core.health import refuse_to_start_unhealthy  # noqa: E402  (needs the apps loaded)

refuse_to_start_unhealthy()
