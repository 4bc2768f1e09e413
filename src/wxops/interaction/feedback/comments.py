"""Actions on comments (留言): sync a sent push's comments from WeChat; reply, feature (精选) or delete one.

    from wxops.interaction.feedback import comments
    comments.sync_comments(window)                       # comment/list, every article, every page
    comments.reply_to_comment(comment, "您好，基数7月调整。", user=request.user)

WeChat pushes no event for a new comment, so a sent push's comments are polled for its
24-hour window. The pages are fetched first, then written in one short transaction (never
a transaction open across an HTTP call); a comment is stored once however often it is
synced. Reply, feature and delete call WeChat first and record what happened only when
WeChat agreed; each is audited. Refusals raise ``ValidationError`` with a message in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.accounts.actions import client_for
from wxops.core import audit, clock
from wxops.interaction.models.feedback import COMMENT_TRANSITIONS, Comment, CommentState, FeedbackWindow
from wxops.interaction.replies.actions import refuse_blocked
from wxops.wechat import WeChatError
from wxops.wechat.comments import LIST_MAX
from wxops.wechat.errors import APIError, NoCommentPermission

UNKNOWN_ARTICLE = 88001
MAX_REPLY = 1000


@dataclass(frozen=True)
class SyncOutcome:
    fetched: int
    new: int
    problem: str = ""


def _articles(window: FeedbackWindow) -> dict[int, int | None]:
    """index in the send → article id (the push's articles by position; one index when it has none)."""
    items = list(window.push.items.order_by("position").values_list("article_id", flat=True))
    return dict(enumerate(items)) if items else {0: None}


def _fetch(client, msg_data_id: int, index: int, *, open_first: bool) -> list:
    if open_first:
        client.comments.open(msg_data_id, index)
    comments, begin = [], 0
    while True:
        page = client.comments.list(msg_data_id, index, begin=begin, count=LIST_MAX, type=0)
        comments.extend(page.comments)
        begin += len(page.comments)
        if not page.comments or begin >= page.total:
            return comments


def sync_comments(window: FeedbackWindow, *, client=None) -> SyncOutcome:
    """Fetch every comment of the window's push (all articles, all pages) and store the new ones.

    The first sync opens comments on each article (``comment/open``, harmless when open) so
    the 24 hours collect feedback. Known comments get WeChat's featured flag and reply.
    Problems (no comment privilege, WeChat unreachable) are recorded on the window, not raised.
    """
    if window.msg_data_id is None:
        return SyncOutcome(0, 0, _("WeChat gave this push no msg_data_id: its comments cannot be read."))
    client = client or client_for(window.account)
    articles = _articles(window)
    fetched: list[tuple[int, object]] = []
    problem = ""
    for index in articles:
        try:
            for comment in _fetch(client, window.msg_data_id, index, open_first=window.last_synced_at is None):
                fetched.append((index, comment))
        except NoCommentPermission:
            problem = _("The account has no comment privilege (88000): comments cannot be read.")
            break
        except APIError as error:
            if error.errcode == UNKNOWN_ARTICLE:
                continue  # fewer articles in WeChat than in the push: nothing to read there
            problem = _("WeChat refused comment/list: %(error)s") % {"error": error}
        except WeChatError as error:
            problem = _("WeChat could not be reached: %(error)s") % {"error": error}
            break
    new = _store(window, articles, fetched, problem)
    return SyncOutcome(len(fetched), new, problem)


def _store(window: FeedbackWindow, articles: dict[int, int | None], fetched: list, problem: str) -> int:
    now = clock.now()
    with transaction.atomic():
        known = {(c.index, c.user_comment_id): c for c in Comment.objects.select_for_update().filter(
            account_id=window.account_id, msg_data_id=window.msg_data_id)}
        created = []
        for index, item in fetched:
            row = known.get((index, item.user_comment_id))
            reply = item.reply
            if row is None:
                created.append(Comment(
                    account_id=window.account_id, push_id=window.push_id, article_id=articles.get(index),
                    msg_data_id=window.msg_data_id, index=index, user_comment_id=item.user_comment_id,
                    openid=item.openid, content=item.content, created_at=_time(item.create_time),
                    is_featured=item.is_featured, reply_content=reply.content if reply else "",
                    replied_at=_time(reply.create_time) if reply else None, synced_at=now))
                continue
            row.is_featured = item.is_featured
            if reply and not row.reply_content:
                row.reply_content, row.replied_at = reply.content, _time(reply.create_time)
            row.synced_at = now
            row.save(update_fields=["is_featured", "reply_content", "replied_at", "synced_at"])
        Comment.objects.bulk_create(created, ignore_conflicts=True)
        FeedbackWindow.objects.filter(pk=window.pk).update(last_synced_at=now, sync_problem=problem)
    window.last_synced_at, window.sync_problem = now, problem
    return len(created)


def _time(epoch: int) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return clock.now()


def can_moderate(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_comment")))


def _check(comment: Comment, user) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("You may not reply to, feature or delete comments."))
    if comment.state == CommentState.DELETED:
        raise ValidationError(_("This comment was deleted."))


def _call(what, *args) -> None:
    try:
        what(*args)
    except WeChatError as error:
        raise ValidationError(_("WeChat refused: %(error)s") % {"error": error}) from error


def reply_to_comment(comment: Comment, content: str, *, user, client=None) -> Comment:
    """Reply publicly under the comment (``comment/reply/add``); WeChat allows one reply per comment.

    The reply is checked by the content rules first: a block finding refuses it, and WeChat hears nothing.
    """
    _check(comment, user)
    content = content.strip()
    if not content or len(content) > MAX_REPLY:
        raise ValidationError(_("A reply needs 1 to %(max)d characters.") % {"max": MAX_REPLY})
    if comment.reply_content:
        raise ValidationError(_("This comment already has a reply; WeChat allows one."))
    refuse_blocked(content, comment.account_id, label=_("reply"))  # public under the article: the content rules apply
    client = client or client_for(comment.account)
    _call(client.comments.reply, comment.msg_data_id, comment.index, comment.user_comment_id, content)
    with transaction.atomic():
        comment.reply_content, comment.replied_at = content, clock.now()
        comment.save(update_fields=["reply_content", "replied_at"])
        audit.record(comment, "wxops.comment.replied", user=user, data={"reply": content})
    return comment


def set_featured(comment: Comment, featured: bool, *, user, client=None) -> Comment:
    """Feature the comment (精选, ``comment/markelect``) or take it back (``unmarkelect``)."""
    _check(comment, user)
    if comment.is_featured == featured:
        return comment
    client = client or client_for(comment.account)
    api = client.comments.mark_featured if featured else client.comments.unmark_featured
    _call(api, comment.msg_data_id, comment.index, comment.user_comment_id)
    with transaction.atomic():
        comment.is_featured = featured
        comment.save(update_fields=["is_featured"])
        audit.record(comment, "wxops.comment.featured" if featured else "wxops.comment.unfeatured", user=user)
    return comment


def delete_comment(comment: Comment, *, user, client=None) -> Comment:
    """Delete the comment in WeChat (``comment/delete``); the row stays, marked deleted, for the record."""
    _check(comment, user)
    if CommentState.DELETED not in COMMENT_TRANSITIONS[CommentState(comment.state)]:
        raise ValidationError(_("This comment cannot be deleted."))
    client = client or client_for(comment.account)
    _call(client.comments.delete, comment.msg_data_id, comment.index, comment.user_comment_id)
    with transaction.atomic():
        comment.state = CommentState.DELETED
        comment.save(update_fields=["state"])
        audit.record(comment, "wxops.comment.deleted", user=user, data={"content": comment.content[:200]})
    return comment
