"""The registry of simulated WeChat endpoints and the context each call receives.

Domain modules declare their endpoints with :func:`endpoint`; the server wraps each one
with what every real WeChat call goes through, in order: method check, access_token,
IP whitelist, call quotas, injected faults, the handler, and the call log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import WeChatError
from .router import Request

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World


@dataclass(frozen=True)
class Endpoint:
    path: str
    handler: Callable[[ApiCall], Any]
    methods: tuple[str, ...]
    needs_token: bool
    quota: str


ENDPOINTS: dict[str, Endpoint] = {}


def endpoint(
    path: str, *, methods: tuple[str, ...] = ("POST",), token: bool = True, quota: str | None = None
) -> Callable[[Callable[[ApiCall], Any]], Callable[[ApiCall], Any]]:
    """Declare a WeChat endpoint. ``quota`` names its call counter (defaults to the path)."""

    def register(handler: Callable[[ApiCall], Any]) -> Callable[[ApiCall], Any]:
        ENDPOINTS[path] = Endpoint(path, handler, methods, token, quota or path)
        return handler

    return register


@dataclass
class ApiCall:
    """One call to a WeChat endpoint, as its handler sees it."""

    sim: World
    request: Request
    now: float
    account: Account | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def app(self) -> Account:
        assert self.account is not None
        return self.account

    def check_ip(self) -> None:
        """40164 when the account has an IP whitelist and the caller is not on it."""
        allowed = self.account.ip_whitelist if self.account else ()
        ip = self.request.client_ip
        if allowed and ip not in allowed:
            raise WeChatError(40164, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")

    def require_verified(self) -> None:
        """48001 for an unverified account: drafts, mass sends and publishing need verification."""
        if not self.app.verified:
            raise WeChatError(48001)

    @cached_property
    def body(self) -> dict[str, Any]:
        """The JSON body: 44002 when empty, 47001 when it is not a JSON object."""
        raw = self.request.body
        if not raw or not raw.strip():
            raise WeChatError(44002)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise WeChatError(47001, f"data format error hint: [{type(exc).__name__}]") from exc
        if not isinstance(data, dict):
            raise WeChatError(47001)
        return data

    def field(self, name: str, kind: type | tuple[type, ...], *, required: bool = True, default: Any = None) -> Any:
        """A body field of the expected JSON type; 47001 for a wrong type, 44002/40035 for a missing one."""
        if name not in self.body or self.body[name] is None:
            if required:
                raise WeChatError(40035, f"invalid args, {name} is required")
            return default
        value = self.body[name]
        if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        if isinstance(value, bool) and kind is not bool and (kind is int or (isinstance(kind, tuple) and int in kind)):
            value = int(value)
        if not isinstance(value, kind):
            raise WeChatError(47001, f"data format error, field {name} has the wrong type")
        return value
