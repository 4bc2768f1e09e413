"""The reviewer reads the push on a phone as followers will: ``message/mass/preview``.

When a push is submitted, each reviewer's preview contact (editorial's ``PreviewContact``:
their openid for this account, else their WeChat id) gets the push exactly as it would be
sent — the same renderer, the same uploaded pictures. The draft made for it is deleted
afterwards so WeChat's draft box keeps only real sends. Nothing reaches followers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wxops.accounts.actions import client_for
from wxops.core import audit
from wxops.editorial import actions as editorial
from wxops.editorial.models import Push
from wxops.editorial.notifications import preview_recipients
from wxops.publishing.actions.drafting import prepare_edited
from wxops.publishing.actions.uploads import PictureProblem
from wxops.wechat import WeChatError

logger = logging.getLogger("wxops.publishing")

AUDIT_PREVIEW = "wxops.publishing.preview"


@dataclass(frozen=True)
class PreviewResult:
    """One preview: to whom (a WeChat id or an openid), and the problem in words if it failed."""

    recipient: str
    error: str = ""


def send_previews(push: Push) -> list[PreviewResult]:
    """Send the push as last edited to every reviewer's WeChat; returns what happened per person.

    Never raises for WeChat's or the push's problems: they are returned and audit-logged.
    """
    contacts = preview_recipients(push)
    if not contacts:
        return []
    try:
        client = client_for(push.account)
        items = push.items.select_related("article").order_by("position", "pk")
        prepared = prepare_edited(client, push.account, [(editorial.as_edited(item.article),
                                                          item.article.latest_revision_id) for item in items], push)
        media_id = client.drafts.add([p.draft for p in prepared])
    except (ValueError, PictureProblem, WeChatError) as problem:  # ValueError: no AppSecret
        results = [PreviewResult(str(contact), _("No preview: %(problem)s") % {"problem": problem})
                   for contact in contacts]
        _record(push, results)
        return results
    results = []
    for contact in contacts:
        try:
            if contact.openid and contact.account_id == push.account_id:
                client.mass.preview(media_id, touser=contact.openid)
            else:
                client.mass.preview(media_id, towxname=contact.wechat_id)
            results.append(PreviewResult(str(contact)))
        except WeChatError as error:
            results.append(PreviewResult(str(contact), str(error)))
    try:
        client.drafts.delete(media_id)
    except WeChatError as error:  # a leftover preview draft is untidy, not wrong
        logger.warning("push %s: could not delete the preview draft %s: %s", push.pk, media_id, error)
    _record(push, results)
    return results


def _record(push: Push, results: list[PreviewResult]) -> None:
    for result in results:
        if result.error:
            logger.warning("push %s: WeChat preview to %s failed: %s", push.pk, result.recipient, result.error)
    audit.record(push, AUDIT_PREVIEW, data={"sent": [r.recipient for r in results if not r.error],
                                            "failed": {r.recipient: r.error for r in results if r.error}})
