"""The JSON check API for other systems (and for logged-in staff).

``POST /api/compliance/check`` with ``Authorization: Bearer <token>`` (see ``wxops
compliance token``) or a logged-in admin session, body::

    {"text": "…"}  or  {"html": "<p>…</p>"},  optional "account": "NAME"

answers ``{"verdict": …, "findings": [{rule, clause, severity, start, end, text, message,
suggestion}]}``, the same as ``wxops compliance check --format json``.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wxops.compliance import actions
from wxops.compliance.engine import TextTooLong

MAX_BODY = 12 * 1024 * 1024


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _caller(request):
    """(allowed, bound account or None) for the request's token or session."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = actions.token_for(header[len("Bearer "):].strip())
        return (token is not None), (token.account if token else None)
    user = request.user
    allowed = bool(user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"))
    return allowed, None


# Token callers have no CSRF cookie. The check only reads and answers, so a forged
# cross-site request by a logged-in user could learn nothing it could not already send.
@csrf_exempt
@require_POST
def check_view(request):
    allowed, bound_account = _caller(request)
    if not allowed:
        response = _error(401, _("Send Authorization: Bearer <token> (create one with: wxops compliance token NAME)."))
        response["WWW-Authenticate"] = 'Bearer realm="wxops"'
        return response
    if len(request.body) > MAX_BODY:
        return _error(413, _("The request is larger than 12 MB; check the text in parts."))
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, _("The body must be JSON in UTF-8, like {\"text\": \"…\"}."))
    if not isinstance(payload, dict):
        return _error(400, _("The body must be a JSON object, like {\"text\": \"…\"}."))
    text, html = payload.get("text"), payload.get("html")
    if (text is None) == (html is None) or not isinstance(text if text is not None else html, str):
        return _error(400, _("Give exactly one of \"text\" or \"html\", as a string."))
    account = bound_account
    name = payload.get("account")
    if name is not None:
        from django.apps import apps

        Account = apps.get_model("accounts", "Account")
        named = Account.objects.filter(name=name).first()
        if named is None:
            return _error(400, _("There is no account named %(name)s.") % {"name": name})
        if bound_account is not None and named.pk != bound_account.pk:
            return _error(403, _("This token may only check for its own account."))
        account = named
    try:
        report = actions.check_text(text if text is not None else html, account, html=html is not None)
    except TextTooLong as error:
        return _error(413, str(error))
    return JsonResponse(report.as_dict(), json_dumps_params={"ensure_ascii": False})
