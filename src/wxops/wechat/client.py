"""The WeChat Official Account HTTP client: tokens, transport, errors and retries.

Usage::

    from wxops.wechat import WeChatClient, SqliteTokenStore

    client = WeChatClient(
        app_id, app_secret,
        base_url="http://127.0.0.1:9100",          # the simulator; default: real WeChat
        token_store=SqliteTokenStore("var/wechat-tokens.sqlite3"),
    )
    media_id = client.drafts.add([DraftArticle(title=..., content=..., thumb_media_id=...)])
    result = client.mass.send_mpnews(media_id, clientmsgid="acct1|2026-06-05T11:30|42")

Retry rules (why: a mass send must never reach followers twice):

* 40001/40014/42001 (token invalid/expired): refresh the shared token — only if the stored
  one is still the token that failed — and retry **once**, for every call: WeChat
  rejected the request before doing anything.
* -1 (busy), 45011 and transport failures: retried (``retries`` times, with backoff) only
  for calls marked idempotent (reads, uploads that are harmless to repeat, and fetching
  the stable_token without force_refresh).
* Anything else, and every failure of a non-idempotent call, is raised at once. A timeout
  after the request went out raises :class:`~wxops.wechat.errors.OutcomeUnknown`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from .access_tokens import AccessToken, MemoryTokenStore, TokenStore, mask_secret
from .comments import CommentsAPI
from .custom import CustomAPI
from .datacube import DatacubeAPI
from .drafts import DraftsAPI
from .errors import (
    TOKEN_ERRCODES,
    APIError,
    OutcomeUnknown,
    TransportError,
    WeChatError,
    error_from_response,
)
from .mass import MassAPI
from .media import MediaAPI
from .publish import PublishAPI
from .qrcodes import QRCodesAPI
from .redaction import RedactSecretsFilter
from .tls import tls_context
from .users import UsersAPI

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "WeChatClient"]

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
DEFAULT_QRCODE_BASE_URL = "https://mp.weixin.qq.com"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)

log = logging.getLogger(__name__)

# httpx logs every request URL at INFO, and the URL carries ``access_token=``.
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).addFilter(RedactSecretsFilter())


class WeChatClient:
    """A typed client for one Official Account (app id + secret).

    ``transport`` (an ``httpx.BaseTransport``) replaces the network, for tests;
    ``token_store`` is shared by all processes of a deployment (default: in memory);
    ``timeout`` is an ``httpx.Timeout`` or seconds. The areas of the API hang off the
    client: ``media``, ``drafts``, ``mass``, ``publish``, ``comments``, ``datacube``,
    ``qrcodes``, ``users``, ``custom``.
    """

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        qrcode_base_url: str | None = None,
        token_store: TokenStore | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        retries: int = 2,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ):
        if not app_id or not app_secret:
            raise ValueError("app_id and app_secret are both required")
        self.app_id = app_id
        self._secret = app_secret
        self.base_url = base_url.rstrip("/")
        if qrcode_base_url is None:
            # Against the simulator (or any non-default host), QR images come from the same host.
            qrcode_base_url = DEFAULT_QRCODE_BASE_URL if self.base_url == DEFAULT_BASE_URL else self.base_url
        self.qrcode_base_url = qrcode_base_url.rstrip("/")
        self.token_store: TokenStore = token_store if token_store is not None else MemoryTokenStore(clock)
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            transport=transport,
            verify=tls_context(),
            headers={"User-Agent": "wxops-wechat/0.1"},
        )
        self.media = MediaAPI(self)
        self.drafts = DraftsAPI(self)
        self.mass = MassAPI(self)
        self.publish = PublishAPI(self)
        self.comments = CommentsAPI(self)
        self.datacube = DatacubeAPI(self)
        self.qrcodes = QRCodesAPI(self)
        self.users = UsersAPI(self)
        self.custom = CustomAPI(self)

    def __repr__(self) -> str:
        return f"WeChatClient(app_id={self.app_id!r}, app_secret={mask_secret(self._secret)}, base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WeChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- access tokens --------------------------------------------------------------------

    def fetch_stable_token(self, *, force_refresh: bool = False) -> AccessToken:
        """POST /cgi-bin/stable_token. Use :meth:`access_token` instead; this bypasses the store.

        Without ``force_refresh`` it is an idempotent read: -1 (busy) and transport failures
        are retried like any read. A forced refresh rotates the token and is tried once.
        """
        attempts = 1 if force_refresh else self.retries + 1
        attempt = 0
        while True:
            try:
                return self._stable_token_once(force_refresh)
            except WeChatError as error:
                attempt += 1
                if attempt >= attempts or not (error.retryable or isinstance(error, TransportError)):
                    raise
                delay = self.backoff * (2 ** (attempt - 1))
                log.warning("stable_token failed (%s); retry %d in %.1fs", error, attempt, delay)
                self._sleep(delay)

    def _stable_token_once(self, force_refresh: bool) -> AccessToken:
        body = {
            "grant_type": "client_credential",
            "appid": self.app_id,
            "secret": self._secret,
            "force_refresh": force_refresh,
        }
        started = self._clock()
        payload = self._send("POST", "/cgi-bin/stable_token", params=None, json_body=body)
        error = error_from_response(payload)
        if error is not None:
            raise error
        value = payload.get("access_token")
        if not isinstance(value, str) or not value:
            raise TransportError("stable_token answer has no access_token")
        try:
            expires_in = float(payload.get("expires_in", 7200))
        except (TypeError, ValueError):
            expires_in = 7200.0
        return AccessToken(value, started + expires_in)

    def _fetch_after_failure(self, stale: str | None) -> Callable[[], AccessToken]:
        def fetch() -> AccessToken:
            token = self.fetch_stable_token()
            if stale is not None and token.value == stale:
                # WeChat still hands out the token it just rejected: force a new one
                # (limited to 20 a day, 30 s apart — reached only in this rare case).
                token = self.fetch_stable_token(force_refresh=True)
            return token

        return fetch

    def access_token(self) -> str:
        """A usable access token from the shared store, fetching one if needed."""
        current = self.token_store.get(self.app_id)
        if current is not None and current.is_usable(self._clock()):
            return current.value
        return self.token_store.refresh(self.app_id, self._fetch_after_failure(None)).value

    def _replace_failed_token(self, failed: str) -> None:
        self.token_store.refresh(self.app_id, self._fetch_after_failure(failed), stale=failed)

    def clear_quota(self) -> None:
        """POST /cgi-bin/clear_quota: reset today's API call counters after 45009.

        WeChat allows 10 resets a month (48006 after that); never called automatically.
        """
        self.call("POST", "/cgi-bin/clear_quota", json_body={"appid": self.app_id}, idempotent=False)

    # -- calls ----------------------------------------------------------------------------

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
    ) -> dict[str, Any]:
        """Call an API path with the access token; return the JSON answer or raise.

        ``idempotent`` decides whether busy/transport failures are retried (see the module
        docstring). Raises a :class:`~wxops.wechat.errors.WeChatError` subclass.
        """
        attempts = (self.retries + 1) if idempotent else 1
        refreshed = False
        attempt = 0
        while True:
            token = self.access_token()
            query = dict(params or {})
            query["access_token"] = token
            try:
                payload = self._send(method, path, params=query, json_body=json_body, files=files, data=data)
                error = error_from_response(payload)
            except TransportError as exc:
                error = exc
            if error is None:
                return payload
            if isinstance(error, APIError) and error.errcode in TOKEN_ERRCODES:
                if refreshed:
                    raise error  # a fresh token failed too: refreshing again would not help
                refreshed = True
                log.info("WeChat rejected the access token (errcode %s) on %s; refreshing", error.errcode, path)
                self._replace_failed_token(token)
                continue
            attempt += 1
            # A timed-out read may simply be asked again; only idempotent calls get here (attempts > 1).
            if attempt < attempts and (error.retryable or isinstance(error, TransportError)):
                delay = self.backoff * (2 ** (attempt - 1))
                log.warning("WeChat call %s failed (%s); retry %d in %.1fs", path, error, attempt, delay)
                self._sleep(delay)
                continue
            raise error

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json_body: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"params": params}
        if json_body is not None:
            # WeChat rejects \\uXXXX escapes (40033) and stores them literally: send real UTF-8.
            kwargs["content"] = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/json; charset=utf-8"}
        if files is not None:
            kwargs["files"] = files
            if data is not None:
                kwargs["data"] = data
        where = f"{method} {path}"
        try:
            response = self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise TransportError(f"{where}: could not connect to WeChat ({type(exc).__name__})") from None
        except httpx.TimeoutException as exc:
            raise OutcomeUnknown(
                f"{where}: no answer in time ({type(exc).__name__}); the request may have been carried out"
            ) from None
        except httpx.HTTPError as exc:
            raise OutcomeUnknown(f"{where}: connection failed mid-request ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise TransportError(f"{where}: HTTP {response.status_code} from WeChat", retryable=response.status_code >= 500)
        try:
            payload = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise TransportError(f"{where}: the answer is not JSON") from None
        if not isinstance(payload, dict):
            raise TransportError(f"{where}: the answer is not a JSON object")
        return payload

