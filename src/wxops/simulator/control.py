"""The simulator's control API under ``/sim/``: accounts, audience, clock, faults, and
followers' actions. JSON in, JSON out; a mistake answers HTTP 400 with ``{"error": ...}``
that says what to fix.
"""

from __future__ import annotations

import json
import secrets
import time
from importlib import resources
from typing import Any

import httpx

from wxops.wechat.crypto import signature

from . import behaviour, callbacks, faults, followers, mass, qrcodes
from .accounts import AccountError
from .audience import ProfileError
from .clock import ClockError, iso, parse_instant
from .engine import Simulator
from .router import Request, Response, route
from .state import SCHEMA

MAX_JUMP_DAYS = 400


class ControlError(ValueError):
    """A control request that cannot be honoured."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def body_of(request: Request) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ControlError(f"the body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def clock_view(sim: Simulator) -> dict[str, Any]:
    now = sim.clock.now()
    return {"now": now, "iso": iso(now), "frozen": sim.clock.frozen}


def _account(sim: Simulator, app_id: str):
    account = sim.accounts.get(app_id)
    if account is None:
        raise ControlError(f"no account {app_id}; register it with POST /sim/accounts", 404)
    return account


def _preset(name: str) -> dict[str, Any]:
    """A profile shipped with the simulator (``data/profiles/<name>.json``)."""
    if not name.isidentifier():
        raise ControlError(f"no preset profile {name!r}", 404)
    try:
        return json.loads(resources.files("wxops.simulator").joinpath(f"data/profiles/{name}.json").read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ControlError(f"no preset profile {name!r}; try 'demo'", 404) from exc


def _deliver_now(sim: Simulator, callback_id: int, wait: bool) -> dict[str, Any]:
    """Deliver a follower's callback at once, so the caller sees the account's reply."""
    if wait:
        callbacks.deliver(sim, callback_id)
        deadline = time.monotonic() + 60
        # The background worker may have claimed it first: wait for its outcome.
        while time.monotonic() < deadline and sim.state.scalar(
                "SELECT status FROM callbacks WHERE id = ?", (callback_id,)) in ("pending", "delivering"):
            time.sleep(0.02)
    row = sim.state.one("SELECT * FROM callbacks WHERE id = ?", (callback_id,))
    return callbacks.record(sim, row)


@route("GET", "/sim/health")
def health(sim: Simulator, request: Request) -> dict:
    return {"ok": True, "clock": clock_view(sim), "state": sim.state.path}


@route("GET", "/sim/clock")
def get_clock(sim: Simulator, request: Request) -> dict:
    return clock_view(sim)


@route("POST", "/sim/clock")
def move_clock(sim: Simulator, request: Request) -> dict:
    data = body_of(request)
    seconds, days = data.get("advance", 0), data.get("advance_days", 0)
    if any(isinstance(v, bool) or not isinstance(v, int | float) for v in (seconds, days)):
        raise ControlError("advance and advance_days are numbers")
    force = bool(data.get("force"))
    now = sim.clock.now()
    try:
        target = parse_instant(data["set"]) if "set" in data else now
    except ClockError as exc:
        raise ControlError(str(exc)) from exc
    target += seconds + days * 86400
    if target < now - 1e-6 and not force:
        raise ControlError("the simulated clock only moves forward; pass force=true to go back")
    if target - now > MAX_JUMP_DAYS * 86400 and not force:
        raise ControlError(f"moving the clock more than {MAX_JUMP_DAYS} days at once replays every day of "
                           "follower activity; move it in steps, or pass force=true")
    if "freeze" in data:
        sim.clock.freeze(bool(data["freeze"]))
    if target != now:
        sim.clock.set(target, force=True)  # checked above against the same reading of the clock
    sim.settle()
    sim.wake()
    return clock_view(sim)


@route("POST", "/sim/settle")
def settle(sim: Simulator, request: Request) -> dict:
    sim.settle()
    return {"ok": True}


@route("POST", "/sim/callbacks/drain")
def drain(sim: Simulator, request: Request) -> dict:
    timeout = body_of(request).get("timeout", 60)
    return {"delivered": sim.drain(float(timeout))}


@route("POST", "/sim/reset")
def reset(sim: Simulator, request: Request) -> dict:
    with sim.state.transaction():
        for line in SCHEMA.split(";"):
            if line.strip().startswith("CREATE TABLE"):
                table = line.split("EXISTS")[1].split("(")[0].strip()
                if table != "meta":
                    sim.state.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
        for row in sim.state.all("SELECT key FROM meta WHERE key LIKE 'seq:%'"):
            sim.state.execute("DELETE FROM meta WHERE key = ?", (row["key"],))
    return {"ok": True}


@route("GET", "/sim/accounts")
def accounts(sim: Simulator, request: Request) -> dict:
    return {"accounts": [a.public() for a in sim.accounts.all()]}


@route("POST", "/sim/accounts")
def upsert(sim: Simulator, request: Request) -> Response:
    try:
        account, created = sim.accounts.upsert(body_of(request))
    except AccountError as exc:
        raise ControlError(str(exc)) from exc
    return Response.json({"account": account.public(), "created": created}, 201 if created else 200)


@route("GET", "/sim/accounts/{app_id}")
def account(sim: Simulator, request: Request, app_id: str) -> dict:
    return {"account": _account(sim, app_id).public()}


@route("POST", "/sim/accounts/{app_id}")
def update(sim: Simulator, request: Request, app_id: str) -> dict:
    _account(sim, app_id)
    try:
        account, _ = sim.accounts.upsert({**body_of(request), "app_id": app_id})
    except AccountError as exc:
        raise ControlError(str(exc)) from exc
    return {"account": account.public()}


@route("GET", "/sim/profiles/{name}")
def preset(sim: Simulator, request: Request, name: str) -> dict:
    return _preset(name)


@route(("POST", "PUT"), "/sim/accounts/{app_id}/audience")
def load_audience(sim: Simulator, request: Request, app_id: str) -> dict:
    account = _account(sim, app_id)
    profile = _preset(request.query["preset"]) if request.query.get("preset") else body_of(request)
    try:
        return behaviour.load(sim, account, profile)
    except ProfileError as exc:
        raise ControlError(f"audience profile: {exc}") from exc


@route("GET", "/sim/accounts/{app_id}/audience")
def get_audience(sim: Simulator, request: Request, app_id: str) -> dict:
    profile = behaviour.profile_of(sim, app_id)
    if profile is None:
        raise ControlError(f"{app_id} has no audience profile", 404)
    return profile.raw


@route("POST", "/sim/accounts/{app_id}/followers/subscribe")
def subscribe(sim: Simulator, request: Request, app_id: str) -> dict:
    account, data = _account(sim, app_id), body_of(request)
    with sim.state.transaction():
        scene_str, scene_id, ticket = data.get("scene_str"), data.get("scene_id", 0), data.get("ticket")
        if data.get("url"):
            code = qrcodes.find_by_url(sim, app_id, str(data["url"]), sim.clock.now())
            if code is None:
                raise ControlError(f"no live QR code of {app_id} encodes {data['url']!r}")
            ticket, scene_str, scene_id = code["ticket"], code["scene_str"], code["scene_id"] or 0
        elif ticket:
            code = qrcodes.find(sim, ticket, sim.clock.now())
            if code is None or code["app_id"] != app_id:
                raise ControlError("unknown or expired ticket")
            scene_str, scene_id = code["scene_str"], code["scene_id"] or 0
        elif scene_str or scene_id:
            ticket = sim.state.scalar(
                "SELECT ticket FROM qrcodes WHERE app_id = ? AND (scene_str = ? OR scene_id = ?) "
                "ORDER BY created_at DESC LIMIT 1", (app_id, scene_str, scene_id))
        before = sim.state.scalar("SELECT MAX(id) FROM callbacks") or 0
        openid = followers.subscribe(sim, account, sim.clock.now(), openid=data.get("openid"),
                                     scene_str=scene_str, scene_id=scene_id or 0, ticket=ticket,
                                     wxname=data.get("wxname"), notify=data.get("notify", True))
        new = [r["id"] for r in sim.state.all("SELECT id FROM callbacks WHERE id > ? AND openid = ?",
                                               (before, openid))]
    return {"openid": openid, "callbacks": [_deliver_now(sim, i, data.get("wait", True)) for i in new]}


@route("POST", "/sim/accounts/{app_id}/followers/{openid}/unsubscribe")
def unsubscribe(sim: Simulator, request: Request, app_id: str, openid: str) -> dict:
    account, data = _account(sim, app_id), body_of(request)
    with sim.state.transaction():
        before = sim.state.scalar("SELECT MAX(id) FROM callbacks") or 0
        if not followers.unsubscribe(sim, account, openid, sim.clock.now()):
            raise ControlError(f"{openid} does not follow {app_id}")
        new = [r["id"] for r in sim.state.all("SELECT id FROM callbacks WHERE id > ?", (before,))]
    return {"openid": openid, "callbacks": [_deliver_now(sim, i, data.get("wait", True)) for i in new]}


@route("POST", "/sim/accounts/{app_id}/followers/{openid}/message")
def message(sim: Simulator, request: Request, app_id: str, openid: str) -> dict:
    account, data = _account(sim, app_id), body_of(request)
    msg_type = data.get("msg_type", "text")
    content = data.get("content", "")
    if msg_type == "text" and (not isinstance(content, str) or not content):
        raise ControlError("a text message needs a non-empty content")
    extra = {"Event": "CLICK", "EventKey": data.get("key", "")} if msg_type == "event" else data.get("fields")
    try:
        with sim.state.transaction():
            callback_id = followers.send_message(sim, account, openid, sim.clock.now(), content, msg_type, extra)
    except followers.FollowerError as exc:
        raise ControlError(str(exc)) from exc
    return {"callback": _deliver_now(sim, callback_id, data.get("wait", True))}


@route("POST", "/sim/accounts/{app_id}/followers/{openid}/comment")
def comment(sim: Simulator, request: Request, app_id: str, openid: str) -> dict:
    account, data = _account(sim, app_id), body_of(request)
    try:
        with sim.state.transaction():
            comment_id = followers.add_comment(sim, account, openid, int(data.get("msg_data_id", 0)),
                                               int(data.get("index", 0)), str(data.get("content", "")),
                                               sim.clock.now())
    except (followers.FollowerError, ValueError) as exc:
        raise ControlError(str(exc)) from exc
    return {"user_comment_id": comment_id}


@route("POST", "/sim/accounts/{app_id}/mass/{msg_id}/confirm")
def confirm(sim: Simulator, request: Request, app_id: str, msg_id: str) -> dict:
    _account(sim, app_id)
    try:
        with sim.state.transaction():
            status = mass.confirm(sim, app_id, int(msg_id), bool(body_of(request).get("approve", True)))
    except ValueError as exc:
        raise ControlError(str(exc)) from exc
    sim.settle()
    return {"msg_id": int(msg_id), "status": status}


@route("POST", "/sim/accounts/{app_id}/verify-callback")
def verify_callback(sim: Simulator, request: Request, app_id: str) -> dict:
    account = _account(sim, app_id)
    if not account.callback_url:
        raise ControlError(f"{app_id} has no callback_url")
    timestamp, nonce, echostr = str(int(sim.clock.now())), str(secrets.randbelow(10**9)), secrets.token_hex(8)
    params = {"signature": signature(account.token, timestamp, nonce), "timestamp": timestamp,
              "nonce": nonce, "echostr": echostr}
    try:
        response = httpx.get(account.callback_url, params=params, timeout=account.callback_timeout)
    except httpx.HTTPError as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": response.status_code == 200 and response.text == echostr, "status_code": response.status_code,
            "reply": response.text[:200]}


@route("GET", "/sim/faults")
def list_faults(sim: Simulator, request: Request) -> dict:
    return {"faults": [faults.describe(f) for f in faults.active(sim.state)]}


@route("POST", "/sim/faults")
def add_fault(sim: Simulator, request: Request) -> Response:
    try:
        fault = faults.add(sim.state, body_of(request), sim.clock.now())
    except faults.FaultError as exc:
        raise ControlError(str(exc)) from exc
    return Response.json({"fault": faults.describe(fault)}, 201)


@route("DELETE", "/sim/faults")
def clear_faults(sim: Simulator, request: Request) -> dict:
    return {"cleared": faults.clear(sim.state, request.query.get("target"))}
