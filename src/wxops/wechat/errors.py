"""Every way a WeChat call can fail, as one exception tree.

Each exception carries ``errcode`` (``None`` when WeChat never answered), ``errmsg``
(WeChat's own text, or ours) and ``retryable`` (whether the *same* request may be sent
again later and succeed)::

    WeChatError                          errcode, errmsg, retryable
    ├── ClientUsageError                 the client refused the call before sending it
    │   └── MissingClientMsgId           mass send without clientmsgid (never sent blindly)
    ├── TransportError                   no usable answer: connection failed, bad HTTP, not JSON
    │   └── OutcomeUnknown               timed out after the request went out: it may have run
    └── APIError                         WeChat answered with errcode != 0
        ├── SystemBusy                   -1                                   retryable
        ├── CredentialError              40001 40014 42001 (token) ........   retryable (refresh first)
        ├── AppCredentialError           40013 40125 41002 41004 (appid / secret wrong)
        ├── IPNotWhitelisted             40164
        ├── InvalidRequest               40xxx 41xxx 43xxx 44xxx 47xxx 61451 61500 ...
        │   ├── InvalidMedia             40007
        │   └── DateRangeError           61501
        ├── NotFound                     46xxx, 40059 (no such msg id)
        ├── LimitExceeded                45xxx not listed below
        │   ├── RateLimited              45009 (daily quota, not retryable), 45011 (minute, retryable)
        │   ├── NoMassSendQuota          45028
        │   └── ClientMsgIdError
        │       ├── DuplicateClientMsgId 45065   .msg_id = the send that already exists
        │       ├── ClientMsgIdTooFast   45066   retryable after a minute
        │       └── ClientMsgIdTooLong   45067
        └── PermissionDenied             48xxx 50xxx 89503 ...
            ├── NoApiPermission          48001
            └── NoCommentPermission      88000

Codes without a class of their own fall into the class of their range, and codes outside
every range into :class:`APIError`; the Chinese description of each code comes from the
project's ``data/error_codes.json`` table and is available as ``description``.

Callback crypto failures are a separate tree in :mod:`wxops.wechat.crypto`
(``CryptoError`` ← ``InvalidSignature``, ``InvalidAppId``), since they come from inbound
requests, not from calls to WeChat.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "APIError",
    "AppCredentialError",
    "ClientMsgIdError",
    "ClientMsgIdTooFast",
    "ClientMsgIdTooLong",
    "ClientUsageError",
    "CredentialError",
    "DateRangeError",
    "DuplicateClientMsgId",
    "IPNotWhitelisted",
    "InvalidMedia",
    "InvalidRequest",
    "LimitExceeded",
    "MissingClientMsgId",
    "NoApiPermission",
    "NoCommentPermission",
    "NoMassSendQuota",
    "NotFound",
    "OutcomeUnknown",
    "PermissionDenied",
    "RateLimited",
    "SystemBusy",
    "TransportError",
    "WeChatError",
    "describe_errcode",
    "error_from_response",
]

TOKEN_ERRCODES = frozenset({40001, 40014, 42001})


class WeChatError(Exception):
    """Base of every client failure. ``retryable`` says if the same request may succeed later."""

    retryable: bool = False

    def __init__(self, errmsg: str, *, errcode: int | None = None, retryable: bool | None = None):
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg
        if retryable is not None:
            self.retryable = retryable

    @property
    def description(self) -> str:
        """The project's Chinese description of ``errcode`` (empty when unknown)."""
        return describe_errcode(self.errcode) if self.errcode is not None else ""

    def __str__(self) -> str:
        if self.errcode is None:
            return self.errmsg
        desc = self.description
        tail = f" ({desc})" if desc and desc not in self.errmsg else ""
        return f"errcode {self.errcode}: {self.errmsg}{tail}"


class ClientUsageError(WeChatError, ValueError):
    """The call was refused by the client itself; nothing was sent to WeChat."""


class MissingClientMsgId(ClientUsageError):
    """A mass send needs a clientmsgid so that a retry can never reach followers twice."""


class TransportError(WeChatError):
    """WeChat gave no usable answer (network failure, HTTP error, a body that is not JSON)."""

    retryable = True


class OutcomeUnknown(TransportError):
    """The request was sent but no answer came back in time: it may have been carried out.

    Retry only with an idempotency key (mass send: the same clientmsgid) or after checking.
    """

    retryable = False


class APIError(WeChatError):
    """WeChat answered with a non-zero errcode."""

    def __init__(
        self,
        errmsg: str,
        *,
        errcode: int | None = None,
        retryable: bool | None = None,
        payload: dict[str, Any] | None = None,
    ):
        super().__init__(errmsg, errcode=errcode, retryable=retryable)
        self.payload = dict(payload or {})


class SystemBusy(APIError):
    """-1: the platform is busy; try again shortly."""

    retryable = True


class CredentialError(APIError):
    """40001/40014/42001: the access token is invalid, not the latest, or expired.

    The client refreshes the token and retries once by itself; seeing this means the
    retry failed too.
    """

    retryable = True


