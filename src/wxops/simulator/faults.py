"""Scriptable faults, per endpoint (or for callbacks), each for the next N calls.

Modes for a WeChat endpoint (``target`` = its path, e.g. ``/cgi-bin/message/mass/sendall``):

- ``errcode``: answer ``{"errcode": N}`` without doing anything;
- ``latency``: wait ``latency_ms`` (real time) before answering;
- ``timeout_after_accept``: do the operation, then drop the connection without an answer
  (after ``hold_ms`` of silence), as when WeChat accepted a send but the caller never heard;
- ``publish_status``: for ``/cgi-bin/freepublish/submit``, the publish ends with this status
  (2 original check failed, 3 general failure, 4 review rejected).

Modes for callbacks (``target`` = ``callback``): ``drop`` (never delivered), ``fail`` (every
try fails as if the network was down), ``duplicate`` (delivered once more after success).

``count`` = -1 keeps the fault until it is cleared. ``app_id`` limits it to one account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .state import State

API_MODES = ("errcode", "latency", "timeout_after_accept", "publish_status")
CALLBACK_MODES = ("drop", "fail", "duplicate")


class FaultError(ValueError):
    """An invalid fault description; the message says what to fix."""


@dataclass(frozen=True)
class Fault:
    id: int
    target: str
    app_id: str | None
    mode: str
    errcode: int | None
    errmsg: str | None
    latency_ms: int
    hold_ms: int
    publish_status: int | None
    remaining: int


def _int(data: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = data.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FaultError(f"{name} must be an integer")
    return value


def add(state: State, data: dict[str, Any], now: float) -> Fault:
    if not isinstance(data, dict):
        raise FaultError("a fault is a JSON object")
    target = data.get("target") or data.get("path")
    if not isinstance(target, str) or not (target == "callback" or target.startswith("/")):
        raise FaultError("target must be an API path such as /cgi-bin/message/mass/sendall, or 'callback'")
    mode = data.get("mode") or ("errcode" if "errcode" in data else "latency" if "latency_ms" in data else None)
    allowed = CALLBACK_MODES if target == "callback" else API_MODES
    if mode not in allowed:
        raise FaultError(f"mode must be one of {allowed} for target {target}")
    count = _int(data, "count", 1)
    if count == 0 or count < -1:
        raise FaultError("count must be a positive integer, or -1 for 'until cleared'")
    errcode = _int(data, "errcode")
    if mode == "errcode" and errcode is None:
        raise FaultError("mode errcode needs an errcode")
    publish_status = _int(data, "publish_status")
    if mode == "publish_status" and publish_status not in (2, 3, 4):
        raise FaultError("publish_status must be 2, 3 or 4")
    latency_ms = _int(data, "latency_ms", 0) or 0
    hold_ms = _int(data, "hold_ms", 0) or 0
    if latency_ms < 0 or hold_ms < 0 or latency_ms > 120_000 or hold_ms > 120_000:
        raise FaultError("latency_ms and hold_ms must be between 0 and 120000")
    app_id = data.get("app_id")
    if app_id is not None and not isinstance(app_id, str):
        raise FaultError("app_id must be a string")
    errmsg = data.get("errmsg")
    if errmsg is not None and not isinstance(errmsg, str):
        raise FaultError("errmsg must be a string")
    cursor = state.execute(
        "INSERT INTO faults (target, app_id, mode, errcode, errmsg, latency_ms, hold_ms, publish_status, remaining, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (target, app_id, mode, errcode, errmsg, latency_ms, hold_ms, publish_status, count, now),
    )
    return get(state, int(cursor.lastrowid))


def get(state: State, fault_id: int) -> Fault:
    row = state.one("SELECT * FROM faults WHERE id = ?", (fault_id,))
    assert row is not None
    return _fault(row)


def _fault(row: Any) -> Fault:
    return Fault(**{name: row[name] for name in Fault.__dataclass_fields__})


def active(state: State) -> list[Fault]:
    return [_fault(r) for r in state.all("SELECT * FROM faults WHERE remaining != 0 ORDER BY id")]


def clear(state: State, target: str | None = None) -> int:
    if target:
        return state.execute("DELETE FROM faults WHERE target = ?", (target,)).rowcount
    return state.execute("DELETE FROM faults").rowcount


def take(state: State, target: str, app_id: str | None) -> dict[str, Fault]:
    """Consume one use of each active fault for this call, at most one per mode (oldest first)."""
    taken: dict[str, Fault] = {}
    with state.transaction():
        rows = state.all(
            "SELECT * FROM faults WHERE target = ? AND remaining != 0 AND (app_id IS NULL OR app_id = ?) ORDER BY id",
            (target, app_id),
        )
        for row in rows:
            if row["mode"] in taken:
                continue
            taken[row["mode"]] = _fault(row)
            if row["remaining"] > 0:
                state.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],))
        state.execute("DELETE FROM faults WHERE remaining = 0")
    return taken


def describe(fault: Fault) -> dict[str, Any]:
    return {name: getattr(fault, name) for name in Fault.__dataclass_fields__}
