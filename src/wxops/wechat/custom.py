"""Customer-service messages (客服消息): ``message/custom/send``.

Allowed only in the window after a follower's own action (a message opens 48 hours;
WeChat answers 45015 outside it and 45047 past the message cap). Not retried
automatically: a retry after an unknown outcome could send the message twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .area import Area
from .errors import ClientUsageError

__all__ = ["CustomAPI", "NewsLink"]


@dataclass(frozen=True)
class NewsLink:
    """One link card of a ``news`` customer-service message."""

    title: str
    url: str
    description: str = ""
    picurl: str = ""


class CustomAPI(Area):
    """``client.custom``."""

    def _send(self, openid: str, msgtype: str, body: dict[str, Any]) -> None:
        if not openid:
            raise ClientUsageError("a customer-service message needs the follower's openid")
        self._post("/cgi-bin/message/custom/send", {"touser": openid, "msgtype": msgtype, msgtype: body}, idempotent=False)

    def send_text(self, openid: str, content: str) -> None:
        if not content:
            raise ClientUsageError("a text message needs content")
        self._send(openid, "text", {"content": content})

    def send_image(self, openid: str, media_id: str) -> None:
        self._send(openid, "image", {"media_id": media_id})

    def send_news(self, openid: str, article: NewsLink) -> None:
        """One link card (WeChat allows a single article per news message)."""
        item = {"title": article.title, "description": article.description, "url": article.url, "picurl": article.picurl}
        self._send(openid, "news", {"articles": [item]})

    def send_published_article(self, openid: str, article_id: str) -> None:
        """An article published with freepublish (``mpnewsarticle`` by ``article_id``)."""
        self._send(openid, "mpnewsarticle", {"article_id": article_id})
