"""Ahead of the slot: all of a send that does not send — checked, rendered, uploaded, drafted.

While the slot's task waits for its minute (:mod:`~wxops.publishing.actions.slot`), it
prepares each push of that minute: the account's client, ``gate_for_send`` (approval, the
content rules and picture licences on the exact approved revisions), the WeChat HTML, the
pictures and a WeChat draft. At the minute the send then only checks, in one query, that
those revisions are still the approved and latest ones (and the push has no delivery yet),
claims the push with the draft's media_id and calls ``sendall``: on a busy machine the gate
and the rendering took most of a second per push, ten accounts at one minute several
seconds. Anything that changed or failed meanwhile takes the whole way at the minute
(:func:`wxops.publishing.actions.due.send_when_due` without it), which says what is wrong
in words. A draft made ahead and not used is deleted from WeChat's box.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from wxops.accounts.actions import client_for
from wxops.editorial import actions as editorial
from wxops.editorial.models import Push, PushArticle
from wxops.publishing.actions.drafting import PreparedArticle, make_draft, prepare_articles
from wxops.publishing.models import Delivery
from wxops.wechat import WeChatClient, WeChatError

logger = logging.getLogger("wxops.publishing")


@dataclass(frozen=True)
class Ahead:
    """What was made ready for one push: its account's client, and — when the gate passed and
    WeChat took the draft — the approved revisions it was made from, the draft and its articles."""

    push_id: int
    client: WeChatClient
    revision_ids: tuple[int, ...] = ()
    media_id: str = ""
    articles: tuple[PreparedArticle, ...] = ()


def prepare(push: Push) -> Ahead | None:
    """Everything but the send, for ``push``; None without credentials. Never raises: what
    fails here is met again at the minute, and reported there."""
    try:
        client = client_for(push.account)
    except ValueError:
        return None
    try:
        if editorial.account_problems(push.account) or editorial.gate_for_send(push):
            return Ahead(push.pk, client)
        revisions = editorial.sendable_revisions(push)
        media_id, prepared = make_draft(client, prepare_articles(client, push.account, revisions, push))
    except Exception as error:  # noqa: BLE001 - ahead of time; the send says the same in words
        logger.info("push %s: preparing the send ahead failed (%s); it will be prepared at the minute", push.pk, error)
        return Ahead(push.pk, client)
    return Ahead(push.pk, client, tuple(r.pk for r in revisions), media_id, tuple(prepared))


def still_holds(push: Push, ahead: Ahead | None) -> bool:
    """At the minute: was the draft made from the revisions now approved, the articles' latest,
    and is this the push's first delivery? (Its approval is the claim's compare-and-set.)"""
    if ahead is None or not ahead.media_id or ahead.push_id != push.pk:
        return False
    rows = list(PushArticle.objects.filter(push_id=push.pk).order_by("position", "pk")
                .values_list("approved_revision_id", "article__latest_revision_id"))
    return (tuple(approved for approved, _latest in rows) == ahead.revision_ids
            and all(approved == latest for approved, latest in rows)
            and not Delivery.objects.filter(push_id=push.pk).exists())


def discard_unused(ahead: Ahead | None) -> None:
    """Delete the draft made ahead from WeChat's box unless a delivery took it."""
    if ahead is None or not ahead.media_id or Delivery.objects.filter(media_id=ahead.media_id).exists():
        return
    try:
        ahead.client.drafts.delete(ahead.media_id)
    except WeChatError as error:
        logger.info("push %s: the unused draft %s stays in WeChat's box (%s)", ahead.push_id, ahead.media_id, error)
