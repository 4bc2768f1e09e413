"""QR codes through WeChat: asked for after commit, one at a time, retried when it makes sense.

A code row is written first (*pending*), then a task asks WeChat (``qrcode/create``) outside
any transaction and records the ticket and url (*ready*) or the failure in words (*failed*).
Busy, rate-limited or unanswered calls are retried later by themselves; a failure that needs
a person (wrong secret, no permission) waits for the retry button. Asking twice is harmless:
WeChat gives the same scene the same code.

WeChat allows 100,000 permanent codes per account: a request that would pass it is refused,
and from :data:`WARN_AT` on every page that creates codes says how many are left.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.core import audit, clock
from wxops.wechat import OutcomeUnknown, RateLimited, TransportError, WeChatError

from .. import access
from ..models import CODE_TRANSITIONS, Branch, CodeKind, CodeStatus, PromoCode
from . import AUDIT_CODES_REQUESTED

logger = logging.getLogger(__name__)

PERMANENT_LIMIT = 100_000
WARN_AT = 90_000
MAX_CAMPAIGN_DAYS = 30
#: A claimed code whose worker died is claimed again after this long.
CLAIM_TIMEOUT = timedelta(minutes=5)


@dataclass(frozen=True)
class CodeRequest:
    """What :func:`request_codes` did: codes added, and the limit warning (or "")."""

    added: int
    warning: str


def branch_scene(branch: Branch) -> str:
    return f"b:{branch.code}"


def employee_scene(branch: Branch, staff_number: str) -> str:
    return f"b:{branch.code}:e:{staff_number}"


def permanent_count(account: Account) -> int:
    return PromoCode.objects.filter(account=account, kind=CodeKind.PERMANENT).count()


def limit_warning(account: Account, adding: int = 0) -> str:
    """A sentence when the account nears WeChat's limit of permanent codes, else ""."""
    used = permanent_count(account) + adding
    if used < WARN_AT:
        return ""
    return _("%(used)s of WeChat's %(limit)s permanent QR codes are used; %(left)s are left. Use campaign "
             "(temporary) codes for events.") % {"used": used, "limit": PERMANENT_LIMIT,
                                                 "left": max(PERMANENT_LIMIT - used, 0)}


def request_codes(branch: Branch, *, user) -> CodeRequest:
    """Make sure the branch and each of its active employees has a permanent code.

    Raises ValidationError when the account would pass WeChat's limit (nothing is added).
    """
    access.check_manage(user, branch)
    with transaction.atomic():
        wanted = [(branch_scene(branch), None)]
        wanted += [(employee_scene(branch, e.staff_number), e) for e in branch.employees.filter(active=True)]
        existing = set(PromoCode.objects.filter(account=branch.account, scene_str__in=[s for s, _e in wanted])
                       .values_list("scene_str", flat=True))
        missing = [(scene, employee) for scene, employee in wanted if scene not in existing]
        if missing and permanent_count(branch.account) + len(missing) > PERMANENT_LIMIT:
            raise ValidationError(_("WeChat allows %(limit)s permanent QR codes per account; %(count)s more would "
                                    "pass it. Deactivate staff who left or use campaign codes.")
                                  % {"limit": PERMANENT_LIMIT, "count": len(missing)})
        PromoCode.objects.bulk_create([
            PromoCode(account=branch.account, scene_str=scene, kind=CodeKind.PERMANENT, branch=branch,
                      employee=employee) for scene, employee in missing])
        if missing:
            audit.record(branch, AUDIT_CODES_REQUESTED, user=user, data={"added": len(missing)})
            _create_after_commit(branch.account_id)
    return CodeRequest(len(missing), limit_warning(branch.account))


def create_campaign_code(account: Account, *, name: str, days: int, branch: Branch | None = None,
                         user) -> PromoCode:
    """A temporary code (QR_STR_SCENE) for an event, valid ``days`` (1 to 30) from its creation."""
    if branch is None:
        access.check_manage_all(user)
    else:
        access.check_manage(user, branch)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the campaign a name."))
    if not 1 <= days <= MAX_CAMPAIGN_DAYS:
        raise ValidationError(_("A campaign code lasts 1 to %(days)s days (WeChat's limit).")
                              % {"days": MAX_CAMPAIGN_DAYS})
    token = secrets.token_hex(4)
    scene = f"b:{branch.code}:c:{token}" if branch else f"c:{token}"
    with transaction.atomic():
        code = PromoCode.objects.create(account=account, scene_str=scene, kind=CodeKind.TEMPORARY, branch=branch,
                                        campaign=name[:64], lifetime_days=days)
        audit.record(code, AUDIT_CODES_REQUESTED, user=user, data={"campaign": name, "days": days})
        _create_after_commit(account.pk)
    return code


