"""Taking one claimed delivery as far as it goes now: prepare → send → reconcile.

Each step starts from what the row holds, so a worker killed between any two steps leaves
work the next sweep resumes:

==========  ===========================================  =====================================
state       next step                                    a crash here means
==========  ===========================================  =====================================
preparing   gate, render, upload pictures, ``draft/add``  at worst a spare draft in WeChat's box
ready       store ``sending`` + call ``sendall``          nothing sent
sending     (stuck: the worker died in the call)          resent with the same clientmsgid
unknown     ``sendall`` again with the same clientmsgid   WeChat answers 45065 if it went out
accepted    ``mass/get`` (or wait for MASSSENDJOBFINISH)  nothing: the job runs in WeChat
==========  ===========================================  =====================================

No database transaction is open during a call to WeChat: every move commits first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.accounts.actions import client_for
from wxops.editorial import actions as editorial
from wxops.publishing.actions import results
from wxops.publishing.actions.drafting import make_draft, prepare_articles
from wxops.publishing.actions.states import LostDelivery, move, release_lease, renew_lease
from wxops.publishing.actions.uploads import PictureProblem
from wxops.publishing.models import Channel, Delivery, DeliveryArticle, DeliveryState
from wxops.wechat import (
    ClientMsgIdTooFast,
    DuplicateClientMsgId,
    InvalidMedia,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    TransportError,
    WeChatClient,
    WeChatError,
)

logger = logging.getLogger("wxops.publishing")

#: WeChat refuses the same clientmsgid within a minute (45066): ask again after this.
AFTER_UNKNOWN = timedelta(seconds=61)
#: How often an accepted send is asked about (``mass/get``) until it finishes.
POLL_ACCEPTED = timedelta(seconds=60)
#: A send still running after this is probably waiting for an administrator (API 群发保护).
PROTECTION_HINT_AFTER = timedelta(minutes=5)
MAX_BACKOFF = timedelta(minutes=5)
DEFAULT_CUTOFF_MINUTES = 120


def cutoff() -> timedelta:
    """How long after a push's latest send time a send that could not go out is still tried."""
    return timedelta(minutes=getattr(settings, "WXOPS_SEND_CUTOFF_MINUTES", DEFAULT_CUTOFF_MINUTES))  # site/settings.py


@dataclass(frozen=True)
class SendOutcome:
    """What one pass did with one push: the delivery's state afterwards (or the push's, when it
    was held or returned to review before a delivery existed), the reason, WeChat's msg_id."""

    push_id: int
    delivery_id: int | None
    state: str
    reason: str = ""
    msg_id: str = ""


def outcome_of(delivery: Delivery) -> SendOutcome:
    return SendOutcome(delivery.push_id, delivery.pk, delivery.state, delivery.reason, delivery.msg_id)


def _no_checkpoint(step: str) -> None:
    return None


#: Called at each step boundary with the step's name. Tests replace it to play a worker
#: killed there (they raise a BaseException, which nothing here catches).
checkpoint: Callable[[str], None] = _no_checkpoint


def _reached(step: str) -> None:
    checkpoint(step)


def _wait(delivery: Delivery, owner: str, now: datetime, error: WeChatError, *, state=DeliveryState.WAITING) -> None:
    if isinstance(error, RateLimited):  # 45011: per minute; the next minute, not within 1.5 s
        delay = timedelta(seconds=60)
    else:
        delay = min(timedelta(seconds=15) * (2 ** delivery.tries), MAX_BACKOFF)
    move(delivery, state, now=now, owner=owner, tries=delivery.tries + 1, next_attempt_at=now + delay,
         reason=_("WeChat answered “%(error)s”; trying again at %(time)s.") % {
             "error": error, "time": (now + delay).strftime("%H:%M:%S")})


def _describe(error: WeChatError) -> str:
    described = getattr(error, "description", "") or ""
    return f"{described} ({error})" if described else str(error)


def _gate(delivery: Delivery, owner: str, now: datetime) -> bool:
    """Before anything can have gone out: is the push still approved as it stands?"""
    push = delivery.push
    reason = editorial.gate_for_send(push)
    if reason is None:
        return True
    results.hold(delivery, reason, now=now, owner=owner)
    return False


