"""Access tokens: ``/cgi-bin/token`` and ``/cgi-bin/stable_token``, kept in separate slots.

- ``/cgi-bin/token`` issues a new token on every call; the previous one stays valid for a
  300 s grace, then answers 40001.
- ``/cgi-bin/stable_token`` (POST JSON only) returns the same token while at least 300 s
  of its 7200 s remain; after that it rotates and the old token lives out its own expiry.
  ``force_refresh`` rotates at once and invalidates the previous token, at most 20 times a
  day and not within 30 s of the last forced refresh (then the current token comes back).
- A token past its expiry answers 42001; an unknown or replaced one 40001.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from . import quotas
from .api import ApiCall, endpoint
from .clock import china_date
from .errors import WeChatError

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World

LIFETIME = 7200
GRACE = 300
FORCE_GAP = 30
FORCE_PER_DAY = 20


def _new_token() -> str:
    # Real tokens are 130-160 opaque characters; clients must keep 512.
    return secrets.token_urlsafe(102)[:136]


def _credentials(call: ApiCall, appid: object, secret: object) -> Account:
    if not appid:
        raise WeChatError(41002)
    if not secret:
        raise WeChatError(41004)
    account = call.sim.accounts.get(str(appid))
    if account is None:
        raise WeChatError(40013)
    if not secrets.compare_digest(str(secret), account.app_secret):
        raise WeChatError(40125)
    call.account = account
    call.check_ip()
    return account


def _issue(sim: World, app_id: str, kind: str, now: float) -> tuple[str, float]:
    token = _new_token()
    sim.state.execute(
        "INSERT INTO tokens (token, app_id, kind, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        (token, app_id, kind, now, now + LIFETIME),
    )
    return token, now + LIFETIME


@endpoint("/cgi-bin/token", methods=("GET",), token=False)
def get_token(call: ApiCall) -> dict:
    query = call.request.query
    if query.get("grant_type") != "client_credential":
        raise WeChatError(40002)
    account = _credentials(call, query.get("appid"), query.get("secret"))
    quotas.count(call.sim.state, account.app_id, "/cgi-bin/token", call.now)
    now = call.now
    # The previous tokens of this slot keep a 300 s grace, never more than their own expiry.
    call.sim.state.execute(
        "UPDATE tokens SET revoked_at = MIN(expires_at, ?) WHERE app_id = ? AND kind = 'token' AND revoked_at IS NULL",
        (now + GRACE, account.app_id),
    )
    token, _ = _issue(call.sim, account.app_id, "token", now)
    return {"access_token": token, "expires_in": LIFETIME}


@endpoint("/cgi-bin/stable_token", methods=("POST",), token=False)
def stable_token(call: ApiCall) -> dict:
    body = call.body
    if body.get("grant_type") != "client_credential":
        raise WeChatError(40002)
    account = _credentials(call, body.get("appid"), body.get("secret"))
    quotas.count(call.sim.state, account.app_id, "/cgi-bin/stable_token", call.now)
    force = body.get("force_refresh", False)
    if not isinstance(force, bool):
        raise WeChatError(47001, "data format error, force_refresh must be a boolean")
    state, now = call.sim.state, call.now
    current = state.one(
        "SELECT token, expires_at FROM tokens WHERE app_id = ? AND kind = 'stable' AND revoked_at IS NULL "
        "ORDER BY issued_at DESC LIMIT 1",
        (account.app_id,),
    )
    if force:
        forced = [r["at"] for r in state.all("SELECT at FROM forced_refreshes WHERE app_id = ?", (account.app_id,))]
        today = [at for at in forced if china_date(at) == china_date(now)]
        if len(today) >= FORCE_PER_DAY:
            raise WeChatError(45009)
        if current is not None and forced and now - max(forced) < FORCE_GAP:
            return {"access_token": current["token"], "expires_in": int(current["expires_at"] - now)}
        state.execute("INSERT INTO forced_refreshes (app_id, at) VALUES (?, ?)", (account.app_id, now))
        state.execute(
            "UPDATE tokens SET revoked_at = ? WHERE app_id = ? AND kind = 'stable' AND revoked_at IS NULL",
            (now, account.app_id),
        )
    elif current is not None and current["expires_at"] - now >= GRACE:
        return {"access_token": current["token"], "expires_in": int(current["expires_at"] - now)}
    elif current is not None:
        # Renewal 5 minutes before expiry: the old token lives out its last seconds.
        state.execute("UPDATE tokens SET revoked_at = expires_at WHERE token = ?", (current["token"],))
    token, _ = _issue(call.sim, account.app_id, "stable", now)
    return {"access_token": token, "expires_in": LIFETIME}


def account_for_token(sim: World, token: str | None, now: float) -> Account:
    """The account an access_token belongs to; 41001, 40014, 40001 or 42001 otherwise."""
    if token is None or token == "":
        raise WeChatError(41001)
    if len(token) < 16 or not token.replace("-", "").replace("_", "").isalnum():
        raise WeChatError(40014)
    row = sim.state.one("SELECT app_id, expires_at, revoked_at FROM tokens WHERE token = ?", (token,))
    if row is None:
        raise WeChatError(40001)
    if row["revoked_at"] is not None and row["revoked_at"] < row["expires_at"] and now >= row["revoked_at"]:
        raise WeChatError(40001)
    if now >= row["expires_at"]:
        raise WeChatError(42001)
    account = sim.accounts.get(row["app_id"])
    if account is None:
        raise WeChatError(40001)
    return account
