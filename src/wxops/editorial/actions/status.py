"""The one writer of ``Push.status``: :func:`transition`, along the declared table."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock
from wxops.editorial.actions.errors import PushError, TransitionError
from wxops.editorial.events import PushEvent, push_events
from wxops.editorial.models import TRANSITIONS, Push, PushStatus

#: The event each arrival status announces (see :mod:`wxops.editorial.events`).
EVENT_OF_STATUS = {
    PushStatus.IN_REVIEW: "submitted",
    PushStatus.APPROVED: "approved",
    PushStatus.CHANGES_REQUESTED: "changes_requested",
    PushStatus.HELD: "held",
    PushStatus.SENDING: "sending",
    PushStatus.SENT: "sent",
    PushStatus.FAILED: "failed",
    PushStatus.CANCELLED: "cancelled",
    PushStatus.DRAFTING: "returned_to_drafting",
}

# Declared with their labels on EditorialConfig.audit_actions.
AUDIT_STATUS = "wxops.editorial.push.status"
AUDIT_ARTICLES = "wxops.editorial.push.articles"
AUDIT_PLAN = "wxops.editorial.push.plan"
AUDIT_REMIND = "wxops.editorial.push.remind"


def transition(push: Push, to_status: str, *, user=None, reason: str = "",
               recipients: tuple[int, ...] = ()) -> Push:
    """Move ``push`` to ``to_status`` if :data:`TRANSITIONS` allows it from its stored status.

    Atomic and race-safe: the move is a compare-and-set on the stored status, so of two
    processes asking for the same move one wins and the other gets :class:`TransitionError`
    (publishing relies on this for ``approved → sending``). Writes the audit log (who, from,
    to, why) and, after commit, announces the matching push event. Updates ``push`` in place
    and returns it. ``recipients`` (user ids) travel with the event; empty: the people
    concerned are worked out by the notifications.
    """
    to_status = PushStatus(to_status)
    with transaction.atomic():
        current = Push.objects.select_for_update().filter(pk=push.pk).values_list("status", flat=True).first()
        if current is None:
            raise PushError(_("This push no longer exists."))
        if to_status not in TRANSITIONS[current]:
            raise TransitionError(_("A push that is %(current)s cannot become %(wanted)s.") % {
                "current": PushStatus(current).label, "wanted": to_status.label})
        moment = clock.now()
        changed = Push.objects.filter(pk=push.pk, status=current).update(
            status=to_status, status_reason=reason, status_changed_at=moment, updated_at=moment)
        if changed != 1:
            raise TransitionError(_("Someone else changed this push at the same moment; reload and try again."))
        push.status, push.status_reason, push.status_changed_at = to_status, reason, moment
        audit.record(push, AUDIT_STATUS, user=user, data={"from": current, "to": to_status.value, "reason": reason})
        name = EVENT_OF_STATUS.get(to_status)
        if name is not None and not (current == PushStatus.PLANNED and to_status == PushStatus.DRAFTING):
            announce(push, name, user=user, reason=reason, recipients=recipients)
    return push


def announce(push: Push, name: str, *, user=None, reason: str = "", recipients: tuple[int, ...] = ()) -> None:
    """Emit the push event ``name`` (after commit) — for news that is not a status change."""
    push_events.emit(PushEvent(name=name, push_id=push.pk, account_id=push.account_id, slot_at=push.slot_at,
                               status=push.status, user_id=getattr(user, "pk", None), reason=reason,
                               recipients=tuple(recipients)))