def _prepare(delivery: Delivery, owner: str, now: datetime, client: WeChatClient, *, gated: bool = False) -> None:
    if delivery.send_calls == 0 and not gated and not _gate(delivery, owner, now):
        return
    if delivery.state == DeliveryState.WAITING:
        move(delivery, DeliveryState.PREPARING, now=now, owner=owner)
    renew_lease(delivery, owner, now)
    push, account = delivery.push, delivery.account
    try:
        prepared = prepare_articles(client, account, editorial.sendable_revisions(push), push)
        _reached("uploaded")
        media_id, prepared = make_draft(client, prepared)
    except PictureProblem as problem:
        results.hold(delivery, str(problem), now=now, owner=owner)
        return
    except editorial.PushError as problem:
        results.hold(delivery, str(problem), now=now, owner=owner)
        return
    except WeChatError as error:
        if error.retryable or isinstance(error, TransportError):  # OutcomeUnknown too: a spare draft is harmless
            _wait(delivery, owner, now, error)
        else:
            results.fail(delivery, _("WeChat refused the draft: %(error)s") % {"error": _describe(error)},
                         now=now, owner=owner)
        return
    _reached("drafted")
    with transaction.atomic():
        DeliveryArticle.objects.filter(delivery=delivery).delete()
        store_articles(delivery, prepared)
        move(delivery, DeliveryState.READY, now=now, owner=owner, media_id=media_id, tries=0, reason="",
             next_attempt_at=None)


def store_articles(delivery: Delivery, prepared) -> None:
    """The articles exactly as drafted for ``delivery`` (title, HTML, cover)."""
    DeliveryArticle.objects.bulk_create([
        DeliveryArticle(delivery=delivery, index=p.index, article_id=p.article_id, revision_id=p.revision_id,
                        title=p.draft.title, html=p.draft.content, thumb_media_id=p.draft.thumb_media_id)
        for p in prepared])


def _start_send_call(delivery: Delivery, owner: str, now: datetime) -> None:
    """Store that the send call is being made — committed before the call."""
    move(delivery, DeliveryState.SENDING, now=now, owner=owner, send_calls=delivery.send_calls + 1,
         first_send_call_at=delivery.first_send_call_at or now, last_send_call_at=now, next_attempt_at=None)
    _reached("before_send_call")


def _accepted(delivery: Delivery, owner: str, now: datetime, *, reason: str = "", **ids) -> None:
    move(delivery, DeliveryState.ACCEPTED, now=now, owner=owner, accepted_at=now, tries=0, reason=reason,
         next_attempt_at=now + POLL_ACCEPTED, **ids)


def _send_mass(delivery: Delivery, owner: str, now: datetime, client: WeChatClient) -> None:
    _start_send_call(delivery, owner, now)
    try:
        result = client.mass.send_mpnews(delivery.media_id, clientmsgid=delivery.clientmsgid,
                                         tag_id=delivery.target_tag_id)
    except DuplicateClientMsgId as already:
        _reached("after_send_call")
        _accepted(delivery, owner, now, msg_id=str(already.msg_id or ""),
                  reason=_("WeChat already had this send (45065, same clientmsgid): it was not sent again."))
        return
    except (OutcomeUnknown, ClientMsgIdTooFast) as error:
        move(delivery, DeliveryState.UNKNOWN, now=now, owner=owner, next_attempt_at=now + AFTER_UNKNOWN,
             reason=_("No clear answer from WeChat (%(error)s); asking again with the same clientmsgid after a "
                      "minute, which cannot send twice.") % {"error": error})
        return
    except InvalidMedia as error:
        if delivery.send_calls > 1:  # the first call went out and took the draft with it: draft again, same id
            move(delivery, DeliveryState.PREPARING, now=now, owner=owner, media_id="",
                 reason=_("The draft left WeChat's box after an unanswered send; making it again and asking "
                          "with the same clientmsgid."))
            return
        results.fail(delivery, _("WeChat refused the send: %(error)s") % {"error": _describe(error)},
                     now=now, owner=owner)
        return
    except WeChatError as error:
        if error.retryable or isinstance(error, TransportError):
            _wait(delivery, owner, now, error)
        else:
            results.fail(delivery, _("WeChat refused the send: %(error)s") % {"error": _describe(error)},
                         now=now, owner=owner)
        return
    _reached("after_send_call")
    _accepted(delivery, owner, now, msg_id=str(result.msg_id), msg_data_id=str(result.msg_data_id or ""))


def _send_publish(delivery: Delivery, owner: str, now: datetime, client: WeChatClient) -> None:
    """Publish without notifying (freepublish). No clientmsgid exists for it: after a call
    without an answer, the draft tells — WeChat removes it from the box once published."""
    if delivery.send_calls > 0:
        try:
            client.drafts.get(delivery.media_id)
        except (InvalidMedia, NotFound):
            results.delivered(delivery, now=now, owner=owner, wechat_status="published",
                              reason=_("Published; WeChat's answer was lost, but the draft left the box."))
            return
        except WeChatError as error:
            _wait(delivery, owner, now, error, state=delivery.state)
            return
    _start_send_call(delivery, owner, now)
    try:
        submitted = client.publish.submit(delivery.media_id)
    except OutcomeUnknown as error:
        move(delivery, DeliveryState.UNKNOWN, now=now, owner=owner, next_attempt_at=now + AFTER_UNKNOWN,
             reason=_("No answer from WeChat (%(error)s); checking the draft box before trying again.") % {
                 "error": error})
        return
    except WeChatError as error:
        if error.retryable or isinstance(error, TransportError):
            _wait(delivery, owner, now, error)
        else:
            results.fail(delivery, _("WeChat refused to publish: %(error)s") % {"error": _describe(error)},
                         now=now, owner=owner)
        return
    _reached("after_send_call")
    _accepted(delivery, owner, now, publish_id=submitted.publish_id, msg_data_id=submitted.msg_data_id)


