"""The WeChat callback URL (服务器配置 → 服务器地址): ``/wechat/callback/<app_id>/``.

GET answers WeChat's URL check (the ``echostr``); POST receives a message or event:
verify → decrypt → parse (all in :mod:`wxops.wechat`) → store once and dispatch to the
inbound handlers in one transaction (:func:`wxops.interaction.actions.receive`) → answer
``success`` or the passive reply the handlers chose.

This view never answers with a traceback. What WeChat (or anyone) gets back:

===============================================  =====  ===================================
request                                          HTTP   stored
===============================================  =====  ===================================
valid message or event (also a retry)            200    once
bad or non-ASCII signature, wrong mode/key/app   403    nothing
timestamp outside the window (±300 s default)    403    nothing
signature already used for another message       403    nothing
body not a WeChat message                        400    nothing
body over ``MAX_BODY`` bytes (also chunked)      413    nothing
no account with this app id                      404    nothing
account without callback Token / key             403    nothing
database failure                                 503    nothing (WeChat retries: not lost)
===============================================  =====  ===================================
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account
from wxops.core import clock
from wxops.wechat import (
    NO_REPLY,
    CallbackEndpoint,
    CryptoError,
    InboundRequest,
    NewsItem,
    image_reply,
    news_reply,
    text_reply,
)

from . import actions

logger = logging.getLogger("wxops.interaction.callback")

#: WeChat's callbacks are a few kilobytes (a publish result with eight articles is under 4 KB).
MAX_BODY = 256 * 1024


class Answer(NamedTuple):
    """What the callback answers, independent of the framework that serves it (Django or :mod:`.fast`)."""

    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"

    def response(self) -> HttpResponse:
        return HttpResponse(self.body, status=self.status, content_type=self.content_type)


def _plain(text: str, status: int = 200) -> Answer:
    return Answer(status, text)


def endpoint_for(account: Account) -> CallbackEndpoint:
    """The account's callback protocol; ``ValueError`` (saying what is missing) when it is not configured."""
    secret = credentials(account)
    return CallbackEndpoint(token=secret.callback_token, app_id=account.app_id,
                            encoding_aes_key=secret.encoding_aes_key or None, mode=account.message_mode)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, app_id: str) -> HttpResponse:
    """WeChat's callback for the account ``app_id``; see the module docstring for the answers."""
    if request.method == "GET":
        return guarded(app_id, lambda: _verify_url(request, app_id)).response()
    return receive_post(app_id, request.GET, lambda: _read_body(request),
                        request.META.get("REMOTE_ADDR", "")).response()


def receive_post(app_id: str, query: Mapping[str, str], read_body: Callable[[], bytes | None],
                 remote_addr: str) -> Answer:
    """A POST to the callback URL: ``read_body()`` gives the body, or None when it is over MAX_BODY."""
    return guarded(app_id, lambda: _receive_post(app_id, query, read_body, remote_addr))


def guarded(app_id: str, answer: Callable[[], Answer]) -> Answer:
    """``answer()``, or 503 (WeChat retries) when it fails — never a traceback."""
    try:
        return answer()
    except _Refusal as refusal:
        return refusal.answer
    except DatabaseError as error:
        _known.pop(app_id, None)
        logger.error("callback for %s: database unavailable (%s); answered 503 so WeChat retries",
                     app_id, type(error).__name__)
    except Exception:
        logger.exception("callback for %s failed; answered 503", app_id)
    return _plain("", status=503)


#: app id → (when looked up, account, endpoint): a callback needs no SELECT for its account. An entry
#: lives KNOWN_FOR_SECONDS; a callback refused with a cached entry is checked again with a fresh one
#: (the Token, key or mode may have just changed), so the cache never refuses a valid callback.
_known: dict[str, tuple[float, Account, CallbackEndpoint]] = {}
KNOWN_FOR_SECONDS = 60.0


class _Refusal(Exception):
    def __init__(self, answer: Answer):
        self.answer = answer


def _account(app_id: str, remote_addr: str, *, fresh: bool = False) -> tuple[Account, CallbackEndpoint, bool]:
    """(account, endpoint, whether from the cache); :class:`_Refusal` when unknown or not set up."""
    known = None if fresh else _known.get(app_id)
    if known is not None and time.monotonic() - known[0] < KNOWN_FOR_SECONDS:
        return known[1], known[2], True
    _known.pop(app_id, None)
    account = Account.objects.filter(app_id=app_id).first()
    if account is None:
        logger.warning("callback for unknown app id %s from %s", app_id, remote_addr)
        raise _Refusal(_plain("unknown account", status=404))
    try:
        endpoint = endpoint_for(account)
    except ValueError as error:
        logger.error("callback for %s refused: the account is not set up for callbacks (%s)", app_id, error)
        raise _Refusal(_plain("account not configured for callbacks", status=403)) from None
    _known[app_id] = (time.monotonic(), account, endpoint)
    return account, endpoint, False


def _verify_url(request: HttpRequest, app_id: str) -> Answer:
    _account_, endpoint, _cached = _account(app_id, request.META.get("REMOTE_ADDR", ""), fresh=True)
    try:
        return _plain(endpoint.verify_url(request.GET))
    except CryptoError as error:
        logger.warning("URL verification for %s refused: %s", app_id, error)
        return _plain("invalid signature", status=403)


