"""Comments (留言) on sent articles: ``comment/open|close|list|markelect|unmarkelect|delete``
and ``comment/reply/add|delete``, addressed by ``msg_data_id`` and 0-based ``index``.

An account without the comment privilege gets 88000; an unknown article 88001; an unknown
comment 88008; a second reply 88005; ``list`` with ``count`` outside 1..49 gets 88010.
There is no push for new comments: the account must poll ``list``.
"""

from __future__ import annotations

from typing import Any

from . import outbox
from .api import ApiCall, endpoint
from .errors import WeChatError, ok

MAX_REPLY = 1000


def _article(call: ApiCall) -> tuple[int, int]:
    if not call.app.comment_privilege:
        raise WeChatError(88000)
    msg_data_id = call.field("msg_data_id", int)
    index = call.field("index", int, required=False, default=0)
    row = call.sim.state.one("SELECT 1 FROM articles WHERE app_id = ? AND msg_data_id = ? AND idx = ?",
                             (call.app.app_id, msg_data_id, index))
    if row is None:
        raise WeChatError(88001)
    return msg_data_id, index


def _comment(call: ApiCall) -> Any:
    msg_data_id, index = _article(call)
    user_comment_id = call.field("user_comment_id", int)
    row = call.sim.state.one(
        "SELECT * FROM comments WHERE app_id = ? AND msg_data_id = ? AND idx = ? AND user_comment_id = ? "
        "AND deleted = 0 AND create_time <= ?", (call.app.app_id, msg_data_id, index, user_comment_id, call.now))
    if row is None:
        raise WeChatError(88008)
    return row


def _set_open(call: ApiCall, is_open: int) -> dict:
    msg_data_id, index = _article(call)
    call.sim.state.execute("UPDATE articles SET comments_open = ? WHERE app_id = ? AND msg_data_id = ? AND idx = ?",
                           (is_open, call.app.app_id, msg_data_id, index))
    return ok()


@endpoint("/cgi-bin/comment/open")
def open_comments(call: ApiCall) -> dict:
    return _set_open(call, 1)


@endpoint("/cgi-bin/comment/close")
def close_comments(call: ApiCall) -> dict:
    return _set_open(call, 0)


@endpoint("/cgi-bin/comment/list")
def list_comments(call: ApiCall) -> dict:
    msg_data_id, index = _article(call)
    begin = call.field("begin", int)
    count = call.field("count", int)
    kind = call.field("type", int, required=False, default=0)
    if not 1 <= count < 50 or begin < 0:
        raise WeChatError(88010)
    if kind not in (0, 1, 2):
        raise WeChatError(40035, "invalid args, type is 0 (all), 1 (normal) or 2 (elected)")
    where = "app_id = ? AND msg_data_id = ? AND idx = ? AND deleted = 0 AND create_time <= ?"
    params: list[Any] = [call.app.app_id, msg_data_id, index, call.now]
    if kind:
        where += " AND elected = ?"
        params.append(1 if kind == 2 else 0)
    total = call.sim.state.scalar(f"SELECT COUNT(*) FROM comments WHERE {where}", params)  # noqa: S608
    rows = call.sim.state.all(
        f"SELECT * FROM comments WHERE {where} ORDER BY user_comment_id LIMIT ? OFFSET ?",  # noqa: S608
        [*params, count, begin])
    comments = []
    for row in rows:
        item: dict[str, Any] = {"user_comment_id": row["user_comment_id"], "openid": row["openid"],
                                "create_time": int(row["create_time"]), "content": row["content"],
                                "comment_type": 1 if row["elected"] else 0}
        if row["reply_content"] is not None:
            item["reply"] = {"content": row["reply_content"], "create_time": int(row["reply_time"])}
        comments.append(item)
    return ok(total=total, comment=comments)


def _update(call: ApiCall, row: Any, assignments: str, *values: Any) -> dict:
    call.sim.state.execute(f"UPDATE comments SET {assignments} WHERE id = ?", (*values, row["id"]))  # noqa: S608
    return ok()


@endpoint("/cgi-bin/comment/markelect")
def markelect(call: ApiCall) -> dict:
    return _update(call, _comment(call), "elected = 1")


@endpoint("/cgi-bin/comment/unmarkelect")
def unmarkelect(call: ApiCall) -> dict:
    return _update(call, _comment(call), "elected = 0")


@endpoint("/cgi-bin/comment/delete")
def delete(call: ApiCall) -> dict:
    return _update(call, _comment(call), "deleted = 1")


@endpoint("/cgi-bin/comment/reply/add")
def reply_add(call: ApiCall) -> dict:
    row = _comment(call)
    content = call.field("content", str)
    if not content.strip() or len(content) > MAX_REPLY:
        raise WeChatError(88007)
    if row["reply_content"] is not None:
        raise WeChatError(88005)
    outbox.record(call.sim, call.app.app_id, "comment_reply", row["openid"], {
        "msg_data_id": row["msg_data_id"], "index": row["idx"], "user_comment_id": row["user_comment_id"],
        "content": content}, call.now)
    return _update(call, row, "reply_content = ?, reply_time = ?", content, call.now)


@endpoint("/cgi-bin/comment/reply/delete")
def reply_delete(call: ApiCall) -> dict:
    row = _comment(call)
    if row["reply_content"] is None:
        raise WeChatError(88009, "reply is not exists")
    return _update(call, row, "reply_content = NULL, reply_time = NULL")
