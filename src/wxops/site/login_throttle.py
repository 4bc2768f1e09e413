"""The front door: repeated failed logins lock out the user name and the address (django-axes).

After ``WXOPS_LOGIN_FAILURE_LIMIT`` failures (default 5) for one user name, or from one
address, further attempts are refused with 429 and a page in words for
``WXOPS_LOGIN_LOCKOUT_MINUTES`` (default 15); each failure and each lock-out is logged
(logger ``axes``, with the user name and address, never the password) and kept in axes'
tables (admin → 设置 → Access attempts). A successful login clears the user's count.
``wxops axes_reset_username NAME`` or ``wxops axes_reset_ip ADDRESS`` lifts a lock early.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """Checks every login that comes with a request; logins without one (the shell, tests'
    ``client.login``) have no address to throttle and pass through to the next backend."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: ``REMOTE_ADDR``, or behind ``WXOPS_PROXY_COUNT`` trusted proxies (nginx)
    the address the outermost of them saw, from ``X-Forwarded-For`` (anything further left is forgeable)."""
    proxies = getattr(settings, "WXOPS_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
