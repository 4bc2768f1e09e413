"""The draft box (草稿箱): ``draft/add|get|update|delete|count|batchget``.

A draft's ``media_id`` is what ``mass.send_mpnews`` and ``publish.submit`` take. WeChat
removes a draft once it is mass-sent or published, so keep your own copy of the content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .area import Area, require
from .errors import ClientUsageError

__all__ = ["Draft", "DraftArticle", "DraftPage", "DraftsAPI"]

TITLE_MAX = 32
AUTHOR_MAX = 16
DIGEST_MAX = 128


@dataclass(frozen=True)
class DraftArticle:
    """One article of a draft. Limits (checked before sending): title ≤ 32 chars,
    author ≤ 16, digest ≤ 128; ``thumb_media_id`` (a permanent material) is required for news.
    """

    title: str
    content: str
    thumb_media_id: str = ""
    author: str = ""
    digest: str = ""
    content_source_url: str = ""
    need_open_comment: bool = False
    only_fans_can_comment: bool = False
    article_type: str = "news"
    pic_crop_235_1: str = ""
    pic_crop_1_1: str = ""
    url: str = ""  # filled in by draft/get; ignored when sending

    def validate(self) -> None:
        """Raise :class:`ClientUsageError` naming the field that breaks WeChat's limits."""
        if not self.title.strip():
            raise ClientUsageError("draft article title is empty")
        for name, limit in (("title", TITLE_MAX), ("author", AUTHOR_MAX), ("digest", DIGEST_MAX)):
            value = getattr(self, name)
            if len(value) > limit:
                raise ClientUsageError(f"draft article {name} is {len(value)} characters; WeChat allows {limit}")
        if self.article_type == "news" and not self.thumb_media_id:
            raise ClientUsageError("a news article needs thumb_media_id (a permanent cover material)")

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "article_type": self.article_type,
            "title": self.title,
            "author": self.author,
            "digest": self.digest,
            "content": self.content,
            "content_source_url": self.content_source_url,
            "thumb_media_id": self.thumb_media_id,
            "need_open_comment": int(self.need_open_comment),
            "only_fans_can_comment": int(self.only_fans_can_comment),
        }
        if self.pic_crop_235_1:
            body["pic_crop_235_1"] = self.pic_crop_235_1
        if self.pic_crop_1_1:
            body["pic_crop_1_1"] = self.pic_crop_1_1
        return body

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> DraftArticle:
        return cls(
            title=str(item.get("title", "")),
            content=str(item.get("content", "")),
            thumb_media_id=str(item.get("thumb_media_id", "")),
            author=str(item.get("author", "")),
            digest=str(item.get("digest", "")),
            content_source_url=str(item.get("content_source_url", "")),
            need_open_comment=bool(int(item.get("need_open_comment", 0) or 0)),
            only_fans_can_comment=bool(int(item.get("only_fans_can_comment", 0) or 0)),
            article_type=str(item.get("article_type", "news") or "news"),
            pic_crop_235_1=str(item.get("pic_crop_235_1", "")),
            pic_crop_1_1=str(item.get("pic_crop_1_1", "")),
            url=str(item.get("url", "")),
        )


@dataclass(frozen=True)
class Draft:
    """A draft as stored by WeChat."""

    media_id: str
    articles: tuple[DraftArticle, ...]
    update_time: int | None = None


@dataclass(frozen=True)
class DraftPage:
    """One page of ``draft/batchget``."""

    total_count: int
    item_count: int
    drafts: tuple[Draft, ...]


def _articles_of(payload: Mapping[str, Any]) -> tuple[DraftArticle, ...]:
    return tuple(DraftArticle.from_json(item) for item in payload.get("news_item") or ())


class DraftsAPI(Area):
    """``client.drafts``."""

    def add(self, articles: Sequence[DraftArticle]) -> str:
        """POST draft/add; return the new draft's media_id. Not retried automatically."""
        if not articles:
            raise ClientUsageError("a draft needs at least one article")
        for article in articles:
            article.validate()
        payload = self._post("/cgi-bin/draft/add", {"articles": [a.to_json() for a in articles]}, idempotent=False)
        return str(require(payload, "media_id", "draft/add"))

    def get(self, media_id: str) -> Draft:
        """POST draft/get."""
        payload = self._post("/cgi-bin/draft/get", {"media_id": media_id}, idempotent=True)
        return Draft(media_id=media_id, articles=_articles_of(payload), update_time=payload.get("update_time"))

    def update(self, media_id: str, index: int, article: DraftArticle) -> None:
        """POST draft/update: replace the article at ``index`` (0-based). Safe to repeat."""
        article.validate()
        self._post(
            "/cgi-bin/draft/update",
            {"media_id": media_id, "index": index, "articles": article.to_json()},
            idempotent=True,
        )

    def delete(self, media_id: str) -> None:
        """POST draft/delete."""
        self._post("/cgi-bin/draft/delete", {"media_id": media_id}, idempotent=False)

    def count(self) -> int:
        """GET draft/count: how many drafts the box holds."""
        return int(require(self._get("/cgi-bin/draft/count"), "total_count", "draft/count"))

    def batchget(self, offset: int = 0, count: int = 20, *, no_content: bool = False) -> DraftPage:
        """POST draft/batchget: ``count`` 1..20 drafts from ``offset``."""
        if not 1 <= count <= 20:
            raise ClientUsageError("draft/batchget count must be between 1 and 20")
        payload = self._post(
            "/cgi-bin/draft/batchget",
            {"offset": offset, "count": count, "no_content": int(no_content)},
            idempotent=True,
        )
        drafts = tuple(
            Draft(
                media_id=str(item.get("media_id", "")),
                articles=_articles_of(item.get("content") or {}),
                update_time=item.get("update_time"),
            )
            for item in payload.get("item") or ()
        )
        return DraftPage(
            total_count=int(payload.get("total_count", 0)),
            item_count=int(payload.get("item_count", len(drafts))),
            drafts=drafts,
        )
