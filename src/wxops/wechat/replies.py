"""Passive replies (被动回复): the XML answered to a callback POST, built from typed values.

Answer within 5 seconds; when there is nothing to say, answer ``success`` (or an empty
body) so WeChat neither retries nor tells the follower the account is unavailable. In safe
mode the reply is encrypted with :meth:`wxops.wechat.callback.CallbackEndpoint.render_reply`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from .messages import Message

__all__ = ["NO_REPLY", "NewsItem", "image_reply", "news_reply", "text_reply"]

NO_REPLY = "success"
NEWS_MAX = 8  # WeChat shows at most 8 items (1 since 2018 for most accounts; extra are ignored)


@dataclass(frozen=True)
class NewsItem:
    """One card of a news reply."""

    title: str
    url: str
    description: str = ""
    pic_url: str = ""


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _head(to_user: str, from_user: str, msg_type: str, create_time: int | None) -> str:
    ts = int(time.time()) if create_time is None else int(create_time)
    return (
        f"<ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{ts}</CreateTime>"
        f"<MsgType>{_cdata(msg_type)}</MsgType>"
    )


def text_reply(message: Message, content: str, *, create_time: int | None = None) -> str:
    """Reply to ``message`` with text (the follower becomes ``ToUserName``)."""
    return f"<xml>{_head(message.from_user, message.to_user, 'text', create_time)}<Content>{_cdata(content)}</Content></xml>"


def image_reply(message: Message, media_id: str, *, create_time: int | None = None) -> str:
    """Reply with an image material (``media_id`` of an uploaded image)."""
    return (
        f"<xml>{_head(message.from_user, message.to_user, 'image', create_time)}"
        f"<Image><MediaId>{_cdata(media_id)}</MediaId></Image></xml>"
    )


def news_reply(message: Message, items: Sequence[NewsItem], *, create_time: int | None = None) -> str:
    """Reply with link cards (1..8 items)."""
    if not 1 <= len(items) <= NEWS_MAX:
        raise ValueError(f"a news reply takes 1 to {NEWS_MAX} items, not {len(items)}")
    cards = "".join(
        "<item>"
        f"<Title>{_cdata(i.title)}</Title><Description>{_cdata(i.description)}</Description>"
        f"<PicUrl>{_cdata(i.pic_url)}</PicUrl><Url>{_cdata(i.url)}</Url>"
        "</item>"
        for i in items
    )
    return (
        f"<xml>{_head(message.from_user, message.to_user, 'news', create_time)}"
        f"<ArticleCount>{len(items)}</ArticleCount><Articles>{cards}</Articles></xml>"
    )
