import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
application = get_wsgi_application()

from wxops.site.warm_up import warm_up  # noqa: E402 - needs the application (Django set up) first

warm_up()
