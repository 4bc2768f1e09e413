"""Actions on feedback windows: open one per sent push, link its feedback, close it after 24 hours.

    window = windows.open_window(push, SentPush(msg_data_id, sent_at))
    windows.link_feedback(window)            # its comments and the followers' messages of the 24 hours
    windows.close_due_windows()              # the periodic task: claim, sync, analyse, document, close

Closing is claimed one window at a time (a conditional update OPEN → CLOSING); a window
left CLOSING by a worker that died is re-claimed by the sweep after ``STALE_CLAIM``. Every
step of a close is idempotent — the core issues of a window are replaced, its document is
made once and e-mailed once — so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wxops.core import audit, clock
from wxops.editorial.models import Push, PushStatus
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.interaction.models.feedback import (
    WINDOW_TRANSITIONS,
    Comment,
    CommentState,
    CoreIssue,
    FeedbackItem,
    FeedbackSource,
    FeedbackWindow,
    WindowState,
)

from . import comments as comment_actions
from .clustering import Feedback, find_core_issues
from .sent import SentPush, reach_of, sent_push
from .suggestions import suggested_action

logger = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=24)
STALE_CLAIM = dt.timedelta(minutes=15)
#: How far back the opener looks for sent pushes without a window.
LOOKBACK = dt.timedelta(days=2)
MESSAGE_KINDS = (InboundKind.TEXT, InboundKind.VOICE)


def open_window(push: Push, sent: SentPush) -> FeedbackWindow:
    """The push's window (created once): ``sent.sent_at`` to 24 hours later. Idempotent."""
    window, created = FeedbackWindow.objects.get_or_create(push=push, defaults={
        "account_id": push.account_id, "msg_data_id": sent.msg_data_id, "opens_at": sent.sent_at,
        "closes_at": sent.sent_at + WINDOW, "reach": push.delivery_sent})
    if created:
        audit.record(window, "wxops.feedback.opened")
    return window


def open_windows(now: dt.datetime | None = None) -> list[FeedbackWindow]:
    """Open a window for every push sent lately that has none (publishing says when and with which msg_data_id)."""
    now = now or clock.now()
    opened = []
    # SENDING too: the push may still wait for WeChat's MASSSENDJOBFINISH while its window already runs
    pushes = (Push.objects.filter(status__in=[PushStatus.SENDING, PushStatus.SENT], feedback_window__isnull=True)
              .filter(Q(status_changed_at__gte=now - LOOKBACK) | Q(status_changed_at__isnull=True, slot_at__gte=now - LOOKBACK)))
    for push in pushes.select_related("account"):
        sent = sent_push(push)
        if sent is not None:
            opened.append(open_window(push, sent))
    return opened


def _transition(window: FeedbackWindow, to: WindowState, **changes) -> bool:
    """Move the window along the table; False when another worker moved it first."""
    current = WindowState(window.state)
    if to not in WINDOW_TRANSITIONS[current]:
        raise ValidationError(_("A feedback window that is “%(current)s” cannot become “%(new)s”.")
                              % {"current": current.label, "new": to.label})
    match = {"pk": window.pk, "state": window.state}
    if current == WindowState.CLOSING:
        match["claimed_at"] = window.claimed_at
    updated = FeedbackWindow.objects.filter(**match).update(state=to, **changes)
    if updated:
        window.state = to
        for name, value in changes.items():
            setattr(window, name, value)
    return bool(updated)


def claim_due_window(now: dt.datetime | None = None) -> FeedbackWindow | None:
    """Claim one window to close: past its 24 hours, or left closing by a worker that died."""
    now = now or clock.now()
    due = (FeedbackWindow.objects.filter(state=WindowState.OPEN, closes_at__lte=now)
           | FeedbackWindow.objects.filter(state=WindowState.CLOSING, claimed_at__lte=now - STALE_CLAIM))
    for window in due.order_by("closes_at")[:20]:
        if _transition(window, WindowState.CLOSING, claimed_at=now):
            return window
    return None


def link_feedback(window: FeedbackWindow) -> int:
    """Link the push's comments and the messages of the 24 hours to the window; answers how many are new.

    A message belongs to the latest push sent before it: when another push of the account
    went out inside this window, messages after it are that push's feedback. A comment is
    the push's whatever else was sent, but only one written before ``closes_at``: the
    closing round's last sync runs later and reads the comments written since, and which
    of those got in would depend on when the worker ran.
    """
    later = (FeedbackWindow.objects.filter(account_id=window.account_id, opens_at__gt=window.opens_at,
                                           opens_at__lt=window.closes_at).order_by("opens_at")
             .values_list("opens_at", flat=True).first())
    until = min(window.closes_at, later) if later else window.closes_at
    items = [FeedbackItem(window=window, push_id=window.push_id, article_id=c.article_id,
                          source=FeedbackSource.COMMENT, comment=c, text=c.content, openid=c.openid,
                          written_at=c.created_at)
             for c in Comment.objects.filter(push_id=window.push_id, created_at__lt=window.closes_at,
                                             feedback_item__isnull=True)]
    messages = InboundMessage.objects.filter(
        account_id=window.account_id, kind__in=MESSAGE_KINDS, received_at__gte=window.opens_at,
        received_at__lt=until, feedback_item__isnull=True).exclude(content="")
    titles = article_titles(window)
    items += [FeedbackItem(window=window, push_id=window.push_id, source=FeedbackSource.MESSAGE, inbound=m,
                           article_id=article_named(m.content, titles), text=m.content, openid=m.from_openid,
                           written_at=m.received_at) for m in messages]
    FeedbackItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