def _reconcile(delivery: Delivery, owner: str, now: datetime, client: WeChatClient) -> None:
    """An accepted job: ask WeChat how it went (in case its callback never arrives)."""
    renew_lease(delivery, owner, now)
    try:
        if delivery.channel == Channel.PUBLISH:
            status = client.publish.get(delivery.publish_id)
            results.publish_finished(delivery.account_id, delivery.publish_id, publish_status=status.publish_status,
                                     urls={a.idx - 1: a.article_url for a in status.articles},
                                     fail_idx=status.fail_idx, now=now)
        elif not delivery.msg_id.isdigit():  # 45065 without the first send's id: WeChat has it, nothing to ask
            results.delivered(delivery, now=now, owner=owner, wechat_status="45065")
        else:
            status = client.mass.get(int(delivery.msg_id))
            if status.status == "SEND_SUCCESS":
                results.delivered(delivery, now=now, owner=owner, wechat_status=status.status)
            elif status.is_final:
                results.fail(delivery, _("WeChat reports the send as %(status)s.") % {"status": status.status},
                             now=now, owner=owner)
    except WeChatError as error:
        logger.warning("delivery %s: could not ask WeChat how the send went: %s", delivery.pk, error)
    delivery.refresh_from_db()
    if delivery.state == DeliveryState.ACCEPTED:
        reason = delivery.reason
        if delivery.accepted_at and now - delivery.accepted_at > PROTECTION_HINT_AFTER:
            reason = _("WeChat is still sending. If the account has API mass-send protection (群发保护), an "
                       "administrator must confirm it in WeChat within 30 minutes.")
        move(delivery, DeliveryState.ACCEPTED, now=now, owner=owner, next_attempt_at=now + POLL_ACCEPTED,
             reason=reason)


def _past_cutoff(delivery: Delivery, now: datetime) -> bool:
    return now > delivery.push.latest_send_at + cutoff()


def work(delivery: Delivery, owner: str, now: datetime, *, client: WeChatClient | None = None,
         gated: bool = False) -> SendOutcome:
    """Take ``delivery`` (whose lease ``owner`` holds) as far as it goes at ``now``; release the lease.

    ``client``: the account's, when the caller has one; ``gated``: the caller passed
    ``gate_for_send`` just before claiming, so the first preparation does not check again.
    """
    _reached("claimed")
    try:
        for _step in range(6):  # prepare, send, and a re-draft after a lost answer at most
            state = delivery.state
            if state not in (DeliveryState.PREPARING, DeliveryState.READY, DeliveryState.WAITING,
                             DeliveryState.SENDING, DeliveryState.UNKNOWN, DeliveryState.ACCEPTED):
                break
            if delivery.next_attempt_at and delivery.next_attempt_at > now:
                break
            if state != DeliveryState.ACCEPTED and _past_cutoff(delivery, now):
                _hold_at_cutoff(delivery, owner, now)
                break
            if client is None:
                try:
                    client = client_for(delivery.account)
                except ValueError as missing:  # the AppSecret was removed meanwhile
                    if delivery.send_calls == 0:
                        results.hold(delivery, str(missing), now=now, owner=owner)
                    break
            if state == DeliveryState.ACCEPTED:
                _reconcile(delivery, owner, now, client)
                break
            if not delivery.media_id:
                _prepare(delivery, owner, now, client, gated=gated)
                gated = False
            elif delivery.channel == Channel.PUBLISH:
                _send_publish(delivery, owner, now, client)
            else:
                _send_mass(delivery, owner, now, client)
            if delivery.state in (DeliveryState.ACCEPTED, DeliveryState.UNKNOWN, DeliveryState.WAITING):
                break
    except LostDelivery:
        delivery.refresh_from_db()
        return outcome_of(delivery)
    release_lease(delivery, owner)
    return outcome_of(delivery)


def _hold_at_cutoff(delivery: Delivery, owner: str, now: datetime) -> None:
    limit = (delivery.push.latest_send_at + cutoff()).astimezone(delivery.push.local_slot.tzinfo)
    if delivery.send_calls == 0:
        reason = _("Not sent: WeChat could not be reached in time (until %(time)s). %(last)s") % {
            "time": limit.strftime("%H:%M"), "last": delivery.reason}
    else:
        reason = _("Stopped at %(time)s without a clear answer from WeChat: the send may have gone out. Check the "
                   "account's 群发记录 before sending again (a new try within 24 hours reuses the same "
                   "clientmsgid, so WeChat refuses a second send).") % {"time": limit.strftime("%H:%M")}
    results.hold(delivery, reason, now=now, owner=owner)
