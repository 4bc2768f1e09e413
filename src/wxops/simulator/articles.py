"""Articles that went out (mass-sent or published): what comments and datacube refer to,
by ``msg_data_id`` and 0-based index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .world import World


def record(sim: World, app_id: str, msg_data_id: int, idx: int, article: dict[str, Any], *, url: str,
           source: str, sent_at: float, target_user: int, key: str) -> None:
    sim.state.execute(
        "INSERT OR REPLACE INTO articles (app_id, msg_data_id, idx, title, category, url, comments_open, source, "
        "sent_at, target_user, has_source_url, article_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (app_id, msg_data_id, idx, article["title"], article.get("category", ""), url,
         article.get("need_open_comment", 0), source, sent_at, target_user,
         int(bool(article.get("content_source_url"))), key))
