"""``POST /sources/api/submissions``: staff submissions as JSON, a table of answers.

=======  ============================================================================
status   when
=======  ============================================================================
201      pooled: ``{"blocked": false, "duplicate": false, "findings": [...], "item": {...}}``
200      the very same submission was made before: ``"duplicate": true`` and that item
202      a link alone (``url``, no ``text``): queued for the worker, which fetches it safely;
         ``{"queued": true, "attempt": id, "state": "queued", "progress": "/admin/…"}``
400      the body is not a JSON object, or a field is missing or wrong (``errors`` per field)
401      no bearer token, or an unknown or revoked one (see ``wxops.core.api_auth``)
403      not a member of staff, or (session logins) no CSRF token
405      not a POST
422      the content rules block it: ``{"blocked": true, "findings": [...]}``, nothing stored
=======  ============================================================================

Authenticated like every wxops API: ``Authorization: Bearer <token>`` (core's per-user API
tokens, made in the admin or with ``wxops apitoken create``), or a logged-in admin session
with its CSRF token. The caller acts as the token's user: the action checks that they are
staff.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import reverse

from wxops.accounts.models import Account
from wxops.core.api_auth import api_token_required

from . import actions


@api_token_required(allow_session=True)
def submit_api(request):
    if request.method != "POST":
        return JsonResponse({"error": "POST a JSON object."}, status=405)
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
    text, url = str(payload.get("text") or ""), str(payload.get("url") or "")
    if url and not text.strip():
        return _submit_link(user, account, url)
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


def _submit_link(user, account, url: str) -> JsonResponse:
    """A link alone: queued for the worker; 202 with where to follow it."""
    try:
        attempt = actions.request_link(user, account, url, submitted=True)
    except PermissionDenied:
        return JsonResponse({"error": "Only staff members may submit."}, status=403)
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    progress = reverse("sources_poll_progress", args=[attempt.source_id, attempt.pk])
    return JsonResponse({"queued": True, "attempt": attempt.pk, "url": attempt.url, "state": attempt.state,
                         "progress": progress}, status=202)


def _account(value) -> Account | None:
    if value is None:
        accounts = list(Account.objects.all()[:2])
        return accounts[0] if len(accounts) == 1 else None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return Account.objects.filter(pk=int(value)).first()
    return Account.objects.filter(name=str(value)).first()
