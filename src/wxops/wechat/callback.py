"""The callback (服务器配置) protocol for one account, independent of any web framework.

A view hands over the query parameters and the raw body; this module checks signatures,
decrypts, parses, and encrypts the reply::

    endpoint = CallbackEndpoint(token=..., app_id=..., encoding_aes_key=..., mode="safe")

    # GET: URL verification when the URL is saved in the platform's settings
    return HttpResponse(endpoint.verify_url(request.GET))          # the echostr, unchanged

    # POST: a message or event
    inbound = endpoint.parse_request(request.GET, request.body)    # .message, .encrypted
    reply_xml = text_reply(inbound.message, "收到")
    return HttpResponse(endpoint.render_reply(reply_xml, inbound))

Modes: ``plain`` (明文), ``compatible`` (兼容: both plain and encrypted requests accepted),
``safe`` (安全: encrypted only). A reply is encrypted whenever the request was
(``encrypt_type=aes``), which is always the case in safe mode. ``previous_encoding_aes_key``
is tried when the current key cannot decrypt a message (just after the key was changed). Every failure raises
:class:`~wxops.wechat.crypto.CryptoError` (bad signature, wrong app id, wrong mode) or
:class:`~wxops.wechat.messages.MessageParseError` (not a message), both with one-line
messages fit to log.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .crypto import CallbackCrypto, CryptoError, check_signature
from .messages import Message, parse_message, parse_xml, xml_to_dict
from .replies import NO_REPLY

__all__ = ["CallbackEndpoint", "InboundRequest", "Mode"]

Mode = Literal["plain", "compatible", "safe"]
MODES: tuple[str, ...] = ("plain", "compatible", "safe")


@dataclass(frozen=True)
class InboundRequest:
    """A verified inbound callback: the parsed message, its plaintext XML, and whether it came encrypted."""

    message: Message
    xml: str
    encrypted: bool
    timestamp: str
    nonce: str


def _param(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if isinstance(value, list | tuple):  # parse_qs-style mappings
        value = value[0] if value else None
    return value or ""


#: WeChat's envelope exactly as it sends it: the ciphertext is taken without an XML parser (a third of
#: the protocol's time per message); anything else is parsed, and refused with the parser's reason.
_ENVELOPE = re.compile(rb"\s*<xml>\s*(?:<ToUserName><!\[CDATA\[[^\]<>&]*\]\]></ToUserName>\s*)?"
                       rb"<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]></Encrypt>\s*</xml>\s*")


def _ciphertext(body: str | bytes) -> object:
    """The ``<Encrypt>`` of an encrypted request's envelope (not always a non-empty str: the caller checks)."""
    match = _ENVELOPE.fullmatch(body.encode("utf-8") if isinstance(body, str) else body)
    if match is not None:
        return match.group(1).decode("ascii")
    return xml_to_dict(parse_xml(body)).get("Encrypt")


class CallbackEndpoint:
    """Verifies, decrypts and parses callbacks for one account, and renders its replies."""

    def __init__(
        self,
        *,
        token: str,
        app_id: str,
        encoding_aes_key: str | None = None,
        mode: Mode = "safe",
        previous_encoding_aes_key: str | None = None,
    ):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if not token:
            raise ValueError("the callback token must not be empty")
        if mode != "plain" and not encoding_aes_key:
            raise ValueError(f"{mode} mode needs the account's EncodingAESKey")
        self.mode = mode
        self.app_id = app_id
        self._token = token
        self.crypto = CallbackCrypto(token, encoding_aes_key, app_id) if encoding_aes_key else None
        # After the EncodingAESKey is changed, WeChat may still send messages under the old one for a while.
        self._previous = (
            CallbackCrypto(token, previous_encoding_aes_key, app_id) if previous_encoding_aes_key else None
        )

    def __repr__(self) -> str:
        return f"CallbackEndpoint(app_id={self.app_id!r}, mode={self.mode!r}, token='***')"

    def verify_url(self, params: Mapping[str, str]) -> str:
        """GET verification: check ``signature`` over token/timestamp/nonce and return ``echostr`` unchanged."""
        echostr = _param(params, "echostr")
        if not echostr:
            raise CryptoError("the verification request has no echostr")
        check_signature(self._token, _param(params, "timestamp"), _param(params, "nonce"), _param(params, "signature"))
        return echostr

    def parse_request(self, params: Mapping[str, str], body: str | bytes) -> InboundRequest:
        """POST: verify the request's signature(s), decrypt if encrypted, and parse the message."""
        timestamp, nonce = _param(params, "timestamp"), _param(params, "nonce")
        encrypted = _param(params, "encrypt_type").lower() == "aes"
        signature = _param(params, "signature")
        if encrypted:
            if self.crypto is None:
                raise CryptoError("the request is encrypted but this account has no EncodingAESKey (plain mode)")
            if signature:
                check_signature(self._token, timestamp, nonce, signature)
            ciphertext = _ciphertext(body)
            if not isinstance(ciphertext, str) or not ciphertext:
                raise CryptoError("the encrypted request has no <Encrypt> element")
            check_signature(self._token, timestamp, nonce, _param(params, "msg_signature"), ciphertext)
            xml = self._decrypt(ciphertext)
        else:
            if self.mode == "safe":
                raise CryptoError("the account is in safe mode but the request is not encrypted (encrypt_type=aes missing)")
            check_signature(self._token, timestamp, nonce, signature)
            xml = body.decode("utf-8") if isinstance(body, bytes) else body
        return InboundRequest(message=parse_message(xml), xml=xml, encrypted=encrypted, timestamp=timestamp, nonce=nonce)

    def _decrypt(self, ciphertext: str) -> str:
        assert self.crypto is not None
        try:
            return self.crypto.decrypt_text(ciphertext)
        except CryptoError:
            if self._previous is None:
                raise
            try:
                return self._previous.decrypt_text(ciphertext)
            except CryptoError:
                pass
            raise

    def render_reply(self, reply_xml: str | None, inbound: InboundRequest, *, timestamp: str | None = None, nonce: str | None = None) -> str:
        """The body to answer with: ``success`` for no reply; the envelope when the request was encrypted."""
        if not reply_xml or reply_xml == NO_REPLY:
            return NO_REPLY
        if not inbound.encrypted:
            return reply_xml
        assert self.crypto is not None  # parse_request refused encrypted requests without a key
        return self.crypto.encrypt(
            reply_xml,
            timestamp=timestamp or str(int(time.time())),
            nonce=nonce or str(secrets.randbelow(10**10)),
        )
