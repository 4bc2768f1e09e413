"""Tells the article list (``materials.article_status``) where articles stand in pushes:
in a push under review → in review; in an approved push waiting for its slot (or sending) →
scheduled; in a sent push → sent. Registered in ``EditorialConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from wxops.editorial.models import PushArticle, PushStatus
from wxops.materials.article_status import RANK, ArticleStatus

FROM_PUSH = {
    PushStatus.IN_REVIEW: ArticleStatus.IN_REVIEW,
    PushStatus.APPROVED: ArticleStatus.SCHEDULED,
    PushStatus.SENDING: ArticleStatus.SCHEDULED,
    PushStatus.SENT: ArticleStatus.SENT,
}


def push_statuses(article_ids: Iterable[int] | None) -> dict[int, str]:
    items = PushArticle.objects.filter(push__status__in=list(FROM_PUSH))
    if article_ids is not None:
        items = items.filter(article_id__in=list(article_ids))
    found: dict[int, ArticleStatus] = {}
    for article_id, push_status in items.values_list("article_id", "push__status"):
        status = FROM_PUSH[PushStatus(push_status)]
        if article_id not in found or RANK[status] > RANK[found[article_id]]:
            found[article_id] = status
    return found
