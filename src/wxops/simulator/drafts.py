"""The draft box: ``draft/add|get|update|delete|count|batchget``.

Field limits as WeChat enforces them: title ≤ 32 characters (45003), author ≤ 16 (45110),
digest ≤ 128 (45004), content < 20,000 characters and < 1 MB (45002), content_source_url
≤ 1 KB (45005), at most 8 articles (45008), a permanent ``thumb_media_id`` for ``news``
(40007), ``need_open_comment`` needs the comment privilege (88000). ``<script>`` is stripped
and ``<img>`` whose src did not come from ``media/uploadimg`` is dropped. A draft leaves the
box once it is mass-sent or published.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from .api import ApiCall, endpoint
from .errors import WeChatError, ok
from .media import URL_MARK, new_media_id, permanent_media
from .router import Request, Response, route

if TYPE_CHECKING:
    from .world import World

MAX_ARTICLES = 8
SCRIPT = re.compile(r"<script\b.*?(</script\s*>|$)", re.IGNORECASE | re.DOTALL)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")



def clean_content(content: str) -> str:
    """Strip scripts and pictures that were not uploaded through ``media/uploadimg``."""
    content = SCRIPT.sub("", content)

    def keep(match: re.Match[str]) -> str:
        src = SRC.search(match.group(0))
        url = src.group(1) if src else ""
        return match.group(0) if URL_MARK in url or "mmbiz.qpic.cn" in url else ""

    return IMG.sub(keep, content)


def plain_text(content: str) -> str:
    return re.sub(r"\s+", " ", TAG.sub("", content)).strip()


def validate_article(call: ApiCall, raw: Any, single: bool) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise WeChatError(47001, "data format error, each article is a JSON object")

    def text(name: str, limit: int | None, errcode: int) -> str:
        value = raw.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise WeChatError(47001, f"data format error, {name} must be a string")
        if limit is not None and len(value) > limit:
            raise WeChatError(errcode)
        return value

    article_type = raw.get("article_type", "news") or "news"
    if article_type not in ("news", "newspic"):
        raise WeChatError(40035, "invalid args, article_type must be news or newspic")
    title = text("title", 32, 45003)
    if not title.strip():
        raise WeChatError(44003, "empty news data, title is required")
    content = text("content", None, 45002)
    if len(content) >= 20000 or len(content.encode("utf-8")) >= 1024 * 1024:
        raise WeChatError(45002)
    if not content.strip():
        raise WeChatError(44003, "empty news data, content is required")
    source_url = text("content_source_url", None, 45005)
    if len(source_url.encode("utf-8")) > 1024:
        raise WeChatError(45005)
    thumb = text("thumb_media_id", None, 40007)
    if article_type == "news" and not permanent_media(call.sim, call.app.app_id, thumb):
        raise WeChatError(40007, "invalid media_id, thumb_media_id must be a permanent image or thumb")
    flags = {}
    for name in ("need_open_comment", "only_fans_can_comment", "show_cover_pic"):
        value = raw.get(name, 0)
        if isinstance(value, bool):
            value = int(value)
        if value not in (0, 1):
            raise WeChatError(40035, f"invalid args, {name} must be 0 or 1")
        flags[name] = value
    if flags["need_open_comment"] and not call.app.comment_privilege:
        raise WeChatError(88000)
    cleaned = clean_content(content)
    digest = text("digest", 128, 45004) if single else ""
    return {
        "article_type": article_type, "title": title, "author": text("author", 16, 45110),
        "digest": digest or plain_text(cleaned)[:54], "content": cleaned, "content_source_url": source_url,
        "thumb_media_id": thumb, **flags,
        "pic_crop_235_1": text("pic_crop_235_1", 64, 40035), "pic_crop_1_1": text("pic_crop_1_1", 64, 40035),
    }


def _articles(call: ApiCall, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise WeChatError(47001, "data format error, articles must be a list")
    if not raw:
        raise WeChatError(44003)
    if len(raw) > MAX_ARTICLES:
        raise WeChatError(45008)
    return [validate_article(call, item, single=len(raw) == 1) for item in raw]


def live_draft(call: ApiCall, media_id: Any) -> dict[str, Any]:
    if not isinstance(media_id, str) or not media_id:
        raise WeChatError(40007)
    row = call.sim.state.one(
        "SELECT * FROM drafts WHERE media_id = ? AND app_id = ? AND removed_at IS NULL", (media_id, call.app.app_id)
    )
    if row is None:
        raise WeChatError(40007)
    return dict(row)


def news_items(call: ApiCall, row: dict[str, Any], with_content: bool = True) -> list[dict[str, Any]]:
    items = []
    for index, article in enumerate(json.loads(row["articles"])):
        item = dict(article)
        item["url"] = f"{call.request.base_url}/s/draft/{row['media_id']}/{index}"
        if not with_content:
            item.pop("content", None)
        items.append(item)
    return items


def remove(call: ApiCall, media_id: str, why: str) -> None:
    call.sim.state.execute("UPDATE drafts SET removed_at = ?, removed_by = ? WHERE media_id = ?",
                           (call.now, why, media_id))


@endpoint("/cgi-bin/draft/add")
def add(call: ApiCall) -> dict:
    call.require_verified()
    articles = _articles(call, call.body.get("articles"))
    media_id = new_media_id()
    call.sim.state.execute(
        "INSERT INTO drafts (media_id, app_id, articles, created_at, update_time) VALUES (?, ?, ?, ?, ?)",
        (media_id, call.app.app_id, json.dumps(articles, ensure_ascii=False), call.now, call.now),
    )
    return {"media_id": media_id}


@endpoint("/cgi-bin/draft/get")
def get(call: ApiCall) -> dict:
    row = live_draft(call, call.body.get("media_id"))
    return {"news_item": news_items(call, row)}


@endpoint("/cgi-bin/draft/update")
def update(call: ApiCall) -> dict:
    call.require_verified()
    row = live_draft(call, call.body.get("media_id"))
    index = call.field("index", int)
    articles = json.loads(row["articles"])
    if not 0 <= index < len(articles):
        raise WeChatError(40114, "invalid index value")
    articles[index] = validate_article(call, call.body.get("articles"), single=len(articles) == 1)
    call.sim.state.execute("UPDATE drafts SET articles = ?, update_time = ? WHERE media_id = ?",
                           (json.dumps(articles, ensure_ascii=False), call.now, row["media_id"]))
    return ok()


@endpoint("/cgi-bin/draft/delete")
def delete(call: ApiCall) -> dict:
    row = live_draft(call, call.body.get("media_id"))
    remove(call, row["media_id"], "draft/delete")
    return ok()


@endpoint("/cgi-bin/draft/count", methods=("GET",))
def count(call: ApiCall) -> dict:
    total = call.sim.state.scalar(
        "SELECT COUNT(*) FROM drafts WHERE app_id = ? AND removed_at IS NULL", (call.app.app_id,))
    return {"total_count": total}


@endpoint("/cgi-bin/draft/batchget")
def batchget(call: ApiCall) -> dict:
    offset = call.field("offset", int)
    size = call.field("count", int)
    no_content = call.field("no_content", int, required=False, default=0)
    if offset < 0 or not 1 <= size <= 20:
        raise WeChatError(40035, "invalid args, offset >= 0 and 1 <= count <= 20")
    rows = call.sim.state.all(
        "SELECT * FROM drafts WHERE app_id = ? AND removed_at IS NULL ORDER BY update_time DESC, rowid DESC "
        "LIMIT ? OFFSET ?", (call.app.app_id, size, offset))
    total = call.sim.state.scalar(
        "SELECT COUNT(*) FROM drafts WHERE app_id = ? AND removed_at IS NULL", (call.app.app_id,))
    items = [{"media_id": r["media_id"], "content": {"news_item": news_items(call, dict(r), not no_content)},
              "update_time": int(r["update_time"])} for r in rows]
    return {"total_count": total, "item_count": len(items), "item": items}


@route("GET", "/s/draft/{media_id}/{index}")
def draft_page(sim: World, request: Request, media_id: str, index: str) -> Response:
    """A draft article as a page: what the preview link of a draft shows."""
    row = sim.state.one("SELECT articles FROM drafts WHERE media_id = ?", (media_id,))
    articles = json.loads(row["articles"]) if row else []
    if not index.isdigit() or int(index) >= len(articles):
        return Response(status=404, body=b"not found", content_type="text/plain")
    article = articles[int(index)]
    page = (f"<!doctype html><meta charset=utf-8><title>{html.escape(article['title'])}</title>"
            f"<h1>{html.escape(article['title'])}</h1><p>{html.escape(article['author'])}</p>"
            f"<div>{article['content']}</div>")
    return Response(body=page.encode("utf-8"), content_type="text/html; charset=utf-8")
