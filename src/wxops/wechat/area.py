"""The base of the API areas hanging off :class:`~wxops.wechat.client.WeChatClient`.

Each area module (``drafts``, ``mass``, ``qrcodes`` …) imports only this module and the
errors: the client imports the areas, never the other way round, so the package reads
top-down. An area sees its client only through :class:`Caller`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .errors import WeChatError

__all__ = ["Area", "Caller", "require"]


class Caller(Protocol):
    """What an area needs of the client: one authenticated call (see ``WeChatClient.call``),
    and the host that serves QR code images."""

    qrcode_base_url: str

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        idempotent: bool,
    ) -> dict[str, Any]: ...


class Area:
    """Base of the per-area API objects (``client.drafts``, ``client.mass`` …)."""

    def __init__(self, client: Caller):
        self._client = client

    def _post(self, path: str, body: Mapping[str, Any], *, idempotent: bool) -> dict[str, Any]:
        return self._client.call("POST", path, json_body=body, idempotent=idempotent)

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._client.call("GET", path, params=params, idempotent=True)


def require(payload: Mapping[str, Any], key: str, what: str) -> Any:
    """``payload[key]``, or a clear :class:`WeChatError` when WeChat's answer lacks it."""
    if key not in payload:
        raise WeChatError(f"{what}: WeChat's answer has no '{key}'")
    return payload[key]
