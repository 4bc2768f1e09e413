"""Parametric QR codes: ``qrcode/create`` and ``showqrcode``.

Temporary codes (QR_SCENE with a 32-bit non-zero ``scene_id``, QR_STR_SCENE) last
``expire_seconds`` (60 by default, at most 30 days); permanent ones (QR_LIMIT_SCENE with
``scene_id`` 1..100000, QR_LIMIT_STR_SCENE) are capped at 100,000 and the same scene gives
the same ticket. A body without ``action_info.scene`` yields scene 0, the classic pitfall.
``showqrcode`` answers a real, scannable QR code (PNG) of the code's ``url``, as WeChat
does; a scan is simulated through the control API (``followers/subscribe`` with the
``ticket``, or the ``url`` a phone reads from the picture).
"""

from __future__ import annotations

import io
import secrets
from typing import TYPE_CHECKING, Any

import segno

from .api import ApiCall, endpoint
from .errors import WeChatError
from .router import Request, Response, route

if TYPE_CHECKING:
    from .world import World

ACTIONS = ("QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE")
MAX_EXPIRE = 2_592_000
DEFAULT_EXPIRE = 60
MAX_PERMANENT = 100_000


def _scene(call: ApiCall, action: str) -> tuple[int | None, str | None]:
    info = call.body.get("action_info")
    scene = info.get("scene") if isinstance(info, dict) else None
    if not isinstance(scene, dict):
        return (0, None) if action in ("QR_SCENE", "QR_LIMIT_SCENE") else (None, "0")
    if action.endswith("STR_SCENE"):
        value = scene.get("scene_str")
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            raise WeChatError(40035, "invalid args, scene_str must be 1 to 64 characters")
        return None, value
    value = scene.get("scene_id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise WeChatError(40035, "invalid args, scene_id must be an integer")
    if action == "QR_LIMIT_SCENE" and not 1 <= value <= 100_000:
        raise WeChatError(40035, "invalid args, a permanent scene_id is 1..100000")
    if action == "QR_SCENE" and (value == 0 or not -(2**31) <= value < 2**31):
        raise WeChatError(40035, "invalid args, scene_id is a non-zero 32-bit integer")
    return value, None


@endpoint("/cgi-bin/qrcode/create")
def create(call: ApiCall) -> dict:
    action = call.body.get("action_name")
    if action not in ACTIONS:
        raise WeChatError(40035, "invalid args, action_name")
    scene_id, scene_str = _scene(call, action)
    state, app_id = call.sim.state, call.app.app_id
    permanent = action.startswith("QR_LIMIT")
    if permanent:
        row = state.one("SELECT ticket, url FROM qrcodes WHERE app_id = ? AND action_name = ? AND scene_id IS ? "
                        "AND scene_str IS ?", (app_id, action, scene_id, scene_str))
        if row is not None:
            return {"ticket": row["ticket"], "url": row["url"]}
        if state.scalar("SELECT COUNT(*) FROM qrcodes WHERE app_id = ? AND expire_at IS NULL", (app_id,)) \
                >= MAX_PERMANENT:
            raise WeChatError(45009)
        expire = None
    else:
        expire = call.body.get("expire_seconds", DEFAULT_EXPIRE)
        if isinstance(expire, bool) or not isinstance(expire, int) or expire <= 0:
            raise WeChatError(40035, "invalid args, expire_seconds")
        expire = min(expire, MAX_EXPIRE)
    ticket = "gQ" + secrets.token_urlsafe(72)
    url = "http://weixin.qq.com/q/" + secrets.token_urlsafe(16)[:22]
    state.execute("INSERT INTO qrcodes (ticket, app_id, action_name, scene_id, scene_str, created_at, expire_at, url) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  (ticket, app_id, action, scene_id, scene_str, call.now,
                   call.now + expire if expire else None, url))
    answer: dict[str, Any] = {"ticket": ticket, "url": url}
    if expire:
        answer = {"ticket": ticket, "expire_seconds": expire, "url": url}
    return answer


def find(sim: World, ticket: str, now: float) -> Any:
    """The live code behind a ticket, or None when unknown or expired."""
    row = sim.state.one("SELECT * FROM qrcodes WHERE ticket = ?", (ticket,))
    if row is None or (row["expire_at"] is not None and now >= row["expire_at"]):
        return None
    return row


def find_by_url(sim: World, app_id: str, url: str, now: float) -> Any:
    """The live code of ``app_id`` whose picture encodes ``url`` (what a phone reads), or None."""
    row = sim.state.one("SELECT * FROM qrcodes WHERE app_id = ? AND url = ?", (app_id, url.strip()))
    if row is None or (row["expire_at"] is not None and now >= row["expire_at"]):
        return None
    return row


def picture(url: str) -> bytes:
    """The PNG a phone scans: a QR code of ``url`` with WeChat's quiet zone."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


@route("GET", "/cgi-bin/showqrcode")
def show(sim: World, request: Request) -> Response:
    row = find(sim, request.query.get("ticket", ""), sim.clock.now())
    if row is None:
        return Response(status=404, body=b"invalid ticket", content_type="text/plain")
    return Response(body=picture(row["url"]), content_type="image/png")
