"""The minute's sweep: start every push that is due, resume every delivery left half-way.

Safe to call at any time, repeatedly and from several processes at once: a push is claimed
by editorial's compare-and-set ``approved → sending`` (one worker wins) together with its
:class:`~wxops.publishing.models.Delivery` row; a delivery is worked by whoever holds its
lease, and a lease left by a killed worker runs out and is taken over by the next sweep.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wxops.core import audit, clock
from wxops.editorial import actions as editorial
from wxops.editorial.actions import TransitionError
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import timers
from wxops.publishing.actions.ahead import Ahead, still_holds
from wxops.publishing.actions.sending import SendOutcome, cutoff, outcome_of, store_articles, work
from wxops.publishing.actions.states import LEASE, clientmsgid_for, move, new_owner, take_lease
from wxops.publishing.models import ACTIVE, Channel, Delivery, DeliveryState

logger = logging.getLogger("wxops.publishing")

AUDIT_CLAIMED = "wxops.publishing.delivery.claimed"


def delivery_for(push: Push) -> Delivery | None:
    """The delivery of ``push`` (how it went out, or is going out), or None before its slot."""
    return Delivery.objects.filter(push_id=push.pk).first()


def run_due_sends(now: datetime | None = None) -> list[SendOutcome]:
    """Send every push due at ``now`` (default: the clock) and resume every unfinished delivery.

    Due: ``approved``, ``slot_at <= now``, and not past ``latest_send_at`` plus the cut-off
    (``WXOPS_SEND_CUTOFF_MINUTES``). Unapproved pushes are editorial's: its deadline task
    holds them at the slot. Each push is re-checked with ``gate_for_send`` on the exact
    approved revisions; one that fails is held (or, when an article changed after approval,
    sent back to review) with the reason in words. Returns one outcome per push handled.
    """
    now = now or clock.now()
    owner = new_owner()
    outcomes: list[SendOutcome] = []
    running = timers.running_minutes()  # their runner sends them side by side, this minute
    for push in Push.objects.filter(status=PushStatus.APPROVED, slot_at__lte=now).exclude(slot_at__in=running) \
            .select_related("account").order_by("slot_at", "pk"):
        try:
            outcome = _start(push, owner, now)
        except Exception:  # one broken push must not stop the others
            logger.exception("push %s: could not start its send", push.pk)
            continue
        if outcome is not None:
            outcomes.append(outcome)
    resumable = Delivery.objects.filter(state__in=ACTIVE).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)).select_related("push", "account").order_by("pk")
    for delivery in resumable:
        if not take_lease(delivery, owner, now):
            continue  # another worker took it a moment ago
        try:
            outcomes.append(work(delivery, owner, now))
        except Exception:
            logger.exception("delivery %s: could not go on", delivery.pk)
    return outcomes


def send_when_due(push_id: int, now: datetime | None = None, *, ahead: Ahead | None = None
                  ) -> SendOutcome | None:
    """Send one push now if it is due (its slot's task); None when it is not, or another worker
    has it. ``ahead``: what its slot's task prepared for it before the minute (the draft is
    used if it still holds). The minute's :func:`run_due_sends` remains the safety net."""
    now = now or clock.now()
    push = Push.objects.filter(pk=push_id, status=PushStatus.APPROVED, slot_at__lte=now) \
        .select_related("account").first()
    return _start(push, new_owner(), now, ahead) if push is not None else None


def _refuse(push: Push, reason: str) -> SendOutcome | None:
    """Before anything was claimed: hold the push, or send it back to review when it changed."""
    try:
        if editorial.changed_since_approval(push):
            editorial.return_to_review(push, reason=reason)
        else:
            editorial.transition(push, PushStatus.HELD, reason=reason)
    except TransitionError:
        return None
    return SendOutcome(push.pk, None, push.status, reason)


def _start(push: Push, owner: str, now: datetime, ahead: Ahead | None = None) -> SendOutcome | None:
    if now > push.latest_send_at + cutoff():
        return _refuse(push, _("Not sent: approved, but nothing sent it by %(time)s (were the workers "
                               "running?).") % {"time": push.latest_send_at.astimezone(
                                   push.local_slot.tzinfo).strftime("%H:%M")})
    if still_holds(push, ahead):  # checked and drafted before the minute, from these very revisions
        revision_ids = list(ahead.revision_ids)
    else:
        ahead = None if ahead is None else Ahead(ahead.push_id, ahead.client)  # its client only
        reason = " ".join(editorial.account_problems(push.account)) or editorial.gate_for_send(push)
        if reason:
            return _refuse(push, reason)
        revision_ids = [r.pk for r in editorial.sendable_revisions(push)]
    clientmsgid = clientmsgid_for(push.account.app_id, push.slot_at, [push.pk, *revision_ids])
    try:
        with transaction.atomic():
            editorial.transition(push, PushStatus.SENDING, reason=_("The slot came; sending."))
            delivery = _claim_row(push, clientmsgid, owner, now, ahead)
    except TransitionError:
        return None  # another worker claimed it (or someone moved it) a moment ago
    return work(delivery, owner, now, client=ahead.client if ahead else None, gated=True)


def _claim_row(push: Push, clientmsgid: str, owner: str, now: datetime, ahead: Ahead | None) -> Delivery:
    lease = {"lease_owner": owner, "lease_until": now + LEASE}
    channel = Channel.MASS if push.notify_followers else Channel.PUBLISH
    delivery = Delivery.objects.select_for_update().filter(push=push).first()
    if delivery is None:
        drafted = ahead is not None and bool(ahead.media_id)  # the draft made ahead: ready to send
        delivery = Delivery.objects.create(push=push, account=push.account, channel=channel,
                                           state=DeliveryState.READY if drafted else DeliveryState.PREPARING,
                                           media_id=ahead.media_id if drafted else "",
                                           target_tag_id=push.target_tag_id,
                                           clientmsgid=clientmsgid, claimed_at=now, state_changed_at=now, **lease)
        if drafted:
            store_articles(delivery, ahead.articles)
        audit.record(delivery, AUDIT_CLAIMED, data={"clientmsgid": clientmsgid, "channel": channel,
                                                    "drafted_ahead": drafted})
        return delivery
    # Held earlier and approved again (a late send): start over. Once a send call was made,
    # the clientmsgid and channel stay, so WeChat still recognises the first send.
    fresh = {} if delivery.send_calls else {"clientmsgid": clientmsgid, "channel": channel,
                                            "target_tag_id": push.target_tag_id}
    Delivery.objects.filter(pk=delivery.pk).update(**lease, **fresh)
    for name, value in {**lease, **fresh}.items():
        setattr(delivery, name, value)
    move(delivery, DeliveryState.PREPARING, now=now, owner=owner, reason="", media_id="", next_attempt_at=None,
         tries=0, finished_at=None, claimed_at=now)
    audit.record(delivery, AUDIT_CLAIMED, data={"clientmsgid": delivery.clientmsgid, "again": True})
    return delivery


__all__ = ["delivery_for", "outcome_of", "run_due_sends", "send_when_due"]