def _read_body(request: HttpRequest) -> bytes | None:
    return read_body(request.META, request.read)


def read_body(meta: Mapping, read: Callable[[int], bytes]) -> bytes | None:
    """The body (``read(n)`` reads it), or None when it is over MAX_BODY (checked before reading all of it).

    A chunked POST has no Content-Length, and Django then reads nothing: read it from the
    server's input stream instead (gunicorn de-chunks it and marks it ``wsgi.input_terminated``).
    """
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return None
    chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not declared and meta.get("wsgi.input_terminated"):
        stream = meta["wsgi.input"]
        body = b""
        while len(body) <= MAX_BODY:
            piece = stream.read(MAX_BODY + 1 - len(body))
            if not piece:
                break
            body += piece
    else:
        body = read(MAX_BODY + 1)
    return None if len(body) > MAX_BODY else body


def outside_window(timestamp: str) -> bool:
    """Whether the request's ``timestamp`` is further than the window from our clock (never, when it is 0).

    The signature of a plain-mode request covers only token, timestamp and nonce, not the
    body; the window (with the one-message-per-signed-request rule of ``actions.receive``)
    stops a signature copied from a log from injecting messages later.
    """
    window = settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW
    if not window:
        return False
    try:
        sent = int(timestamp)
    except ValueError:
        return True
    return abs(clock.now().timestamp() - sent) > window


def _receive_post(app_id: str, query: Mapping[str, str], read_body: Callable[[], bytes | None],
                  remote_addr: str) -> Answer:
    account, endpoint, cached = _account(app_id, remote_addr)
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    if outside_window(timestamp):
        logger.warning("callback for %s refused: timestamp %r is outside the %d s window", app_id, timestamp[:20],
                       settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW)
        return _plain("timestamp outside the allowed window", status=403)
    body = read_body()
    if body is None:
        logger.warning("callback for %s refused: body over %d bytes", app_id, MAX_BODY)
        return _plain("body too large", status=413)
    try:
        try:
            inbound = endpoint.parse_request(query, body)
        except CryptoError:
            if not cached:
                raise
            # The Token, key or mode may have changed since the account was cached: look again.
            account, endpoint, _cached = _account(app_id, remote_addr, fresh=True)
            inbound = endpoint.parse_request(query, body)
    except CryptoError as error:
        logger.warning("callback for %s refused: %s", app_id, error)
        return _plain("invalid signature", status=403)
    except ValueError as error:  # MessageParseError, or a plain body that is not UTF-8
        logger.warning("callback for %s refused: malformed body (%d bytes): %s", app_id, len(body),
                       str(error)[:200])
        return _plain("malformed body", status=400)
    return _store(account, endpoint, inbound, timestamp, nonce)


def _store(account: Account, endpoint: CallbackEndpoint, inbound: InboundRequest, timestamp: str,
           nonce: str) -> Answer:
    try:
        received = on_a_live_connection(lambda: actions.receive(account, inbound.message, xml=inbound.xml,
                                                                signed_with=f"{timestamp}:{nonce}"))
    except actions.ReplayedRequest:
        if not Account.objects.filter(pk=account.pk).exists():  # deleted since it was cached
            _known.pop(account.app_id, None)
            return _plain("unknown account", status=404)
        logger.warning("callback for %s refused: its signature already brought another message (replayed)",
                       account.app_id)
        return _plain("signature already used", status=403)
    return _answer(endpoint, inbound, received.reply, received.payload)


def on_a_live_connection(work: Callable[[], actions.Received]) -> actions.Received:
    """``work()`` on the kept database connection, without Django's health check before it.

    With ``CONN_HEALTH_CHECKS`` Django sends a ``SELECT 1`` before each request's first query, a
    round trip per callback on PostgreSQL. Here the check is made only after a failure: when the
    kept connection turns out dead (the server restarted, an idle timeout), it is replaced and the
    work done again — safe, since storing is idempotent and nothing was committed by the try that
    failed (or, if its commit went through, the second try finds the message as a retry does).
    """
    db = connections[DEFAULT_DB_ALIAS]
    kept = db.connection is not None and not db.in_atomic_block
    if kept:
        db.health_check_done = True
    try:
        return work()
    except (OperationalError, InterfaceError):
        if not kept or db.is_usable():
            raise
        logger.info("the kept database connection was dead; the callback was stored on a new one")
        db.close()
        return work()


def _answer(endpoint: CallbackEndpoint, inbound: InboundRequest, text: str, payload: dict) -> Answer:
    """``success``, or the passive reply — text, image or news (encrypted when the request was)."""
    if not text:
        return _plain(NO_REPLY)
    timestamp = int(clock.now().timestamp())
    message = inbound.message
    if payload.get("news"):
        xml = news_reply(message, [NewsItem(**card) for card in payload["news"]], create_time=timestamp)
    elif payload.get("media_id"):
        xml = image_reply(message, payload["media_id"], create_time=timestamp)
    else:
        xml = text_reply(message, text, create_time=timestamp)
    reply = endpoint.render_reply(xml, inbound, timestamp=str(timestamp))
    return Answer(200, reply, "application/xml; charset=utf-8")
