"""Simulated Official Accounts (公众号) and their configuration.

An account is registered through the control API with its credentials and the switches
that change WeChat's behaviour towards it (type, verification, callback mode, mass-send
protection, comment privilege, IP whitelist). The configuration is stored as JSON; unknown
keys are refused so that a typo does not silently fall back to a default.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .state import State

ACCOUNT_TYPES = ("subscription", "service")
ENCRYPT_MODES = ("plain", "compatible", "safe")
APP_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


class AccountError(ValueError):
    """Invalid account configuration; the message says which field and why."""


@dataclass(frozen=True)
class Account:
    app_id: str
    app_secret: str
    token: str = ""
    encoding_aes_key: str = ""
    account_type: str = "subscription"
    verified: bool = True
    name: str = "模拟公众号"
    original_id: str = ""
    callback_url: str = ""
    encrypt_mode: str = "plain"
    mass_send_protection: bool = False
    comment_privilege: bool = True
    ip_whitelist: tuple[str, ...] = ()
    callback_timeout: float = 5.0
    callback_tries: int = 3
    mass_send_seconds: float = 1.0
    publish_seconds: float = 3.0
    confirm_timeout: float = 1800.0
    categories: dict[str, str] = field(default_factory=dict)

    @property
    def username(self) -> str:
        """The gh_ id WeChat puts in ToUserName."""
        return self.original_id or "gh_" + re.sub(r"[^a-z0-9]", "", self.app_id.lower())[:12].ljust(12, "0")

    def public(self) -> dict[str, Any]:
        """The configuration without its secrets, for inspection."""
        data = dataclasses.asdict(self)
        for secret in ("app_secret", "token", "encoding_aes_key"):
            data[secret] = "***" if data[secret] else ""
        data["username"] = self.username
        return data


FIELDS = {f.name: f for f in dataclasses.fields(Account)}


def _check_type(name: str, value: Any) -> None:
    default = FIELDS[name].default if FIELDS[name].default is not dataclasses.MISSING else ""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(default, tuple):
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    elif FIELDS[name].default_factory is not dataclasses.MISSING:  # categories
        ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    else:
        ok = isinstance(value, str)
    if not ok:
        kinds = {bool: "true or false", int: "a number", float: "a number", tuple: "a list of strings",
                 str: "a string"}
        kind = kinds.get(type(default), "an object of strings")
        raise AccountError(f"{name} has the wrong type; expected {kind}")


def build(config: dict[str, Any], base: Account | None = None) -> Account:
    """An account from ``config`` laid over ``base`` (for updates); raises AccountError."""
    if not isinstance(config, dict):
        raise AccountError("the account must be a JSON object")
    config = dict(config)
    if "safe_mode" in config:
        config["encrypt_mode"] = "safe" if config.pop("safe_mode") else "plain"
    unknown = sorted(set(config) - set(FIELDS))
    if unknown:
        raise AccountError(f"unknown account field(s): {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}")
    for name, value in config.items():
        _check_type(name, value)
    values = dataclasses.asdict(base) if base else {}
    values.update(config)
    for name in ("app_id", "app_secret"):
        if not isinstance(values.get(name), str) or not values[name]:
            raise AccountError(f"{name} is required (a non-empty string)")
    if not APP_ID.match(values["app_id"]):
        raise AccountError("app_id may hold letters, digits, '_' and '-' only")
    if values.get("account_type", "subscription") not in ACCOUNT_TYPES:
        raise AccountError(f"account_type must be one of {ACCOUNT_TYPES}")
    if values.get("encrypt_mode", "plain") not in ENCRYPT_MODES:
        raise AccountError(f"encrypt_mode must be one of {ENCRYPT_MODES}")
    key = values.get("encoding_aes_key") or ""
    if key and not re.fullmatch(r"[A-Za-z0-9+/]{43}", key):
        raise AccountError("encoding_aes_key must be 43 characters from A-Z, a-z, 0-9, + and / (an EncodingAESKey)")
    if values.get("encrypt_mode", "plain") != "plain" and not key:
        raise AccountError("encrypt_mode safe/compatible needs an encoding_aes_key")
    if (values.get("encrypt_mode", "plain") != "plain" or values.get("callback_url")) and not values.get("token"):
        raise AccountError("a callback needs the account's token (used to sign callbacks)")
    url = values.get("callback_url") or ""
    if url and not (isinstance(url, str) and re.match(r"^https?://[^/\s]+", url)):
        raise AccountError("callback_url must be an http:// or https:// URL (or empty)")
    values["ip_whitelist"] = tuple(values.get("ip_whitelist") or ())
    for name in ("callback_timeout", "mass_send_seconds", "publish_seconds", "confirm_timeout"):
        if name in values and (not isinstance(values[name], int | float) or values[name] < 0):
            raise AccountError(f"{name} must be a non-negative number of seconds")
    if not isinstance(values.get("callback_tries", 3), int) or not 1 <= values.get("callback_tries", 3) <= 10:
        raise AccountError("callback_tries must be an integer from 1 to 10")
    if not isinstance(values.get("categories", {}), dict):
        raise AccountError("categories must map a title keyword to a category name")
    try:
        return Account(**values)
    except TypeError as exc:  # pragma: no cover - guarded above
        raise AccountError(str(exc)) from exc


class Accounts:
    def __init__(self, state: State, clock_now: Any) -> None:
        self.state = state
        self.clock_now = clock_now

    def get(self, app_id: str) -> Account | None:
        row = self.state.one("SELECT config FROM accounts WHERE app_id = ?", (app_id,))
        if row is None:
            return None
        return build(json.loads(row["config"]))

    def all(self) -> list[Account]:
        return [build(json.loads(r["config"])) for r in self.state.all("SELECT config FROM accounts ORDER BY app_id")]

    def upsert(self, config: dict[str, Any]) -> tuple[Account, bool]:
        """Create the account, or update the fields given; returns (account, created)."""
        with self.state.transaction():
            app_id = config.get("app_id") if isinstance(config, dict) else None
            existing = self.get(app_id) if isinstance(app_id, str) else None
            account = build(config, existing)
            data = dataclasses.asdict(account)
            data["ip_whitelist"] = list(account.ip_whitelist)
            self.state.execute(
                "INSERT INTO accounts (app_id, config, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT(app_id) DO UPDATE SET config = excluded.config",
                (account.app_id, json.dumps(data, ensure_ascii=False), self.clock_now()),
            )
            return account, existing is None
