"""One way to authenticate calls to wxops's JSON/HTTP APIs: ``Authorization: Bearer <token>``.

The tokens are Wagtail's own API tokens (:class:`wagtail.models.APIToken`): one person owns
each, only an HMAC-SHA-256 digest (keyed by ``SECRET_KEY``) is stored, the token is shown
once when created, and a revoked token stays listed. People make and revoke them in the
admin (设置 Settings → API 令牌 API tokens) or with ``wxops apitoken create|list|revoke``.
A caller acts as the token's user, with that user's permissions — the view's action checks
them as for a logged-in person::

    from wxops.core.api_auth import api_token_required

    @api_token_required                      # or @api_token_required(allow_session=True)
    def submit_story(request):
        item = actions.submit(request.user, json.loads(request.body))   # the action checks permissions
        return JsonResponse({"id": item.pk}, status=201)

Answers before the view runs: 401 (JSON ``{"error": …}`` and ``WWW-Authenticate: Bearer``)
without a token, with an unknown or revoked one, or for an inactive user; with
``allow_session=True`` a logged-in admin session is accepted instead, and then Django's
CSRF check applies (403 when it fails) — a token caller needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import APIToken

from wxops.core import clock

#: ``last_used_at`` is written at most this often per token, so busy callers cause few writes.
LAST_USED_INTERVAL_SECONDS = 60

View = Callable[..., HttpResponse]


def bearer_token(request: HttpRequest) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None when the header is absent or another scheme."""
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def token_for(key: str) -> APIToken | None:
    """The active token with this plaintext (its user loaded), or None; notes when it was last used."""
    if not APIToken.validate_token_format(key):
        return None  # cannot exist: spare the database
    token = (APIToken.objects.select_related("user")
             .filter(key_hash__in=APIToken.candidate_key_hashes(key), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    moment = clock.now()
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() >= LAST_USED_INTERVAL_SECONDS:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
    return token


def _unauthorised(message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=401, json_dumps_params={"ensure_ascii": False})
    response["WWW-Authenticate"] = 'Bearer realm="wxops"'
    return response


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF verdict for a session caller (None when it passes)."""
    return CsrfViewMiddleware(lambda req: HttpResponse()).process_view(request, None, (), {})


def api_token_required(view: View | None = None, *, allow_session: bool = False):
    """Decorate a JSON view: the caller must send a valid bearer token (or, if allowed, be logged in).

    ``request.user`` is the token's user; ``request.api_token`` the token (None for a session).
    """

    def decorate(function: View) -> View:
        @csrf_exempt  # token callers carry no CSRF cookie; session callers are checked below
        @wraps(function)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            key = bearer_token(request)
            if key is not None:
                token = token_for(key)
                if token is None:
                    request.user = AnonymousUser()  # a bad token never falls back to a session
                    return _unauthorised(_("This API token is unknown, revoked, or its user is inactive."))
                request.user, request.api_token = token.user, token
                return function(request, *args, **kwargs)
            user = getattr(request, "user", None)
            if allow_session and user is not None and user.is_authenticated and user.is_active:
                refused = _csrf_failure(request)
                if refused is not None:
                    return refused
                request.api_token = None
                return function(request, *args, **kwargs)
            return _unauthorised(_("Send “Authorization: Bearer <token>”. Create a token in the admin under "
                                   "Settings → API tokens, or with: wxops apitoken create --user NAME --name LABEL"))

        return wrapper

    return decorate(view) if view is not None else decorate

