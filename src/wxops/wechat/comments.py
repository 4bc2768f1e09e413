"""Comments (留言) on sent articles: ``comment/open|close|list|markelect|unmarkelect|delete|reply/add|reply/delete``.

Every call names the send (``msg_data_id``, from the mass-send answer) and the article's
0-based ``index`` in it. WeChat pushes no event for a new comment: poll :meth:`CommentsAPI.list`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .area import Area
from .errors import ClientUsageError

__all__ = ["Comment", "CommentPage", "CommentReply", "CommentsAPI"]

LIST_MAX = 49  # WeChat rejects count >= 50


@dataclass(frozen=True)
class CommentReply:
    content: str
    create_time: int


@dataclass(frozen=True)
class Comment:
    """A comment; ``openid`` is empty for commenters without a WeChat identity; ``is_featured`` = 精选."""

    user_comment_id: int
    content: str
    create_time: int
    openid: str = ""
    is_featured: bool = False
    reply: CommentReply | None = None


@dataclass(frozen=True)
class CommentPage:
    total: int
    comments: tuple[Comment, ...]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def comment_from_json(item: Mapping[str, Any]) -> Comment:
    reply = item.get("reply") or None
    return Comment(
        user_comment_id=_int(item.get("user_comment_id")),
        content=str(item.get("content", "")),
        create_time=_int(item.get("create_time")),
        openid=str(item.get("openid", "") or ""),
        is_featured=_int(item.get("comment_type")) == 1,
        reply=CommentReply(str(reply.get("content", "")), _int(reply.get("create_time"))) if reply else None,
    )


class CommentsAPI(Area):
    """``client.comments``."""

    def _act(self, path: str, msg_data_id: int | str, index: int, **extra: Any) -> dict[str, Any]:
        body = {"msg_data_id": int(msg_data_id), "index": index, **extra}
        return self._post(path, body, idempotent=path.endswith(("open", "close", "markelect")))

    def open(self, msg_data_id: int | str, index: int = 0) -> None:
        self._act("/cgi-bin/comment/open", msg_data_id, index)

    def close(self, msg_data_id: int | str, index: int = 0) -> None:
        self._act("/cgi-bin/comment/close", msg_data_id, index)

    def list(self, msg_data_id: int | str, index: int = 0, *, begin: int = 0, count: int = LIST_MAX, type: int = 0) -> CommentPage:  # noqa: A002
        """POST comment/list: ``type`` 0 all, 1 normal, 2 featured; ``count`` 1..49."""
        if not 1 <= count <= LIST_MAX:
            raise ClientUsageError(f"comment/list count must be between 1 and {LIST_MAX}")
        if type not in (0, 1, 2):
            raise ClientUsageError("comment/list type must be 0 (all), 1 (normal) or 2 (featured)")
        body = {"msg_data_id": int(msg_data_id), "index": index, "begin": begin, "count": count, "type": type}
        payload = self._post("/cgi-bin/comment/list", body, idempotent=True)
        comments = tuple(comment_from_json(c) for c in payload.get("comment") or ())
        return CommentPage(total=_int(payload.get("total", len(comments))), comments=comments)

    def mark_featured(self, msg_data_id: int | str, index: int, user_comment_id: int) -> None:
        """POST comment/markelect (精选)."""
        self._act("/cgi-bin/comment/markelect", msg_data_id, index, user_comment_id=user_comment_id)

    def unmark_featured(self, msg_data_id: int | str, index: int, user_comment_id: int) -> None:
        """POST comment/unmarkelect."""
        self._act("/cgi-bin/comment/unmarkelect", msg_data_id, index, user_comment_id=user_comment_id)

    def delete(self, msg_data_id: int | str, index: int, user_comment_id: int) -> None:
        """POST comment/delete."""
        self._act("/cgi-bin/comment/delete", msg_data_id, index, user_comment_id=user_comment_id)

    def reply(self, msg_data_id: int | str, index: int, user_comment_id: int, content: str) -> None:
        """POST comment/reply/add. Not retried automatically."""
        if not content.strip():
            raise ClientUsageError("a comment reply needs content")
        self._act("/cgi-bin/comment/reply/add", msg_data_id, index, user_comment_id=user_comment_id, content=content)

    def delete_reply(self, msg_data_id: int | str, index: int, user_comment_id: int) -> None:
        """POST comment/reply/delete."""
        self._act("/cgi-bin/comment/reply/delete", msg_data_id, index, user_comment_id=user_comment_id)
