import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
_site = get_wsgi_application()

#: WeChat's callback URL (``interaction.urls``): served by a handler with only the middleware it needs.
CALLBACK_PREFIX = "/wechat/callback/"
#: HTTPS redirect and security headers, host check. Not sessions, CSRF (the view is exempt: the
#: signature is its authentication), users, messages, frame options, static files or login throttling:
#: a callback touches none of them, and under a burst their cost per message counted.
CALLBACK_MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]


class CallbackHandler(WSGIHandler):
    """Django for WeChat's callbacks alone: the same URLs and views, the short middleware chain."""

    def load_middleware(self, is_async=False):
        site_middleware = settings.MIDDLEWARE
        settings.MIDDLEWARE = [name for name in CALLBACK_MIDDLEWARE if name in site_middleware]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site_middleware


from wxops.interaction.fast import make_application  # noqa: E402 - needs Django set up first

#: A callback's POST through the thin WSGI layer (``interaction.fast``); its URL check, other methods
#: and any unusual request through Django with the short chain.
_callbacks = make_application(CALLBACK_PREFIX, CallbackHandler())


def application(environ, start_response):
    """The site; a request to the callback URL goes through :data:`_callbacks`."""
    if environ.get("PATH_INFO", "").startswith(CALLBACK_PREFIX):
        return _callbacks(environ, start_response)
    return _site(environ, start_response)


from wxops.site.warm_up import warm_up  # noqa: E402 - needs the application (Django set up) first

warm_up()
