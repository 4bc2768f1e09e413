"""The outbox: everything that reached a follower's phone (mass sends, previews, customer-service
messages, passive replies, replies to comments) and, as ``inbound``, what followers wrote.
The inspection API reads it to answer "who got what, how many times"."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .world import World

SQL = "INSERT INTO outbox (app_id, kind, msg_id, content_key, openid, payload, at) VALUES (?, ?, ?, ?, ?, ?, ?)"


def record(sim: World, app_id: str, kind: str, openid: str, payload: dict[str, Any], at: float, *,
           msg_id: int | None = None, content_key: str | None = None) -> None:
    sim.state.execute(SQL, (app_id, kind, msg_id, content_key, openid, json.dumps(payload, ensure_ascii=False), at))


def record_many(sim: World, app_id: str, kind: str, openids: Iterable[str], at: float, *, msg_id: int,
                content_key: str) -> None:
    sim.state.executemany(SQL, [(app_id, kind, msg_id, content_key, openid, "{}", at) for openid in openids])