def retry(code: PromoCode, *, user) -> PromoCode:
    """Ask WeChat again now for a failed code."""
    if code.branch_id:
        access.check_manage(user, code.branch)
    else:
        access.check_manage_all(user)
    if code.status != CodeStatus.FAILED:
        return code
    with transaction.atomic():
        PromoCode.objects.filter(pk=code.pk).update(next_attempt_at=clock.now())
        _create_after_commit(code.account_id)
    code.refresh_from_db()
    return code


def _create_after_commit(account_id: int) -> None:
    from ..tasks import create_codes_task

    transaction.on_commit(lambda: create_codes_task.enqueue(account_id))


# -- the worker side --------------------------------------------------------------------------


def due_codes(account_id: int | None = None):
    now = clock.now()
    due = PromoCode.objects.filter(
        Q(status=CodeStatus.PENDING, next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status__in=[CodeStatus.PENDING, CodeStatus.FAILED],
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    return due.filter(account_id=account_id) if account_id else due


def claim(code_id: int) -> bool:
    """Take one due code for this worker (a conditional update: two workers never both win)."""
    now = clock.now()
    return bool(due_codes().filter(pk=code_id).update(claimed_at=now))


def create_due_codes(account_id: int | None = None, *, limit: int = 1000) -> int:
    """Ask WeChat for every due code (of one account); returns how many became ready."""
    ready = 0
    for code_id in list(due_codes(account_id).order_by("pk").values_list("pk", flat=True)[:limit]):
        if claim(code_id):
            ready += ask_wechat(PromoCode.objects.select_related("account").get(pk=code_id))
    return ready


def ask_wechat(code: PromoCode) -> bool:
    """One ``qrcode/create`` call for a claimed code, outside any transaction."""
    from wxops.accounts.actions import client_for

    attempts = code.attempts + 1
    try:
        with client_for(code.account) as client:
            if code.kind == CodeKind.TEMPORARY:
                created = client.qrcodes.create_temporary(code.scene_str, (code.lifetime_days or 1) * 86400)
            else:
                created = client.qrcodes.create_permanent(code.scene_str)
    except WeChatError as error:
        retry_in = _retry_delay(error, attempts)
        message = _failure_words(error, retry_in)
        logger.warning("QR code %s of %s: %s", code.scene_str, code.account.app_id, message)
        set_status(code, CodeStatus.FAILED, attempts=attempts, last_error=message,
                   next_attempt_at=clock.now() + retry_in if retry_in else None)
        return False
    except ValueError as error:  # the client refused to start: no AppSecret configured
        set_status(code, CodeStatus.FAILED, attempts=attempts, next_attempt_at=None,
                   last_error=_("The account cannot call WeChat (%(error)s): set its AppSecret, then press "
                                "Retry.") % {"error": error})
        return False
    now = clock.now()
    set_status(code, CodeStatus.READY, attempts=attempts, ticket=created.ticket, url=created.url, last_error="",
               ready_at=now, next_attempt_at=None,
               expires_at=now + timedelta(seconds=created.expire_seconds) if created.expire_seconds else None)
    return True


def _retry_delay(error: WeChatError, attempts: int) -> timedelta | None:
    if isinstance(error, RateLimited) and not error.retryable:
        return timedelta(hours=1)  # the day's quota: try again later, not in a loop
    if error.retryable or isinstance(error, OutcomeUnknown | TransportError):
        # Asking again is harmless (same scene, same code); back off up to an hour.
        return timedelta(minutes=min(2 ** (attempts - 1), 60))
    return None


def _failure_words(error: WeChatError, retry_in: timedelta | None) -> str:
    text = str(error)
    if retry_in:
        return _("WeChat did not create the code (%(error)s); it is asked again in %(minutes)s minutes.") % {
            "error": text, "minutes": int(retry_in.total_seconds() // 60)}
    return _("WeChat refused the code (%(error)s); fix the cause (the account's AppSecret, IP whitelist or "
             "permissions), then press Retry.") % {"error": text}


def set_status(code: PromoCode, status: CodeStatus, **fields) -> PromoCode:
    """The one writer of ``PromoCode.status`` (checks :data:`CODE_TRANSITIONS`); releases the claim."""
    current = CodeStatus(code.status)
    if status not in CODE_TRANSITIONS[current]:
        raise ValidationError(_("A QR code cannot go from %(from)s to %(to)s.") % {"from": current.label,
                                                                                   "to": status.label})
    fields.update(status=status, claimed_at=None)
    PromoCode.objects.filter(pk=code.pk).update(**fields)
    for name, value in fields.items():
        setattr(code, name, value)
    return code
