"""WeChat callback crypto: signatures and safe-mode (安全模式) message encryption.

The protocol, as the platform documents it:

* ``signature`` = sha1 hex of the lexicographically sorted strings
  token, timestamp, nonce (plus the ciphertext for ``msg_signature`` in safe mode),
  concatenated without separators.
* The AES key is ``base64decode(EncodingAESKey + "=")`` — 43 characters give 32 bytes.
* Plaintext block = 16 random bytes + 4-byte big-endian length of the message +
  the UTF-8 message + the app id; PKCS#7-padded to a multiple of **32** (not 16);
  AES-256-CBC with ``iv = key[:16]``; the result is base64-encoded.
* The envelope POSTed to (or answered from) the callback URL is
  ``<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>``.

Exceptions::

    CryptoError                 any failure to verify, decrypt or parse
    ├── InvalidSignature        the signature does not match token/timestamp/nonce(/ciphertext)
    └── InvalidAppId            the plaintext names another app id

No secret (token, key, plaintext) ever appears in an exception message or a repr.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
from xml.etree.ElementTree import Element  # noqa: S405 - only the type; parsing goes through defusedxml

import defusedxml.ElementTree as SafeET
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "CallbackCrypto",
    "CryptoError",
    "InvalidAppId",
    "InvalidSignature",
    "signature",
]

_BLOCK = 32  # WeChat pads to 32 bytes, not the AES block size of 16


class CryptoError(Exception):
    """A callback could not be verified, decrypted or parsed."""


class InvalidSignature(CryptoError):
    """The (msg_)signature does not match the token, timestamp, nonce and ciphertext."""


class InvalidAppId(CryptoError):
    """The decrypted message belongs to another app id than the one configured."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str | None = None) -> str:
    """Return the sha1 hex digest of the sorted parts (``msg_signature`` when ``encrypted`` is given)."""
    parts = [str(token), str(timestamp), str(nonce)]
    if encrypted is not None:
        parts.append(str(encrypted))
    parts.sort()
    # surrogatepass: a query parameter decoded with surrogate escapes must fail the check, not raise.
    return hashlib.sha1("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - protocol-mandated


def check_signature(token: str, timestamp: str, nonce: str, given: str, encrypted: str | None = None) -> None:
    """Raise :class:`InvalidSignature` unless ``given`` is the signature of the parts (constant time)."""
    expected = signature(token, timestamp, nonce, encrypted).encode("ascii")
    # Bytes, not str: compare_digest raises TypeError on a str that is not ASCII (``?signature=%C3%A9``).
    if not hmac.compare_digest(expected, (given or "").strip().lower().encode("utf-8", "surrogatepass")):
        raise InvalidSignature("signature does not match token, timestamp and nonce")


def _pkcs7_pad(data: bytes) -> bytes:
    n = _BLOCK - len(data) % _BLOCK
    return data + bytes([n]) * n


def _pkcs7_unpad(data: bytes) -> bytes:
    if not data:
        raise CryptoError("decrypted message is empty")
    n = data[-1]
    if n < 1 or n > _BLOCK or data[-n:] != bytes([n]) * n:
        raise CryptoError("decrypted message has invalid padding (wrong EncodingAESKey?)")
    return data[:-n]


def _parse_xml(xml_text: str | bytes) -> Element:
    try:
        return SafeET.fromstring(xml_text)
    except SafeET.ParseError as exc:
        raise CryptoError(f"not well-formed XML: {exc}") from None
    except Exception as exc:  # defusedxml's EntitiesForbidden, DTDForbidden, ...
        raise CryptoError(f"XML rejected: {type(exc).__name__}") from None


def _xml_text(root: Element, tag: str) -> str | None:
    node = root.find(tag)
    if node is None:
        return None
    return node.text or ""


def _cdata(value: str) -> str:
    # "]]>" cannot appear inside one CDATA section; split it across two.
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class CallbackCrypto:
    """Encrypts and decrypts callback messages for one account in safe mode.

    ``encoding_aes_key`` is the 43-character EncodingAESKey from the platform's
    developer settings; ``app_id`` is the account's AppID (wx...).
    """

    def __init__(self, token: str, encoding_aes_key: str, app_id: str):
        if not token:
            raise ValueError("token must not be empty")
        if not app_id:
            raise ValueError("app_id must not be empty")
        key_text = (encoding_aes_key or "").strip()
        if len(key_text) != 43:
            raise ValueError(
                f"EncodingAESKey must be exactly 43 characters (got {len(key_text)}); "
                "copy it from the account's developer settings"
            )
        try:
            key = base64.b64decode(key_text + "=", validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                "EncodingAESKey must contain only base64 characters (A-Z, a-z, 0-9, +, /)"
            ) from None
        if len(key) != 32:
            raise ValueError("EncodingAESKey must decode to 32 bytes")
        self._token = token
        self._key = key
        self.app_id = app_id

    def __repr__(self) -> str:
        return f"CallbackCrypto(app_id={self.app_id!r}, token='***', encoding_aes_key='***')"

    # -- the ciphertext -------------------------------------------------------------------

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt_text(self, text: str) -> str:
        """Encrypt ``text`` into the base64 ciphertext that goes in ``<Encrypt>``."""
        msg = text.encode("utf-8")
        plain = os.urandom(16) + struct.pack(">I", len(msg)) + msg + self.app_id.encode("utf-8")
        enc = self._cipher().encryptor()
        data = enc.update(_pkcs7_pad(plain)) + enc.finalize()
        return base64.b64encode(data).decode("ascii")

    def decrypt_text(self, ciphertext_b64: str) -> str:
        """Decrypt a base64 ciphertext; raise :class:`InvalidAppId` if it was made for another app."""
        try:
            data = base64.b64decode((ciphertext_b64 or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("ciphertext is not valid base64") from None
        if not data or len(data) % 16:
            raise CryptoError("ciphertext length is not a multiple of the AES block size")
        dec = self._cipher().decryptor()
        plain = _pkcs7_unpad(dec.update(data) + dec.finalize())
        if len(plain) < 20:
            raise CryptoError("decrypted message is too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise CryptoError("decrypted message length field is out of range (wrong EncodingAESKey?)")
        msg = plain[20 : 20 + length]
        from_app_id = plain[20 + length :]
        if not hmac.compare_digest(from_app_id, self.app_id.encode("utf-8")):
            raise InvalidAppId("message was encrypted for another app id")
        try:
            return msg.decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError("decrypted message is not UTF-8") from None

    # -- the envelope ---------------------------------------------------------------------

    def encrypt(self, plaintext_xml: str, *, timestamp: str, nonce: str) -> str:
        """Encrypt a reply (or a simulated push) into the full safe-mode envelope."""
        encrypted = self.encrypt_text(plaintext_xml)
        sig = signature(self._token, timestamp, nonce, encrypted)
        return (
            "<xml>"
            f"<Encrypt>{_cdata(encrypted)}</Encrypt>"
            f"<MsgSignature>{_cdata(sig)}</MsgSignature>"
            f"<TimeStamp>{_cdata_free(str(timestamp))}</TimeStamp>"
            f"<Nonce>{_cdata(str(nonce))}</Nonce>"
            "</xml>"
        )

    def decrypt(self, envelope_xml: str | bytes, *, msg_signature: str, timestamp: str, nonce: str) -> str:
        """Verify ``msg_signature`` over the envelope's ``<Encrypt>`` and return the plaintext XML."""
        root = _parse_xml(envelope_xml)
        encrypted = _xml_text(root, "Encrypt")
        if not encrypted:
            raise CryptoError("envelope has no <Encrypt> element")
        check_signature(self._token, timestamp, nonce, msg_signature, encrypted)
        return self.decrypt_text(encrypted)

    def check_signature(self, timestamp: str, nonce: str, given: str, encrypted: str | None = None) -> None:
        """Verify a plain ``signature`` (or ``msg_signature`` with ``encrypted``) with this account's token."""
        check_signature(self._token, timestamp, nonce, given, encrypted)

    def verify_url(self, *, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Safe-mode URL verification: check ``msg_signature`` over ``echostr`` and decrypt it."""
        check_signature(self._token, timestamp, nonce, msg_signature, echostr)
        return self.decrypt_text(echostr)


def _cdata_free(value: str) -> str:
    # TimeStamp is numeric on the platform; escape anyway so a bad value cannot break the XML.
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
