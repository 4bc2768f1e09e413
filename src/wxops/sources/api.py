"""``POST /sources/api/submissions``: staff submissions as JSON, a table of answers.

=======  ============================================================================
status   when
=======  ============================================================================
201      pooled: ``{"blocked": false, "duplicate": false, "findings": [...], "item": {...}}``
200      the very same submission was made before: ``"duplicate": true`` and that item
400      the body is not a JSON object, or a field is missing or wrong (``errors`` per field)
401      no credentials
403      not a member of staff, or (session logins) no CSRF token
405      not a POST
422      the content rules block it: ``{"blocked": true, "findings": [...]}``, nothing stored
=======  ============================================================================

Authenticated by the session (with the CSRF token) or by HTTP Basic — to be replaced by
core's bearer API tokens once they exist.
"""

from __future__ import annotations

import base64
import json

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from wxops.accounts.models import Account

from . import actions


@csrf_exempt  # CSRF is checked below for session logins; HTTP Basic callers carry no cookie
def submit_api(request):
    if request.method != "POST":
        return JsonResponse({"error": "POST a JSON object."}, status=405)
    user = _basic_user(request)
    if user is None:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Log in (session) or send HTTP Basic credentials."}, status=401)
        rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if rejected is not None:
            return JsonResponse({"error": "CSRF token missing or wrong."}, status=403)
        user = request.user
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The body must be a JSON object (UTF-8)."}, status=400)
    account = _account(payload.get("account"))
    if account is None:
        return JsonResponse({"error": "Unknown or missing 'account' (its name or id)."}, status=400)
    try:
        result = actions.submit(user, account, title=str(payload.get("title") or ""),
                                text=str(payload.get("text") or ""), url=str(payload.get("url") or ""),
                                author=str(payload.get("author") or ""))
    except PermissionDenied:
        return JsonResponse({"error": "Only staff members may submit."}, status=403)
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    body = {"blocked": result.blocked, "duplicate": result.duplicate, "findings": result.findings_as_dicts()}
    if result.blocked:
        return JsonResponse(body, status=422)
    item = result.item
    body["item"] = {"id": item.pk, "story": item.story_id, "title": item.title,
                    "category": item.category.name if item.category else None, "confidence": item.confidence,
                    "submitted_at": item.fetched_at.isoformat()}
    return JsonResponse(body, status=200 if result.duplicate else 201)


def _basic_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return authenticate(request, username=username, password=password)


def _account(value) -> Account | None:
    if value is None:
        accounts = list(Account.objects.all()[:2])
        return accounts[0] if len(accounts) == 1 else None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return Account.objects.filter(pk=int(value)).first()
    return Account.objects.filter(name=str(value)).first()
