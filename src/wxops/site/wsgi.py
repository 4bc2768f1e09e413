import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every URL's views now, while the worker boots, so that the first request to a fresh
    worker (often a WeChat callback, which must answer within 5 s) does not pay for them."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - building it imports every urlconf and view module


_warm_up()
