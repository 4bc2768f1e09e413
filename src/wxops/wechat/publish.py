"""Free publishing (发布): ``freepublish/submit`` and ``freepublish/get``.

Publishing gives an article a permanent link but does **not** notify followers (that is
a mass send). ``submit`` only queues the job; its result arrives as a PUBLISHJOBFINISH
callback or by polling ``get``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .area import Area, require

__all__ = ["PublishAPI", "PublishState", "PublishStatus", "PublishSubmission", "PublishedArticle"]


class PublishState(IntEnum):
    SUCCESS = 0
    PUBLISHING = 1
    ORIGINAL_CHECK_FAILED = 2
    FAILED = 3
    REJECTED_BY_REVIEW = 4
    DELETED_BY_USER = 5
    BANNED_BY_SYSTEM = 6


@dataclass(frozen=True)
class PublishSubmission:
    publish_id: str
    msg_data_id: str = ""


@dataclass(frozen=True)
class PublishedArticle:
    """One article of a publish job: ``idx`` is 1-based, as WeChat reports it."""

    idx: int
    article_url: str


@dataclass(frozen=True)
class PublishStatus:
    """``freepublish/get`` (and the PUBLISHJOBFINISH event): ``fail_idx`` are 1-based."""

    publish_id: str
    publish_status: int
    article_id: str = ""
    articles: tuple[PublishedArticle, ...] = ()
    fail_idx: tuple[int, ...] = ()

    @property
    def state(self) -> PublishState | None:
        try:
            return PublishState(self.publish_status)
        except ValueError:
            return None

    @property
    def is_final(self) -> bool:
        return self.publish_status != PublishState.PUBLISHING


def publish_status_from_json(payload: Mapping[str, Any]) -> PublishStatus:
    detail = payload.get("article_detail") or {}
    items = detail.get("item") or ()
    if isinstance(items, Mapping):
        items = (items,)
    fail_idx = payload.get("fail_idx") or ()
    if not isinstance(fail_idx, list | tuple):
        fail_idx = (fail_idx,)
    return PublishStatus(
        publish_id=str(payload.get("publish_id", "")),
        publish_status=int(payload.get("publish_status", -1)),
        article_id=str(payload.get("article_id", "") or ""),
        articles=tuple(PublishedArticle(int(i.get("idx", 0)), str(i.get("article_url", ""))) for i in items),
        fail_idx=tuple(int(x) for x in fail_idx),
    )


class PublishAPI(Area):
    """``client.publish``."""

    def submit(self, media_id: str) -> PublishSubmission:
        """POST freepublish/submit with a draft media_id. Not retried automatically."""
        payload = self._post("/cgi-bin/freepublish/submit", {"media_id": media_id}, idempotent=False)
        return PublishSubmission(
            publish_id=str(require(payload, "publish_id", "freepublish/submit")),
            msg_data_id=str(payload.get("msg_data_id", "") or ""),
        )

    def get(self, publish_id: str) -> PublishStatus:
        """POST freepublish/get: the job's status, article URLs, and failed indexes."""
        payload = self._post("/cgi-bin/freepublish/get", {"publish_id": publish_id}, idempotent=True)
        return publish_status_from_json(payload)
