"""The read-only inspection API under ``/sim/inspect/``: what WeChat did, for tests and people.

The central question a test asks — "did this push reach each follower exactly once?" — is
answered by ``/sim/inspect/accounts/{app_id}/reach?msg_id=N`` (or ``content_key`` /
``media_id``): it counts, per follower, every mass send of the same content.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import callbacks, followers
from .clock import ClockError, iso, parse_instant
from .control import ControlError
from .engine import Simulator
from .router import Request, route


def _limit(request: Request, default: int = 100) -> tuple[int, int]:
    try:
        limit = max(1, min(int(request.query.get("limit", default)), 10_000))
        offset = max(0, int(request.query.get("offset", 0)))
    except ValueError:
        limit, offset = default, 0
    return limit, offset


def _where(request: Request, names: tuple[str, ...], base: list[str], params: list[Any]) -> str:
    for name in names:
        if name in request.query:
            base.append(f"{name} = ?")
            params.append(request.query[name])
    return " AND ".join(base) or "1"


EVENT_KEY = re.compile(r"<EventKey><!\[CDATA\[(.*?)\]\]></EventKey>")
CREATE_TIME = re.compile(r"<CreateTime>(\d+)</CreateTime>")


def _instant(request: Request, name: str, default: float) -> float:
    """A query parameter as an instant: epoch seconds or ISO 8601."""
    value = request.query.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return parse_instant(value)
    except ClockError as exc:
        raise ControlError(f"{name}: {exc}") from exc


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


@route("GET", "/sim/inspect/accounts/{app_id}/sends")
def sends(sim: Simulator, request: Request, app_id: str) -> dict:
    result = []
    for row in sim.state.all("SELECT * FROM mass_sends WHERE app_id = ? ORDER BY msg_id", (app_id,)):
        item = {k: row[k] for k in row.keys() if k != "articles"}  # noqa: SIM118 - sqlite3.Row
        item["target"] = json.loads(row["target"])
        item["titles"] = [a["title"] for a in json.loads(row["articles"])]
        item["categories"] = [a.get("category", "") for a in json.loads(row["articles"])]
        item["created_iso"] = iso(row["created_at"])
        item["recipients"] = sim.state.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'mass' AND msg_id = ?",
                                          (row["msg_id"],))
        result.append(item)
    return {"sends": result}


@route("GET", "/sim/inspect/accounts/{app_id}/reach")
def reach(sim: Simulator, request: Request, app_id: str) -> dict:
    query = request.query
    if "msg_id" in query:
        key = sim.state.scalar("SELECT content_key FROM mass_sends WHERE msg_id = ? AND app_id = ?",
                           (query["msg_id"], app_id))
    elif "media_id" in query:
        key = sim.state.scalar("SELECT content_key FROM mass_sends WHERE draft_media_id = ? AND app_id = ?",
                           (query["media_id"], app_id))
    else:
        key = query.get("content_key")
    counts = {r["openid"]: r["n"] for r in sim.state.all(
        "SELECT openid, COUNT(*) AS n FROM outbox WHERE app_id = ? AND kind = 'mass' AND content_key = ? "
        "GROUP BY openid", (app_id, key))}
    current = followers.subscribed(sim, app_id)
    not_reached = [o for o in current if o not in counts]
    return {"content_key": key, "followers": len(current), "reached": len(counts),
            "deliveries": sum(counts.values()), "max_per_follower": max(counts.values(), default=0),
            "duplicates": {o: n for o, n in counts.items() if n > 1},
            "not_reached": not_reached[:1000], "not_reached_count": len(not_reached),
            "exactly_once": bool(counts) and not not_reached and max(counts.values()) == 1}


@route("GET", "/sim/inspect/accounts/{app_id}/deliveries")
def deliveries(sim: Simulator, request: Request, app_id: str) -> dict:
    """Every mass send of the account at once: ``mass_sends`` (finished with success),
    ``deliveries`` (messages in followers' chats) and ``duplicate_deliveries`` — for each
    follower and content, every delivery after the first (0 when each push reached each
    follower at most once), with ``followers_with_duplicates``."""
    sends = sim.state.scalar("SELECT COUNT(*) FROM mass_sends WHERE app_id = ? AND kind = 'mass' "
                             "AND status = 'success'", (app_id,))
    total = sim.state.scalar("SELECT COUNT(*) FROM outbox WHERE app_id = ? AND kind = 'mass'", (app_id,))
    repeated = sim.state.all("SELECT openid, COUNT(*) AS n FROM outbox WHERE app_id = ? AND kind = 'mass' "
                             "GROUP BY openid, content_key HAVING n > 1", (app_id,))
    return {"mass_sends": sends, "deliveries": total,
            "duplicate_deliveries": sum(row["n"] - 1 for row in repeated),
            "followers_with_duplicates": len({row["openid"] for row in repeated})}


@route("GET", "/sim/inspect/accounts/{app_id}/reads")
def reads(sim: Simulator, request: Request, app_id: str) -> dict:
    """Reads of the account's sent and published articles up to ``until`` (default now): per
    article (``reads`` counts every opening of the article, as WeChat's 阅读次数 — a follower
    reading twice counts twice; opening the original link is not a read; ``readers`` are
    distinct followers), per category (``""``: no category) and in ``total``."""
    until = _instant(request, "until", sim.clock.now())
    rows = sim.state.all(
        "SELECT a.msg_data_id, a.idx, a.title, a.category, a.source, a.sent_at, "
        "COALESCE(SUM(r.times), 0) AS reads, COUNT(DISTINCT r.openid) AS readers FROM articles a "
        "LEFT JOIN activity r ON r.app_id = a.app_id AND r.msg_data_id = a.msg_data_id AND r.idx = a.idx "
        "AND r.kind = 'read' AND r.detail = 0 AND r.at <= ? WHERE a.app_id = ? "
        "GROUP BY a.msg_data_id, a.idx ORDER BY a.sent_at, a.idx", (until, app_id))
    by_category: dict[str, int] = {}
    for row in rows:
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["reads"]
    return {"until": iso(until), "total": sum(row["reads"] for row in rows), "by_category": by_category,
            "articles": _rows(rows)}


@route("GET", "/sim/inspect/accounts/{app_id}/outbox")
def outbox(sim: Simulator, request: Request, app_id: str) -> dict:
    limit, offset = _limit(request, 1000)
    params: list[Any] = [app_id]
    where = _where(request, ("kind", "openid", "msg_id", "content_key"), ["app_id = ?"], params)
    rows = sim.state.all(f"SELECT * FROM outbox WHERE {where} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
                     [*params, limit, offset])
    total = sim.state.scalar(f"SELECT COUNT(*) FROM outbox WHERE {where}", params)  # noqa: S608
    return {"total": total, "items": _rows(rows)}


@route("GET", "/sim/inspect/callbacks")
def callback_log(sim: Simulator, request: Request) -> dict:
    limit, offset = _limit(request, 200)
    params: list[Any] = []
    where = _where(request, ("app_id", "event", "status", "openid", "msg_id"), [], params)
    rows = sim.state.all(f"SELECT * FROM callbacks WHERE {where} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
                     [*params, limit, offset])
    total = sim.state.scalar(f"SELECT COUNT(*) FROM callbacks WHERE {where}", params)  # noqa: S608
    return {"total": total, "callbacks": [callbacks.record(sim, r) for r in rows]}


@route("GET", "/sim/inspect/accounts/{app_id}/drafts")
def drafts(sim: Simulator, request: Request, app_id: str) -> dict:
    rows = sim.state.all("SELECT * FROM drafts WHERE app_id = ? ORDER BY created_at", (app_id,))
    return {"drafts": [{**dict(r), "articles": json.loads(r["articles"])} for r in rows]}


@route("GET", "/sim/inspect/accounts/{app_id}/publishes")
def publishes(sim: Simulator, request: Request, app_id: str) -> dict:
    rows = sim.state.all("SELECT * FROM publishes WHERE app_id = ? ORDER BY submitted_at", (app_id,))
    return {"publishes": [{**dict(r), "articles": [a["title"] for a in json.loads(r["articles"])],
                           "fail_idx": json.loads(r["fail_idx"])} for r in rows]}


@route("GET", "/sim/inspect/accounts/{app_id}/articles")
def articles(sim: Simulator, request: Request, app_id: str) -> dict:
    return {"articles": _rows(sim.state.all("SELECT * FROM articles WHERE app_id = ? ORDER BY sent_at, idx",
                                        (app_id,)))}


@route("GET", "/sim/inspect/accounts/{app_id}/comments")
def comment_log(sim: Simulator, request: Request, app_id: str) -> dict:
    rows = sim.state.all("SELECT * FROM comments WHERE app_id = ? AND create_time <= ? ORDER BY id",
                     (app_id, sim.clock.now()))
    return {"comments": _rows(rows)}


@route("GET", "/sim/inspect/accounts/{app_id}/followers")
def follower_list(sim: Simulator, request: Request, app_id: str) -> dict:
    limit, offset = _limit(request, 100)
    rows = sim.state.all("SELECT * FROM followers WHERE app_id = ? ORDER BY seq LIMIT ? OFFSET ?",
                     (app_id, limit, offset))
    total = sim.state.scalar("SELECT COUNT(*) FROM followers WHERE app_id = ?", (app_id,))
    subscribed = sim.state.scalar("SELECT COUNT(*) FROM followers WHERE app_id = ? AND subscribed = 1", (app_id,))
    return {"total": total, "subscribed": subscribed,
            "followers": [{**dict(r), "tags": json.loads(r["tags"])} for r in rows]}


@route("GET", "/sim/inspect/accounts/{app_id}/activity")
def activity(sim: Simulator, request: Request, app_id: str) -> dict:
    rows = sim.state.all("SELECT day, kind, COUNT(*) AS events, COUNT(DISTINCT openid) AS users, SUM(times) AS times "
                     "FROM activity WHERE app_id = ? AND at <= ? GROUP BY day, kind ORDER BY day, kind",
                     (app_id, sim.clock.now()))
    days: dict[str, dict[str, Any]] = {}
    for row in rows:
        days.setdefault(row["day"], {})[row["kind"]] = {"events": row["events"], "users": row["users"],
                                                       "times": row["times"]}
    return {"days": days}


@route("GET", "/sim/inspect/accounts/{app_id}/tokens")
def token_list(sim: Simulator, request: Request, app_id: str) -> dict:
    now = sim.clock.now()
    rows = sim.state.all("SELECT * FROM tokens WHERE app_id = ? ORDER BY issued_at", (app_id,))
    return {"tokens": [{"token_prefix": r["token"][:8], "kind": r["kind"], "issued_at": r["issued_at"],
                        "expires_at": r["expires_at"], "revoked_at": r["revoked_at"],
                        "valid": now < r["expires_at"] and (r["revoked_at"] is None or now < r["revoked_at"])}
                       for r in rows]}


@route("GET", "/sim/inspect/api-calls")
def api_calls(sim: Simulator, request: Request) -> dict:
    limit, offset = _limit(request, 200)
    params: list[Any] = []
    where = _where(request, ("app_id", "path", "errcode", "method"), [], params)
    rows = sim.state.all(f"SELECT * FROM api_calls WHERE {where} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
                     [*params, limit, offset])
    total = sim.state.scalar(f"SELECT COUNT(*) FROM api_calls WHERE {where}", params)  # noqa: S608
    return {"total": total, "calls": [{**dict(r), "request": json.loads(r["request"] or "{}")} for r in rows]}


@route("GET", "/sim/inspect/accounts/{app_id}/scenes")
def scenes(sim: Simulator, request: Request, app_id: str) -> dict:
    """What the account's server was told, per QR scene (``""``: arrived by search), by event
    time in ``[since, until)``: ``subscribe`` counts each follower once, by the scene of their
    first subscribe; re-subscribes and unsubscribes count against that first scene; ``scan``
    counts SCANs by followers; ``following`` (at any time) those who came first through the
    scene and follow now."""
    since, until = _instant(request, "since", float("-inf")), _instant(request, "until", float("inf"))
    first: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}

    def count(scene: str, what: str, at: float | None = None) -> None:
        row = counts.setdefault(scene, dict.fromkeys(("subscribe", "resubscribe", "unsubscribe", "scan",
                                                      "following"), 0))
        row[what] += at is None or since <= at < until

    for row in sim.state.all("SELECT event, openid, xml FROM callbacks WHERE app_id = ? AND event IN "
                             "('subscribe', 'SCAN', 'unsubscribe') ORDER BY id", (app_id,)):
        found, created = EVENT_KEY.search(row["xml"]), CREATE_TIME.search(row["xml"])
        key, at = (found.group(1) if found else ""), (float(created.group(1)) if created else 0.0)
        openid = row["openid"]
        if row["event"] == "subscribe" and openid in first:
            count(first[openid], "resubscribe", at)
        elif row["event"] == "subscribe":
            first[openid] = key.removeprefix("qrscene_") if key.startswith("qrscene_") else ""
            count(first[openid], "subscribe", at)
        elif row["event"] == "SCAN":
            count(key, "scan", at)
        elif openid in first:
            count(first[openid], "unsubscribe", at)
    for openid, scene in first.items():
        if followers.get(sim, app_id, openid)["subscribed"]:
            count(scene, "following")
    return {"scenes": counts}
