"""API call quotas: per-day limits (45009) and per-minute limits (45011), per account; and the
small platform endpoints around them (clear_quota, openapi/rid/get, getcallbackip).

The figures are WeChat's defaults for a new account (API_Call_Limits). Every call counts,
successful or not, as on the real platform. ``/cgi-bin/clear_quota`` resets the day's
counters, at most 10 times a month (48006 after that).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .api import ApiCall, endpoint
from .clock import china_date
from .errors import RID, WeChatError, ok

if TYPE_CHECKING:
    from .state import State

# path: (per day, per minute); None = not limited at that scale.
LIMITS: dict[str, tuple[int | None, int | None]] = {
    "/cgi-bin/token": (2000, None),
    "/cgi-bin/stable_token": (500_000, 10_000),
    "/cgi-bin/draft/add": (1000, None),
    "/cgi-bin/draft/get": (500, None),
    "/cgi-bin/draft/delete": (1000, None),
    "/cgi-bin/draft/update": (1000, None),
    "/cgi-bin/draft/count": (1000, None),
    "/cgi-bin/draft/batchget": (1000, None),
    "/cgi-bin/freepublish/submit": (100, None),
    "/cgi-bin/freepublish/get": (100, None),
    "/cgi-bin/freepublish/delete": (10, None),
    "/cgi-bin/freepublish/getarticle": (100, None),
    "/cgi-bin/freepublish/batchget": (100, None),
    "/cgi-bin/message/mass/sendall": (100, 60),
    "/cgi-bin/message/mass/preview": (100, None),
    "/cgi-bin/media/uploadimg": (100_000, None),
    "/cgi-bin/material/add_material": (100_000, None),
    "/cgi-bin/qrcode/create": (100_000, None),
    "/cgi-bin/message/custom/send": (500_000, None),
    "/cgi-bin/user/get": (500_000, None),
    "/cgi-bin/user/info": (5_000_000, None),
}
CLEARS_PER_MONTH = 10


def count(state: State, app_id: str, name: str, now: float) -> None:
    """Count one call of ``name``; raise 45009/45011 once its limit is passed."""
    per_day, per_minute = LIMITS.get(name, (None, None))
    periods = [("day:" + china_date(now).isoformat(), per_day, 45009)]
    if per_minute:
        periods.append((f"minute:{int(now // 60)}", per_minute, 45011))
    for period, limit, errcode in periods:
        state.execute(
            "INSERT INTO counters (app_id, name, period, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT(app_id, name, period) DO UPDATE SET count = count + 1",
            (app_id, name, period),
        )
        used = state.scalar(
            "SELECT count FROM counters WHERE app_id = ? AND name = ? AND period = ?", (app_id, name, period)
        )
        if limit is not None and used > limit:
            raise WeChatError(errcode)


@endpoint("/cgi-bin/clear_quota")
def clear_quota(call: ApiCall) -> dict:
    appid = call.field("appid", str)
    if appid != call.app.app_id:
        raise WeChatError(40013)
    state, now = call.sim.state, call.now
    month = "month:" + china_date(now).strftime("%Y-%m")
    used = state.scalar(
        "SELECT count FROM counters WHERE app_id = ? AND name = 'clear_quota' AND period = ?", (appid, month)
    )
    if (used or 0) >= CLEARS_PER_MONTH:
        raise WeChatError(48006)
    state.execute(
        "INSERT INTO counters (app_id, name, period, count) VALUES (?, 'clear_quota', ?, 1) "
        "ON CONFLICT(app_id, name, period) DO UPDATE SET count = count + 1",
        (appid, month),
    )
    state.execute(
        "DELETE FROM counters WHERE app_id = ? AND period = ?", (appid, "day:" + china_date(now).isoformat())
    )
    return ok()


@endpoint("/cgi-bin/openapi/rid/get")
def rid_get(call: ApiCall) -> dict:
    """What a request with this ``rid`` (from an error message) asked and got, as WeChat keeps it."""
    value = call.field("rid", str)
    if not RID.search(" rid: " + value):
        raise WeChatError(76002)
    row = call.sim.state.one("SELECT * FROM api_calls WHERE rid = ?", (value,))
    if row is None:
        raise WeChatError(76001)
    if row["app_id"] != call.app.app_id:
        raise WeChatError(76003)
    request = json.loads(row["request"] or "{}")
    query = "&".join(f"{k}={v}" for k, v in request.get("query", {}).items())
    return ok(request={"invoke_time": int(row["at"]), "cost_in_ms": row["wall_ms"] or 0,
                       "request_url": query, "request_body": request.get("body", ""),
                       "response_body": row["response"] or "", "client_ip": row["client_ip"] or ""})


@endpoint("/cgi-bin/getcallbackip", methods=("GET",))
def callback_ips(call: ApiCall) -> dict:
    """Where callbacks come from: the simulator itself."""
    return {"ip_list": ["127.0.0.1"]}


@endpoint("/cgi-bin/get_api_domain_ip", methods=("GET",))
def api_ips(call: ApiCall) -> dict:
    return {"ip_list": ["127.0.0.1"]}
