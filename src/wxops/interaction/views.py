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

from django.conf import settings
from django.db import DatabaseError
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


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def endpoint_for(account: Account) -> CallbackEndpoint:
    """The account's callback protocol; ``ValueError`` (saying what is missing) when it is not configured."""
    secret = credentials(account)
    return CallbackEndpoint(token=secret.callback_token, app_id=account.app_id,
                            encoding_aes_key=secret.encoding_aes_key or None, mode=account.message_mode)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest, app_id: str) -> HttpResponse:
    """WeChat's callback for the account ``app_id``; see the module docstring for the answers."""
    try:
        return _callback(request, app_id)
    except DatabaseError as error:
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
    def __init__(self, response: HttpResponse):
        self.response = response


def _account(app_id: str, request: HttpRequest, *, fresh: bool = False) -> tuple[Account, CallbackEndpoint, bool]:
    """(account, endpoint, whether from the cache); :class:`_Refusal` when unknown or not set up."""
    known = None if fresh else _known.get(app_id)
    if known is not None and time.monotonic() - known[0] < KNOWN_FOR_SECONDS:
        return known[1], known[2], True
    _known.pop(app_id, None)
    account = Account.objects.filter(app_id=app_id).first()
    if account is None:
        logger.warning("callback for unknown app id %s from %s", app_id, request.META.get("REMOTE_ADDR"))
        raise _Refusal(_plain("unknown account", status=404))
    try:
        endpoint = endpoint_for(account)
    except ValueError as error:
        logger.error("callback for %s refused: the account is not set up for callbacks (%s)", app_id, error)
        raise _Refusal(_plain("account not configured for callbacks", status=403)) from None
    _known[app_id] = (time.monotonic(), account, endpoint)
    return account, endpoint, False


def _callback(request: HttpRequest, app_id: str) -> HttpResponse:
    try:
        account, endpoint, cached = _account(app_id, request, fresh=request.method == "GET")
        if request.method == "GET":
            return _verify_url(request, endpoint, app_id)
        return _receive(request, account, endpoint, cached=cached)
    except _Refusal as refusal:
        return refusal.response
    except DatabaseError:
        _known.pop(app_id, None)
        raise


def _verify_url(request: HttpRequest, endpoint: CallbackEndpoint, app_id: str) -> HttpResponse:
    try:
        return _plain(endpoint.verify_url(request.GET))
    except CryptoError as error:
        logger.warning("URL verification for %s refused: %s", app_id, error)
        return _plain("invalid signature", status=403)


def _read_body(request: HttpRequest) -> bytes | None:
    """The body, or None when it is over MAX_BODY (checked before reading all of it).

    A chunked POST has no Content-Length, and Django then reads nothing: read it from the
    server's input stream instead (gunicorn de-chunks it and marks it ``wsgi.input_terminated``).
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY:
        return None
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not declared and request.META.get("wsgi.input_terminated"):
        stream = request.META["wsgi.input"]
        body = b""
        while len(body) <= MAX_BODY:
            piece = stream.read(MAX_BODY + 1 - len(body))
            if not piece:
                break
            body += piece
    else:
        body = request.read(MAX_BODY + 1)
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


def _receive(request: HttpRequest, account: Account, endpoint: CallbackEndpoint, *, cached: bool) -> HttpResponse:
    app_id = account.app_id
    timestamp, nonce = request.GET.get("timestamp", ""), request.GET.get("nonce", "")
    if outside_window(timestamp):
        logger.warning("callback for %s refused: timestamp %r is outside the %d s window", app_id, timestamp[:20],
                       settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW)
        return _plain("timestamp outside the allowed window", status=403)
    body = _read_body(request)
    if body is None:
        logger.warning("callback for %s refused: body over %d bytes", app_id, MAX_BODY)
        return _plain("body too large", status=413)
    try:
        try:
            inbound = endpoint.parse_request(request.GET, body)
        except CryptoError:
            if not cached:
                raise
            # The Token, key or mode may have changed since the account was cached: look again.
            account, endpoint, _cached = _account(app_id, request, fresh=True)
            inbound = endpoint.parse_request(request.GET, body)
    except CryptoError as error:
        logger.warning("callback for %s refused: %s", app_id, error)
        return _plain("invalid signature", status=403)
    except ValueError as error:  # MessageParseError, or a plain body that is not UTF-8
        logger.warning("callback for %s refused: malformed body (%d bytes): %s", app_id, len(body),
                       str(error)[:200])
        return _plain("malformed body", status=400)
    return _store(account, endpoint, inbound, timestamp, nonce)


def _store(account: Account, endpoint: CallbackEndpoint, inbound: InboundRequest, timestamp: str,
           nonce: str) -> HttpResponse:
    try:
        received = actions.receive(account, inbound.message, xml=inbound.xml, signed_with=f"{timestamp}:{nonce}")
    except actions.ReplayedRequest:
        if not Account.objects.filter(pk=account.pk).exists():  # deleted since it was cached
            _known.pop(account.app_id, None)
            return _plain("unknown account", status=404)
        logger.warning("callback for %s refused: its signature already brought another message (replayed)",
                       account.app_id)
        return _plain("signature already used", status=403)
    return _answer(endpoint, inbound, received.reply, received.stored.reply_payload)


def _answer(endpoint: CallbackEndpoint, inbound: InboundRequest, text: str, payload: dict) -> HttpResponse:
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
    return HttpResponse(reply, content_type="application/xml; charset=utf-8")
