"""The push on a phone: each article rendered as WeChat shows it, for the preview page.

Publishing owns the exact HTML sent to WeChat; editorial cannot import it. This module
renders a faithful preview from the article (title, account, author, date, cover, body with
WeChat's typography). A higher app may register a better renderer::

    from wxops.editorial import preview
    preview.register(lambda article, account: wechat_html(article))   # returns the body's HTML
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

from wxops.core import clock

_renderers: list[Callable] = []


def register(renderer: Callable) -> Callable:
    """Use ``renderer(article, account) -> body HTML`` (str) for the preview's body from now on."""
    _renderers[:] = [renderer]
    return renderer


@dataclass(frozen=True)
class PhoneArticle:
    title: str
    author: str
    digest: str
    account_name: str
    date: str
    cover_url: str
    body: SafeString
    source_url: str


def render(article, account) -> PhoneArticle:
    """``article`` (a row or a revision's object) ready for the phone preview template."""
    body = _renderers[0](article, account) if _renderers else expand_db_html(article.body or "")
    cover_url = ""
    if article.cover_id:
        cover = article.cover
        cover_url = cover.get_rendition("fill-900x383").url
    return PhoneArticle(article.title, article.author, article.digest, account.name,
                        clock.local_now(account.time_zone).strftime("%Y-%m-%d"), cover_url, mark_safe(body),  # noqa: S308 — rich text the admin already sanitises
                        article.source_url)
