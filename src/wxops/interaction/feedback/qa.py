"""The Q&A compilation (问答汇编): the period's questions from followers, grouped, with the replies given.

    questions = questions_between(account, start, end)
    groups = group_questions(questions)      # the same question in other words: one group, counted
    write_qa_docx(..., questions, groups), write_qa_xlsx(..., questions, groups)   # in .qa_files

A question is a comment or a text message that asks (？, 吗, 怎么 … — the same rule as
the core issues). The reply given is our reply under the comment, or for a message the first
customer-service message a person sent the follower after it, else the keyword rule's or
the knowledge base's answer; an
acknowledgement (the default reply "已收到", the welcome) does not count as an answer. Followers'
openids are left out of the files: the compilation is read beyond the operations team (they
are only counted, as 提问人数).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from wxops.accounts.times import shown_day
from wxops.core.documents import chinese
from wxops.interaction.models import (
    CustomerServiceReply,
    HandledStatus,
    InboundKind,
    InboundMessage,
    SendStatus,
)
from wxops.interaction.models.feedback import Comment, CommentState

from .clustering import cluster, is_question, question_of, wording
from .windows import ACKNOWLEDGEMENTS, message_answered

TITLE = "问答汇编"
#: At most this many distinct wordings (the most asked) are grouped by meaning; the rest of a very
#: busy period only by their words (greetings, sign-offs, synonyms aside), so grouping stays fast.
MAX_CLUSTERED_TEXTS = 400


@dataclass(frozen=True)
class Question:
    asked_at: dt.datetime
    channel: str  # 留言 or 消息
    text: str
    reply: str
    replied_at: dt.datetime | None
    article: str
    asker: str = ""  # the follower's openid: counted (提问人数), never written out


def questions_between(account, start: dt.datetime, end: dt.datetime) -> list[Question]:
    """Every question of ``[start, end)`` for the account, oldest first."""
    found = []
    for comment in (Comment.objects.filter(account=account, created_at__gte=start, created_at__lt=end)
                    .exclude(state=CommentState.DELETED).select_related("article")):
        if is_question(comment.content):
            found.append(Question(comment.created_at, "留言", comment.content.strip(), comment.reply_content,
                                  comment.replied_at, comment.article.title if comment.article else "",
                                  comment.openid))
    by_person = _people_replies(account, start)
    for message in InboundMessage.objects.filter(account=account, kind=InboundKind.TEXT, received_at__gte=start,
                                                 received_at__lt=end).exclude(content=""):
        if not is_question(message.content):
            continue
        reply, replied_at = _reply_to(message, by_person.get(message.from_openid, []))
        found.append(Question(message.received_at, "消息", message.content.strip(), reply, replied_at, "",
                              message.from_openid))
    return sorted(found, key=lambda q: q.asked_at)


def _people_replies(account, start: dt.datetime) -> dict[str, list[CustomerServiceReply]]:
    """The customer-service messages people sent since ``start``, per follower, oldest first."""
    replies: dict[str, list[CustomerServiceReply]] = {}
    for reply in CustomerServiceReply.objects.filter(account=account, status=SendStatus.SENT,
                                                     created_at__gte=start).order_by("created_at", "id"):
        replies.setdefault(reply.openid, []).append(reply)
    return replies


def _reply_to(message: InboundMessage, people: list[CustomerServiceReply]) -> tuple[str, dt.datetime | None]:
    """A person's first message to the follower after the question; else the keyword or knowledge-base answer."""
    if message.status == HandledStatus.ANSWERED:
        for reply in people:
            if reply.created_at >= message.received_at:
                return reply.text, reply.sent_at or reply.created_at
    if message_answered(message) and message.reply and message.reply_source not in ACKNOWLEDGEMENTS:
        return message.reply, message.received_at
    return "", None


@dataclass(frozen=True)
class QuestionGroup:
    """One question as the director reads it: its askings in other words together, counted.

    ``members`` are indexes into the period's questions; ``number`` is the group's place in the
    compilation (1 = asked most), which the spreadsheet's every question refers to."""

    number: int
    question: str
    members: tuple[int, ...]
    askers: int
    comments: int
    answered: int
    reply: str
    article: str

    @property
    def asked(self) -> int:
        return len(self.members)

    @property
    def unanswered(self) -> int:
        return self.asked - self.answered


def group_questions(questions: list[Question]) -> list[QuestionGroup]:
    """The questions grouped by meaning (the core issues' clustering), most asked first.

    Texts with the same words (greetings, sign-offs, synonyms aside) are one point for the
    clustering, counted as often as they were asked; the :data:`MAX_CLUSTERED_TEXTS` most asked
    of those are clustered, the rest stay one group each — so a busy fortnight costs no more than
    its distinct wordings, and one wording is never split over two groups. Each group is said by
    its most asked text, as a question; its reply is the one given most often.
    """
    wording_of = {text: wording(text) for text in {question.text for question in questions}}
    by_wording: dict[str, list[int]] = {}
    for index, question in enumerate(questions):
        by_wording.setdefault(wording_of[question.text], []).append(index)
    keys = sorted(by_wording, key=lambda key: (-len(by_wording[key]), by_wording[key][0]))
    clustered, rest = keys[:MAX_CLUSTERED_TEXTS], keys[MAX_CLUSTERED_TEXTS:]
    representatives = [questions[by_wording[key][0]].text for key in clustered]
    key_groups = [[clustered[i] for i in group] for group in cluster(representatives)] if clustered else []
    key_groups.extend([key] for key in rest)
    unnumbered = []
    for group in key_groups:
        members = sorted(i for key in group for i in by_wording[key])
        texts = Counter(questions[i].text for i in members)
        typical = max(texts, key=lambda text: (texts[text], -len(text)))
        replies = Counter(questions[i].reply for i in members if questions[i].reply)
        articles = Counter(questions[i].article for i in members if questions[i].article)
        unnumbered.append(QuestionGroup(
            number=0, question=question_of(typical)[:200], members=tuple(members),
            askers=len({questions[i].asker or f"#{i}" for i in members}),
            comments=sum(questions[i].channel == "留言" for i in members),
            answered=sum(1 for i in members if questions[i].reply),
            reply=replies.most_common(1)[0][0] if replies else "",
            article=articles.most_common(1)[0][0] if articles else ""))
    unnumbered.sort(key=lambda group: (-group.asked, group.members[0]))
    return [replace(group, number=number) for number, group in enumerate(unnumbered, start=1)]


def cell_time(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """A spreadsheet's date value: the account's wall-clock time (a cell has no time zone)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def period_text(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """The account days of ``[start, end)`` as a person reads them: 2026年3月2日 至 2026年3月15日."""
    last = (end - dt.timedelta(seconds=1)).astimezone(zone)
    with chinese.language():
        return f"{shown_day(start.astimezone(zone).date())} 至 {shown_day(last.date())}"
