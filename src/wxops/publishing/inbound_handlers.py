"""Publishing's inbound handlers: WeChat's word that a mass send or a publish finished.

Both only write rows (quick, inside the callback's transaction); the push's status moves
through editorial's actions, whose notices go out after commit. A repeated event changes
nothing; an event for a send that is not ours (WeChat's console, a preview) is ignored.
"""

from __future__ import annotations

from wxops.core import inbound
from wxops.publishing.actions import mass_send_finished, publish_finished
from wxops.wechat import MassSendJobFinishEvent, PublishJobFinishEvent

PRIORITY = 100


def _at(item: inbound.InboundItem):
    return item.created_at or item.received_at


@inbound.handler("event:MASSSENDJOBFINISH", priority=PRIORITY)
def on_mass_send_finished(item: inbound.InboundItem) -> None:
    event = item.message
    if not isinstance(event, MassSendJobFinishEvent):
        return
    mass_send_finished(item.account_id, str(event.msg_id), status=event.status, total=event.total_count,
                       filtered=event.filter_count, sent=event.sent_count, errors=event.error_count,
                       urls={a.idx - 1: a.article_url for a in event.article_urls if a.idx >= 1}, now=_at(item))


@inbound.handler("event:PUBLISHJOBFINISH", priority=PRIORITY)
def on_publish_finished(item: inbound.InboundItem) -> None:
    event = item.message
    if not isinstance(event, PublishJobFinishEvent):
        return
    publish_finished(item.account_id, event.publish_id, publish_status=event.publish_status,
                     urls={a.idx - 1: a.article_url for a in event.articles if a.idx >= 1},
                     fail_idx=event.fail_idx, now=_at(item))
