"""The review day's clock: remind an hour before the deadline, escalate at it, hold at the slot.

Each function handles the due pushes one at a time, each claimed by a compare-and-set on its
row (``reminded_at`` / ``escalated_at`` from NULL, or the status for a hold), so two workers,
or a task run twice, tell nobody twice. The database rows are the truth; the periodic task
only triggers.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock
from wxops.editorial.actions.errors import TransitionError
from wxops.editorial.actions.status import AUDIT_REMIND, announce, transition
from wxops.editorial.models import Push, PushStatus

logger = logging.getLogger("wxops.editorial.deadlines")

REMIND_BEFORE = timedelta(hours=1)
NOT_SUBMITTED = (PushStatus.PLANNED, PushStatus.DRAFTING, PushStatus.CHANGES_REQUESTED)
NOT_APPROVED = (*NOT_SUBMITTED, PushStatus.IN_REVIEW)


def _claim(push_id: int, column: str, now) -> bool:
    return Push.objects.filter(pk=push_id, **{f"{column}__isnull": True}).update(**{column: now}) == 1


def remind_due(now=None) -> list[int]:
    """Pushes not submitted an hour before their review deadline: the editors are reminded once."""
    now = now or clock.now()
    due = Push.objects.filter(status__in=NOT_SUBMITTED, reminded_at__isnull=True,
                              review_deadline_at__lte=now + REMIND_BEFORE, review_deadline_at__gt=now)
    done = []
    for push in due.order_by("review_deadline_at"):
        with transaction.atomic():
            if not _claim(push.pk, "reminded_at", now):
                continue
            reason = _("Not submitted yet; the review deadline is %(deadline)s.") % {
                "deadline": push.review_deadline_at.astimezone(push.local_slot.tzinfo).strftime("%H:%M")}
            audit.record(push, AUDIT_REMIND, data={"kind": "reminder", "reason": reason})
            announce(push, "reminder", reason=reason)
        done.append(push.pk)
    return done


def escalate_due(now=None) -> list[int]:
    """Pushes not approved at their review deadline: reviewer and administrators are told once."""
    now = now or clock.now()
    due = Push.objects.filter(status__in=NOT_APPROVED, escalated_at__isnull=True,
                              review_deadline_at__lte=now, slot_at__gt=now)
    done = []
    for push in due.order_by("review_deadline_at"):
        with transaction.atomic():
            if not _claim(push.pk, "escalated_at", now):
                continue
            reason = _("Review deadline passed and the push is %(status)s; it will be held at %(slot)s unless "
                       "approved.") % {"status": PushStatus(push.status).label,
                                       "slot": push.local_slot.strftime("%H:%M")}
            audit.record(push, AUDIT_REMIND, data={"kind": "escalation", "reason": reason})
            announce(push, "escalated", reason=reason)
        done.append(push.pk)
    return done


def hold_due(now=None) -> list[int]:
    """Pushes whose slot has come without an approval are held; everyone concerned is told.

    An unapproved push is never sent. If the account allows a late send, a reviewer may still
    approve it until ``latest_send_at``.
    """
    now = now or clock.now()
    held = []
    for push in Push.objects.filter(status__in=NOT_APPROVED, slot_at__lte=now).order_by("slot_at"):
        if push.status == PushStatus.PLANNED and not push.items.exists():
            reason = _("Nothing was planned for this slot.")
        else:
            reason = _("Not approved at %(slot)s (it was %(status)s), so it was not sent.") % {
                "slot": push.local_slot.strftime("%H:%M"), "status": PushStatus(push.status).label}
            if push.latest_send_at > now:
                reason += " " + _("Once approved it may still go out until %(time)s today.") % {
                    "time": push.latest_send_at.astimezone(push.local_slot.tzinfo).strftime("%H:%M")}
        try:
            transition(push, PushStatus.HELD, reason=reason)
        except TransitionError:  # another worker held it, or it was approved a moment ago
            continue
        held.append(push.pk)
    return held
