"""How a delivery ends: delivered, failed or held — the delivery row and the push move together.

Called by the sending steps, by the MASSSENDJOBFINISH / PUBLISHJOBFINISH handlers and by
the sweep's ``mass/get``. The push's status changes only through editorial's actions
(``transition``, ``return_to_review``, ``record_delivery``), which tell people after commit.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wxops.editorial import actions as editorial
from wxops.editorial.actions import TransitionError
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions.states import LostDelivery, move
from wxops.publishing.models import Delivery, DeliveryArticle, DeliveryState

logger = logging.getLogger("wxops.publishing")


def _push_to(push: Push, status: str, reason: str) -> None:
    push.refresh_from_db(fields=["status"])
    if push.status == status:
        return
    try:
        editorial.transition(push, status, reason=reason)
    except TransitionError:  # someone else moved it the same moment; the delivery row still tells
        logger.warning("push %s: could not become %s (it is %s)", push.pk, status, push.status)


def hold(delivery: Delivery, reason: str, *, now: datetime, owner: str | None = None) -> Delivery:
    """Stop before (or, after the cut-off, without knowing whether) anything went out; the push is held."""
    with transaction.atomic():
        move(delivery, DeliveryState.HELD, now=now, owner=owner, reason=reason, finished_at=now,
             next_attempt_at=None)
        _push_to(delivery.push, PushStatus.HELD, reason)
    return delivery


def fail(delivery: Delivery, reason: str, *, now: datetime, owner: str | None = None) -> Delivery:
    """WeChat refused for good: the delivery and the push fail, and everyone concerned is told."""
    with transaction.atomic():
        move(delivery, DeliveryState.FAILED, now=now, owner=owner, reason=reason, finished_at=now,
             next_attempt_at=None)
        _push_to(delivery.push, PushStatus.FAILED, reason)
    return delivery


def delivered(delivery: Delivery, *, now: datetime, owner: str | None = None, reason: str | None = None,
              **fields) -> Delivery:
    """The job finished well: the push is sent; counts (when known) go to the calendar."""
    with transaction.atomic():
        move(delivery, DeliveryState.DELIVERED, now=now, owner=owner, reason=reason,
             finished_at=delivery.finished_at or now, next_attempt_at=None, **fields)
        _push_to(delivery.push, PushStatus.SENT, _("Sent to followers.") if delivery.channel == "mass"
                 else _("Published without notifying followers."))
        if delivery.sent_count is not None:
            editorial.record_delivery(delivery.push, total=delivery.total_count or 0, sent=delivery.sent_count,
                                      errors=delivery.error_count or 0)
    return delivery


def mass_send_finished(account_id: int, msg_id: str, *, status: str, total: int, filtered: int, sent: int,
                       errors: int, urls: dict[int, str], now: datetime) -> Delivery | None:
    """MASSSENDJOBFINISH: record WeChat's counts and article URLs, and finish the delivery.

    Idempotent: a repeated event writes the same numbers. Returns None for a send that is
    not ours (made in WeChat's own console, or a preview).
    """
    delivery = Delivery.objects.select_related("push").filter(account_id=account_id, msg_id=str(msg_id)).first()
    if delivery is None:
        return None
    counts = {"wechat_status": status[:64], "total_count": total, "filter_count": filtered, "sent_count": sent,
              "error_count": errors}
    for index, url in urls.items():
        DeliveryArticle.objects.filter(delivery=delivery, index=index).update(url=url[:1000])
    ok = status.strip().lower().startswith("send success")
    try:
        if delivery.state == DeliveryState.DELIVERED or (delivery.state == DeliveryState.FAILED and not ok):
            Delivery.objects.filter(pk=delivery.pk).update(**counts)
            for name, value in counts.items():
                setattr(delivery, name, value)
            if ok:
                editorial.record_delivery(delivery.push, total=total, sent=sent, errors=errors)
        elif ok:
            delivered(delivery, now=now, **counts)
        else:
            fail(delivery, _("WeChat ended the send with “%(status)s” (%(sent)d of %(total)d reached).") % {
                "status": status, "sent": sent, "total": total}, now=now)
            Delivery.objects.filter(pk=delivery.pk).update(**counts)
    except LostDelivery:  # the sweep finished it a moment ago: only the counts are new
        Delivery.objects.filter(pk=delivery.pk).update(**counts)
        delivery.refresh_from_db()
        if ok and delivery.state == DeliveryState.DELIVERED:
            editorial.record_delivery(delivery.push, total=total, sent=sent, errors=errors)
    return delivery


PUBLISH_FAILURES = {
    2: gettext_lazy("the original-content check failed (原创校验不通过)"),
    3: gettext_lazy("a general failure (常规失败)"),
    4: gettext_lazy("the platform's review rejected it (平台审核不通过)"),
    5: gettext_lazy("every article was deleted after publishing"),
    6: gettext_lazy("WeChat banned every article after publishing"),
}


def publish_finished(account_id: int, publish_id: str, *, publish_status: int, urls: dict[int, str],
                     fail_idx: tuple[int, ...], now: datetime) -> Delivery | None:
    """PUBLISHJOBFINISH or ``freepublish/get``: finish a publish-without-notifying delivery."""
    delivery = Delivery.objects.select_related("push").filter(account_id=account_id, publish_id=publish_id).first()
    if delivery is None or delivery.state not in (DeliveryState.ACCEPTED, DeliveryState.UNKNOWN):
        return delivery
    for index, url in urls.items():
        DeliveryArticle.objects.filter(delivery=delivery, index=index).update(url=url[:1000])
    try:
        if publish_status == 0:
            delivered(delivery, now=now, wechat_status="0")
        elif publish_status != 1:
            why = PUBLISH_FAILURES.get(publish_status, _("status %(code)d") % {"code": publish_status})
            articles = "、".join(str(i) for i in fail_idx)
            reason = _("WeChat did not publish it: %(why)s.") % {"why": why}
            if articles:
                reason += " " + _("Articles concerned: %(list)s.") % {"list": articles}
            fail(delivery, reason, now=now)
    except LostDelivery:
        delivery.refresh_from_db()
    return delivery