class AppCredentialError(APIError):
    """The AppID or AppSecret itself is wrong or missing; fix the account's settings."""


class IPNotWhitelisted(APIError):
    """40164: this server's IP is not on the account's IP whitelist (公众平台 → 基本配置)."""


class InvalidRequest(APIError):
    """The request is malformed or has invalid values; sending it again will not help."""


class InvalidMedia(InvalidRequest):
    """40007: unknown or wrong-kind media_id (temporary where permanent is needed, expired...)."""


class DateRangeError(InvalidRequest):
    """61501: datacube date range too long, or the end date is not yet available."""


class NotFound(APIError):
    """The referenced object (media, user, message) does not exist."""


class LimitExceeded(APIError):
    """A size, count or quota limit was reached."""


class RateLimited(LimitExceeded):
    """45009 (daily API quota; reset with clear_quota) or 45011 (per-minute; retry next minute)."""


class NoMassSendQuota(LimitExceeded):
    """45028: the day's (subscription) or month's (service account) mass-send quota is used up."""


class ClientMsgIdError(LimitExceeded):
    """A problem with the mass send's clientmsgid."""


class DuplicateClientMsgId(ClientMsgIdError):
    """45065: a mass send with this clientmsgid already exists in the last 24 h.

    ``msg_id`` is the existing send's id: treat the push as already sent and query it
    with ``mass.get(msg_id)``.
    """

    @property
    def msg_id(self) -> int | None:
        value = self.payload.get("msg_id")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None


class ClientMsgIdTooFast(ClientMsgIdError):
    """45066: the same clientmsgid was retried within a minute; wait a minute."""

    retryable = True


class ClientMsgIdTooLong(ClientMsgIdError):
    """45067: clientmsgid is longer than 64 bytes."""


class PermissionDenied(APIError):
    """The account may not use this API or act on this user."""


class NoApiPermission(PermissionDenied):
    """48001: API not authorised (unverified/expired account, or a permission withdrawn)."""


class NoCommentPermission(PermissionDenied):
    """88000: the account has no comment (留言) privilege."""


_BY_CODE: dict[int, tuple[type[APIError], bool | None]] = {
    -1: (SystemBusy, None),
    40001: (CredentialError, None),
    40014: (CredentialError, None),
    42001: (CredentialError, None),
    40002: (AppCredentialError, None),
    40013: (AppCredentialError, None),
    40125: (AppCredentialError, None),
    41002: (AppCredentialError, None),
    41004: (AppCredentialError, None),
    40164: (IPNotWhitelisted, None),
    40007: (InvalidMedia, None),
    61501: (DateRangeError, None),
    40059: (NotFound, None),
    45009: (RateLimited, False),
    45011: (RateLimited, True),
    45028: (NoMassSendQuota, None),
    45065: (DuplicateClientMsgId, None),
    45066: (ClientMsgIdTooFast, None),
    45067: (ClientMsgIdTooLong, None),
    48001: (NoApiPermission, None),
    88000: (NoCommentPermission, None),
    89503: (PermissionDenied, True),  # waiting for the administrator to confirm
    89506: (PermissionDenied, False),
    89507: (PermissionDenied, False),
    61450: (SystemBusy, None),
}

_BY_PREFIX: dict[int, type[APIError]] = {
    400: InvalidRequest,
    401: InvalidRequest,
    410: InvalidRequest,
    420: InvalidRequest,
    430: InvalidRequest,
    440: InvalidRequest,
    450: LimitExceeded,
    451: LimitExceeded,
    460: NotFound,
    470: InvalidRequest,
    480: PermissionDenied,
    500: PermissionDenied,
    530: InvalidRequest,
    614: InvalidRequest,
    615: InvalidRequest,
    653: InvalidRequest,
}


@cache
def _table() -> dict[int, str]:
    text = resources.files("wxops.wechat").joinpath("data/error_codes.json").read_text("utf-8")
    return {int(code): msg for code, msg in json.loads(text)["codes"].items()}


def describe_errcode(errcode: int) -> str:
    """The Chinese description of ``errcode`` from the project's table, or ``""``."""
    return _table().get(errcode, "")


def exception_class(errcode: int) -> tuple[type[APIError], bool | None]:
    """The exception class for ``errcode`` and an optional per-code ``retryable`` override."""
    if errcode in _BY_CODE:
        return _BY_CODE[errcode]
    return _BY_PREFIX.get(errcode // 100, APIError), None


def error_from_response(payload: dict[str, Any]) -> APIError | None:
    """Return the exception for a JSON answer with a non-zero errcode, else ``None``."""
    raw = payload.get("errcode", 0)
    try:
        errcode = int(raw)
    except (TypeError, ValueError):
        errcode = -1
    if errcode == 0:
        return None
    cls, retryable = exception_class(errcode)
    errmsg = str(payload.get("errmsg") or describe_errcode(errcode) or "unknown error")
    return cls(errmsg, errcode=errcode, retryable=retryable, payload=payload)
