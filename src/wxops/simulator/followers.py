"""Followers of a simulated account and what they do: subscribe (by QR scene or search),
unsubscribe, send a message, comment. Each action updates the state, is recorded as
activity (which feeds datacube) and is pushed to the callback URL as WeChat would.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

from . import callbacks, outbox
from .clock import china_date

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World

# datacube user_source codes
SOURCE_OTHER, SOURCE_SEARCH, SOURCE_CARD, SOURCE_QR = 0, 1, 17, 30
SCENE_SOURCE = {"ADD_SCENE_QR_CODE": SOURCE_QR, "ADD_SCENE_SEARCH": SOURCE_SEARCH,
                "ADD_SCENE_PROFILE_CARD": SOURCE_CARD}
# customer-service windows opened by a follower's action: (seconds, messages allowed)
WINDOWS = {"message": (48 * 3600, 5), "event": (60, 3)}


class FollowerError(ValueError):
    """A follower action that cannot happen (unknown follower, closed comments...)."""


def openid_for(seed: int, app_id: str, seq: int) -> str:
    digest = hashlib.sha256(f"{seed}|{app_id}|{seq}".encode()).digest()
    return "o" + base64.urlsafe_b64encode(digest).decode("ascii")[:27]


def get(sim: World, app_id: str, openid: str) -> Any:
    return sim.state.one("SELECT * FROM followers WHERE app_id = ? AND openid = ?", (app_id, openid))


def record(sim: World, app_id: str, at: float, kind: str, openid: str, msg_data_id: int | None = None,
           idx: int | None = None, detail: int = 0, times: int = 1) -> None:
    sim.state.execute(
        "INSERT INTO activity (app_id, at, day, kind, openid, msg_data_id, idx, detail, times) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (app_id, at, china_date(at).isoformat(), kind, openid, msg_data_id, idx, detail, times),
    )


def _head(account: Account, openid: str, at: float, msg_type: str) -> list[tuple[str, Any]]:
    return [("ToUserName", account.username), ("FromUserName", openid), ("CreateTime", int(at)),
            ("MsgType", msg_type)]


def _open_window(sim: World, account: Account, openid: str, kind: str, at: float) -> None:
    sim.state.execute(
        "UPDATE followers SET window_kind = ?, window_opened = ?, window_used = 0 WHERE app_id = ? AND openid = ?",
        (kind, at, account.app_id, openid))


def subscribe(sim: World, account: Account, at: float, *, openid: str | None = None,
              scene_str: str | None = None, scene_id: int = 0, ticket: str | None = None,
              wxname: str | None = None, notify: bool = True, seed: int | None = None) -> str:
    """A follower subscribes (a new one unless ``openid`` names a former one); SCAN if already following."""
    scene = scene_str if scene_str is not None else (str(scene_id) if scene_id else None)
    existing = get(sim, account.app_id, openid) if openid else None
    if existing is not None and existing["subscribed"]:
        if notify and scene is not None:
            fields = _head(account, openid, at, "event") + [("Event", "SCAN"), ("EventKey", scene)]
            fields += [("Ticket", ticket)] if ticket else []
            callbacks.enqueue(sim, account, "SCAN", openid, fields)
            _open_window(sim, account, openid, "event", at)
        return openid
    subscribe_scene = "ADD_SCENE_QR_CODE" if scene is not None else "ADD_SCENE_SEARCH"
    if existing is None:
        seq = int(sim.state.scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM followers WHERE app_id = ?",
                                   (account.app_id,)))
        openid = openid or openid_for(sim.seed if seed is None else seed, account.app_id, seq)
        sim.state.execute(
            "INSERT INTO followers (app_id, openid, seq, subscribed, subscribe_time, subscribe_scene, qr_scene, "
            "qr_scene_str, wxname) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (account.app_id, openid, seq, at, subscribe_scene, scene_id or 0, scene_str or "", wxname))
    else:
        sim.state.execute(
            "UPDATE followers SET subscribed = 1, subscribe_time = ?, unsubscribe_time = NULL, subscribe_scene = ?, "
            "qr_scene = ?, qr_scene_str = ? WHERE app_id = ? AND openid = ?",
            (at, subscribe_scene, scene_id or 0, scene_str or "", account.app_id, openid))
    assert openid is not None
    record(sim, account.app_id, at, "subscribe", openid, detail=SCENE_SOURCE[subscribe_scene])
    if notify:
        fields = _head(account, openid, at, "event") + [("Event", "subscribe")]
        if scene is not None:
            fields.append(("EventKey", f"qrscene_{scene}"))
            if ticket:
                fields.append(("Ticket", ticket))
        callbacks.enqueue(sim, account, "subscribe", openid, fields)
        _open_window(sim, account, openid, "event", at)
    return openid


def unsubscribe(sim: World, account: Account, openid: str, at: float, notify: bool = True) -> bool:
    row = get(sim, account.app_id, openid)
    if row is None or not row["subscribed"]:
        return False
    sim.state.execute(
        "UPDATE followers SET subscribed = 0, unsubscribe_time = ?, window_kind = NULL WHERE app_id = ? AND openid = ?",
        (at, account.app_id, openid))
    record(sim, account.app_id, at, "unsubscribe", openid)
    if notify:
        fields = _head(account, openid, at, "event") + [("Event", "unsubscribe"), ("EventKey", "")]
        callbacks.enqueue(sim, account, "unsubscribe", openid, fields)
    return True


def send_message(sim: World, account: Account, openid: str, at: float, content: str,
                 msg_type: str = "text", extra: dict[str, Any] | None = None) -> int:
    """A follower sends a message; returns the callback id. Opens the 48-hour service window."""
    row = get(sim, account.app_id, openid)
    if row is None or not row["subscribed"]:
        raise FollowerError(f"{openid} does not follow {account.app_id}")
    msg_id = sim.state.next_id("user_msg_id", 24_000_000_000_000_001)
    fields = _head(account, openid, at, msg_type)
    if msg_type == "text":
        fields.append(("Content", content))
    elif msg_type == "event":
        fields += [("Event", (extra or {}).get("Event", "CLICK")), ("EventKey", (extra or {}).get("EventKey", ""))]
    else:
        fields += list((extra or {}).items())
    if msg_type != "event":
        fields.append(("MsgId", msg_id))
    record(sim, account.app_id, at, "message", openid, detail=len(content))
    outbox.record(sim, account.app_id, "inbound", openid, {"msg_type": msg_type, "content": content,
                                                          "msg_id": msg_id}, at)
    event = (extra or {}).get("Event", "CLICK") if msg_type == "event" else msg_type
    callback_id = callbacks.enqueue(sim, account, event, openid, fields,
                                    msg_id=str(msg_id) if msg_type != "event" else None)
    _open_window(sim, account, openid, "message" if msg_type != "event" else "event", at)
    return callback_id


def add_comment(sim: World, account: Account, openid: str, msg_data_id: int, idx: int, content: str,
                at: float) -> int:
    """A follower comments on article ``idx`` (0-based) of a sent message; returns user_comment_id."""
    article = sim.state.one("SELECT comments_open FROM articles WHERE app_id = ? AND msg_data_id = ? AND idx = ?",
                            (account.app_id, msg_data_id, idx))
    if article is None:
        raise FollowerError(f"no article {msg_data_id}/{idx} on {account.app_id}")
    if not article["comments_open"]:
        raise FollowerError(f"comments are closed on {msg_data_id}/{idx}")
    follower = get(sim, account.app_id, openid)
    if follower is None:
        raise FollowerError(f"{openid} is not a follower of {account.app_id}")
    user_comment_id = int(sim.state.scalar(
        "SELECT COALESCE(MAX(user_comment_id), 0) + 1 FROM comments WHERE app_id = ? AND msg_data_id = ? AND idx = ?",
        (account.app_id, msg_data_id, idx)))
    sim.state.execute(
        "INSERT INTO comments (app_id, msg_data_id, idx, user_comment_id, openid, content, create_time) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (account.app_id, msg_data_id, idx, user_comment_id, openid, content, at))
    record(sim, account.app_id, at, "comment", openid, msg_data_id, idx)
    return user_comment_id


def subscribed(sim: World, app_id: str, tag_id: int | None = None) -> list[str]:
    rows = sim.state.all("SELECT openid, tags FROM followers WHERE app_id = ? AND subscribed = 1 ORDER BY seq",
                         (app_id,))
    if tag_id is None:
        return [r["openid"] for r in rows]
    return [r["openid"] for r in rows if tag_id in json.loads(r["tags"])]
