"""wxops's own data the analysis joins with WeChat's figures, from the apps that own it:
publishing's deliveries, interaction's messages, comments and feedback windows, promotion's
attributed followers (analytics sits above them all: plain downward imports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from wxops.interaction.models import Comment, CoreIssue, FeedbackItem, InboundKind, InboundMessage
from wxops.promotion.models import Follower
from wxops.publishing.models import Delivery


@dataclass(frozen=True)
class Question:
    """A message followers wrote, how often, and the reply when one is known."""

    text: str
    count: int
    reply: str = ""


def sent_message_ids(push_ids: list[int]) -> dict[int, int]:
    """push id → WeChat's msg_data_id, from publishing's deliveries."""
    if not push_ids:
        return {}
    return dict(Delivery.objects.filter(push_id__in=push_ids, msg_data_id__isnull=False)
                .values_list("push_id", "msg_data_id"))


def message_count(account, start: dt.datetime, end: dt.datetime) -> int:
    """Text and other messages followers wrote in ``[start, end)``."""
    return InboundMessage.objects.filter(account=account, received_at__gte=start, received_at__lt=end,
                                         kind__in=MESSAGE_KINDS).count()


MESSAGE_KINDS = (InboundKind.TEXT, InboundKind.IMAGE, InboundKind.VOICE, InboundKind.VIDEO,
                 InboundKind.SHORT_VIDEO, InboundKind.LOCATION, InboundKind.LINK)


def asked_questions(account, start: dt.datetime, end: dt.datetime, limit: int = 10) -> list[Question]:
    """The questions followers asked most in ``[start, end)`` — comments and messages, grouped as
    interaction's Q&A compilation groups them (a typical wording, how many asked, the reply given
    most often)."""
    from wxops.interaction.feedback import qa  # scikit-learn and jieba: loaded only when a report asks

    groups = qa.group_questions(qa.questions_between(account, start, end))
    return [Question(group.question, group.asked, group.reply) for group in groups[:limit]]


def comment_counts(account, start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    """push id → comments synced from WeChat in the period."""
    return dict(Comment.objects.filter(push__account=account, created_at__gte=start, created_at__lt=end)
                .values("push_id").annotate(n=Count("id")).values_list("push_id", "n"))


def feedback_counts(account, push_ids: list[int]) -> dict[int, int]:
    """push id → feedback items of its 24-hour window."""
    return dict(FeedbackItem.objects.filter(push_id__in=push_ids).values("push_id").annotate(n=Count("id"))
                .values_list("push_id", "n"))


def feedback_themes(account, start: dt.datetime, end: dt.datetime, limit: int = 8) -> list[tuple[str, int]]:
    """The core issues (title, volume) found in the period's feedback windows, the largest first."""
    rows = CoreIssue.objects.filter(account=account, created_at__gte=start, created_at__lt=end)
    return list(rows.order_by("-volume", "title").values_list("title", "volume")[:limit])


@dataclass(frozen=True)
class BranchGrowth:
    branch: str
    new: int
    lost: int

    @property
    def net(self) -> int:
        return self.new - self.lost


def growth_by_branch(account, start: dt.datetime, end: dt.datetime) -> list[BranchGrowth]:
    """New and lost followers per branch (first touch, promotion's attribution)."""
    rows = (Follower.objects.filter(account=account)
            .values("branch__name")
            .annotate(new=Count("id", filter=Q(first_subscribed_at__gte=start, first_subscribed_at__lt=end)),
                      lost=Count("id", filter=Q(first_unsubscribed_at__gte=start, first_unsubscribed_at__lt=end))))
    result = [BranchGrowth(row["branch__name"] or "", row["new"], row["lost"]) for row in rows
              if row["new"] or row["lost"]]
    return sorted(result, key=lambda g: (-g.net, g.branch))
