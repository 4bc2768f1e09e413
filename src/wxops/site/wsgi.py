import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Import every URL's views now, at boot (once in gunicorn's master with --preload), so that the
    first request to a fresh worker (often a WeChat callback, which must answer within 5 s) does not
    pay for them."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 - building it imports every urlconf and view module
    # Under gunicorn --preload this runs in the master before it forks: no worker may inherit a
    # database connection (SQLite's locks are per process; a PostgreSQL socket cannot be shared).
    connections.close_all()


_warm_up()