#: A title shorter than this (folded) is too common a phrase to tell which article a message is about.
MIN_TITLE_CHARS = 4


def _fold(text: str) -> str:
    """NFKC, case folded, without spaces, punctuation or symbols: 《社保基数 调整通知》 → 社保基数调整通知."""
    return "".join(char for char in unicodedata.normalize("NFKC", text).casefold()
                   if unicodedata.category(char)[0] not in "PSZC")


def article_titles(window: FeedbackWindow) -> list[tuple[int, str]]:
    """(article id, folded title) of the push's articles."""
    rows = window.push.items.exclude(article=None).values_list("article_id", "article__title")
    return [(pk, _fold(title or "")) for pk, title in rows]


def article_named(text: str, titles: list[tuple[int, str]]) -> int | None:
    """The article whose whole title the message names, or None.

    WeChat does not say which article a message answers; the one honest signal in a message
    is the title itself, quoted or typed (spaces and punctuation aside). Several named: the
    longest title (the others are then parts of it); two of that length: none.
    """
    folded = _fold(text)
    named = [(len(title), pk) for pk, title in titles if len(title) >= MIN_TITLE_CHARS and title in folded]
    if not named:
        return None
    longest = max(length for length, _pk in named)
    chosen = {pk for length, pk in named if length == longest}
    return chosen.pop() if len(chosen) == 1 else None


#: Passive replies that acknowledge without answering (``inbound.Reply.source`` of interaction's fall-backs).
ACKNOWLEDGEMENTS = frozenset({"default reply", "welcome"})


def message_answered(message: InboundMessage) -> bool:
    """A reply answered it: a keyword rule or the knowledge base (a passive reply), or a person (answered)."""
    if message.status == HandledStatus.ANSWERED:
        return True
    return bool(message.reply) and message.reply_source not in ACKNOWLEDGEMENTS


def is_answered(item: FeedbackItem) -> bool:
    """A comment with our reply, or a message that got an answer (not only an acknowledgement)."""
    if item.comment_id:
        return bool(item.comment.reply_content)
    return item.inbound is not None and message_answered(item.inbound)


def analyse(window: FeedbackWindow) -> list[CoreIssue]:
    """Group the window's feedback into core issues (replacing any earlier analysis of it)."""
    items = list(window.items.select_related("comment", "inbound").exclude(comment__state=CommentState.DELETED)
                 .order_by("written_at", "id"))
    feedback = [Feedback(item.text, article_id=item.article_id, answered=is_answered(item),
                         is_comment=item.source == FeedbackSource.COMMENT) for item in items]
    found = find_core_issues(feedback)
    now = clock.now()
    with transaction.atomic():
        window.core_issues.all().delete()
        issues = []
        for issue in found:
            row = CoreIssue.objects.create(
                window=window, account_id=window.account_id, push_id=window.push_id, rank=issue.rank,
                title=issue.title[:200], keywords="、".join(issue.keywords)[:200], volume=issue.volume, tone=issue.tone,
                questions=issue.questions, unanswered=issue.unanswered, quotes=list(issue.quotes),
                article_id=issue.article_id, created_at=now,
                suggested_action=suggested_action(title=issue.title, keywords=issue.keywords, tone=issue.tone,
                                                  questions=issue.questions, unanswered=issue.unanswered))
            FeedbackItem.objects.filter(pk__in=[items[i].pk for i in issue.members]).update(core_issue=row)
            issues.append(row)
    return issues


def close_window(window: FeedbackWindow, *, deliver=None) -> FeedbackWindow:
    """Close a claimed window: last comment sync, link, analyse, make and deliver the document, then CLOSED.

    ``deliver`` (window → None) makes and sends the director's document; it must be idempotent.
    """
    if window.state != WindowState.CLOSING:
        raise ValidationError(_("Only a claimed (closing) window can be closed."))
    outcome = comment_actions.sync_comments(window)
    if outcome.problem:
        logger.warning("feedback window %s: last comment sync: %s", window.pk, outcome.problem)
    link_feedback(window)
    reach = reach_of(window.push)  # WeChat reports it minutes after the window opened
    if reach is not None and reach != window.reach:
        FeedbackWindow.objects.filter(pk=window.pk).update(reach=reach)
        window.reach = reach
    analyse(window)
    if deliver is not None:
        deliver(window)
    with transaction.atomic():
        if _transition(window, WindowState.CLOSED, closed_at=clock.now()):
            audit.record(window, "wxops.feedback.closed", data={"issues": window.core_issues.count()})
    return window


def close_due_windows(now: dt.datetime | None = None, *, deliver=None, limit: int = 50) -> list[FeedbackWindow]:
    """Close every due window, one claim at a time; a failing one is logged and left for the sweep."""
    closed = []
    for _attempt in range(limit):
        window = claim_due_window(now)
        if window is None:
            break
        try:
            closed.append(close_window(window, deliver=deliver))
        except Exception:  # one window's failure must not hold up the others; the sweep retries it
            logger.exception("feedback window %s could not be closed", window.pk)
    return closed


def sync_open_windows(now: dt.datetime | None = None) -> int:
    """Sync the comments of every window still collecting, and link what arrived; answers how many windows."""
    now = now or clock.now()
    count = 0
    for window in FeedbackWindow.objects.filter(state=WindowState.OPEN, opens_at__lte=now).select_related(
            "account", "push"):
        try:
            comment_actions.sync_comments(window)
            link_feedback(window)
            count += 1
        except Exception:  # a broken account must not stop the others
            logger.exception("feedback window %s: comment sync failed", window.pk)
    return count
