"""The JSON check API for other systems (and for logged-in staff).

``POST /api/compliance/check`` with ``Authorization: Bearer <token>`` — wxops's one API
token (:mod:`wxops.core.api_auth`: per user, created and revoked in the admin under
Settings → API tokens or with ``wxops apitoken create``) — or a logged-in admin session;
the caller needs admin access (``wagtailadmin.access_admin``). Body::

    {"text": "…"}  or  {"html": "<p>…</p>"},  optional "account": "NAME"

answers ``{"verdict": …, "findings": [{rule, clause, severity, start, end, text, message,
suggestion}]}``, the same as ``wxops compliance check --format json`` (for HTML also
``"text"``: the extracted text the offsets point into).
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wxops.compliance import actions
from wxops.compliance.engine import TextTooLong
from wxops.core.api_auth import api_token_required

MAX_BODY = 12 * 1024 * 1024


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@require_POST
@api_token_required(allow_session=True)
def check_view(request):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        return _error(403, _("This API needs a user with access to the admin."))
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
    account = None
    name = payload.get("account")
    if name is not None:
        from django.apps import apps

        account = apps.get_model("accounts", "Account").objects.filter(name=name).first()
        if account is None:
            return _error(400, _("There is no account named %(name)s.") % {"name": name})
    try:
        report = actions.check_text(text if text is not None else html, account, html=html is not None)
    except TextTooLong as error:
        return _error(413, str(error))
    answer = report.as_dict()
    if html is not None:
        answer["text"] = report.text
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
