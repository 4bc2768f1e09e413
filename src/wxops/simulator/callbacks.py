"""Pushing messages and events to an account's callback URL, the way WeChat does.

Each callback is a POST of XML with ``signature``, ``timestamp`` and ``nonce`` in the query
(plus ``openid`` for a follower's message, and ``encrypt_type=aes`` and ``msg_signature`` in
safe or compatible mode, where the body carries ``<Encrypt>``). WeChat waits 5 seconds
(``callback_timeout``) and tries three times in all (``callback_tries``) with the same body,
hence the same MsgId. Any HTTP 200 ends the tries; ``success`` or an empty body means "no
reply". Every callback, each try and the reply (decrypted in safe mode) is recorded.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as SafeET
import httpx

from wxops.wechat.crypto import CallbackCrypto, CryptoError, signature
from wxops.wechat.tls import tls_context

from . import faults, outbox, xmlbuild

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World


def enqueue(sim: World, account: Account, event: str, openid: str, fields: xmlbuild.Fields,
            msg_id: str | None = None) -> int:
    """Record a callback to deliver; returns its id. Delivery happens outside the state lock."""
    xml = xmlbuild.message(fields)
    status = "pending" if account.callback_url else "no_callback_url"
    cursor = sim.state.execute(
        "INSERT INTO callbacks (app_id, event, openid, msg_id, xml, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (account.app_id, event, openid, msg_id, xml, sim.clock.now(), status),
    )
    sim.wake()
    return int(cursor.lastrowid)


def _request(account: Account, row: Any, now: float) -> tuple[dict[str, str], str]:
    timestamp, nonce = str(int(now)), str(secrets.randbelow(10**10))
    query = {"signature": signature(account.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    if row["event"] in ("text", "image", "voice", "video", "shortvideo", "location", "link"):
        query["openid"] = row["openid"]
    xml = row["xml"]
    if account.encrypt_mode == "plain":
        return query, xml
    crypto = CallbackCrypto(account.token, account.encoding_aes_key, account.app_id)
    encrypted = crypto.encrypt_text(xml)
    query["encrypt_type"] = "aes"
    query["msg_signature"] = signature(account.token, timestamp, nonce, encrypted)
    wrapped = xmlbuild.element("Encrypt", encrypted)
    if account.encrypt_mode == "safe":
        body = "<xml>" + xmlbuild.element("ToUserName", account.username) + wrapped + "</xml>"
    else:  # compatible: the plaintext fields and the ciphertext side by side
        body = xml[: -len("</xml>")] + wrapped + "</xml>"
    return query, body


def read_reply(account: Account, reply: str) -> tuple[str, str | None]:
    """The reply as the follower would get it: ``("", None)`` for none, or (plain XML, error)."""
    text = reply.strip()
    if text in ("", "success"):
        return "", None
    if account.encrypt_mode == "plain":
        return text, None
    try:
        root = SafeET.fromstring(text)
    except Exception:
        return text, "reply is not XML"
    encrypted = root.findtext("Encrypt")
    if encrypted is None:
        if account.encrypt_mode == "compatible":
            return text, None
        return text, "safe mode: the reply is not encrypted"
    crypto = CallbackCrypto(account.token, account.encoding_aes_key, account.app_id)
    try:
        plain = crypto.decrypt(text, msg_signature=root.findtext("MsgSignature") or "",
                               timestamp=root.findtext("TimeStamp") or "", nonce=root.findtext("Nonce") or "")
    except CryptoError as exc:
        return text, f"reply cannot be decrypted: {exc}"
    return plain, None


def _claim(sim: World, callback_id: int) -> tuple[Any, Account | None, dict]:
    with sim.state.transaction():
        row = sim.state.one("SELECT * FROM callbacks WHERE id = ? AND status = 'pending'", (callback_id,))
        if row is None:
            return None, None, {}
        account = sim.accounts.get(row["app_id"])
        taken = faults.take(sim.state, "callback", row["app_id"])
        sim.state.execute("UPDATE callbacks SET status = 'delivering', fault = ? WHERE id = ?",
                          (",".join(taken) or None, callback_id))
        return row, account, taken


def deliver(sim: World, callback_id: int) -> str:
    """Deliver one pending callback (blocking, outside the lock); returns its final status."""
    row, account, taken = _claim(sim, callback_id)
    if row is None:
        return "not_pending"
    if account is None or not account.callback_url or "drop" in taken:
        status = "dropped" if "drop" in taken else "no_callback_url"
        sim.state.execute("UPDATE callbacks SET status = ? WHERE id = ?", (status, callback_id))
        return status
    url = account.callback_url
    try:  # built once: every try sends the same request, hence the same MsgId
        query, body = _request(account, row, sim.clock.now())
    except ValueError as exc:  # an EncodingAESKey the crypto refuses
        query, body, taken = {}, "", {**taken, "fail": f"cannot encrypt: {exc}"}
    wanted = 2 if "duplicate" in taken else 1  # successful deliveries: a duplicate fault asks for two
    delivered, reply = 0, None
    with httpx.Client(timeout=account.callback_timeout, verify=tls_context()) as client:
        for attempt in range(1, account.callback_tries + wanted):
            started = time.monotonic()
            status_code, text, error = None, None, None
            if "fail" in taken:
                error = taken["fail"] if isinstance(taken["fail"], str) else "injected fault: network failure"
            else:
                try:
                    response = client.post(url, params=query, content=body.encode("utf-8"),
                                           headers={"Content-Type": "text/xml", "User-Agent": "Mozilla/4.0"})
                    status_code, text = response.status_code, response.text
                    if status_code != 200:
                        error = f"HTTP {status_code}"
                except httpx.TimeoutException:
                    error = f"no answer within {account.callback_timeout:g} s"
                except (httpx.HTTPError, httpx.InvalidURL) as exc:
                    error = f"{type(exc).__name__}: {exc}"
            sim.state.execute(
                "INSERT INTO callback_tries (callback_id, attempt, url, body, at, wall_ms, status_code, reply, error) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (callback_id, attempt, url, body, sim.clock.now(), int((time.monotonic() - started) * 1000),
                 status_code, text, error),
            )
            if error is None:
                delivered += 1
                reply = text or "" if reply is None else reply
                if delivered == wanted:
                    break
    _finish(sim, account, row, delivered, reply)
    return "delivered" if delivered else "failed"


def _finish(sim: World, account: Account, row: Any, delivered: bool, reply: str | None) -> None:
    with sim.state.transaction():
        if not delivered:
            sim.state.execute("UPDATE callbacks SET status = 'failed' WHERE id = ?", (row["id"],))
            return
        plain, error = read_reply(account, reply or "")
        sim.state.execute(
            "UPDATE callbacks SET status = 'delivered', reply = ?, reply_plain = ? WHERE id = ?",
            (reply, error or plain, row["id"]),
        )
        if plain and error is None:
            outbox.record(sim, account.app_id, "reply", row["openid"], {"xml": plain, "callback_id": row["id"]},
                          sim.clock.now())


def pending(sim: World) -> list[int]:
    return [r["id"] for r in sim.state.all("SELECT id FROM callbacks WHERE status = 'pending' ORDER BY id")]


def record(sim: World, row: Any) -> dict[str, Any]:
    tries = sim.state.all("SELECT * FROM callback_tries WHERE callback_id = ? ORDER BY attempt", (row["id"],))
    return {
        "id": row["id"], "app_id": row["app_id"], "event": row["event"], "openid": row["openid"],
        "msg_id": row["msg_id"], "xml": row["xml"], "created_at": row["created_at"], "status": row["status"],
        "fault": row["fault"], "reply": row["reply"], "reply_plain": row["reply_plain"],
        "tries": [{k: t[k] for k in ("attempt", "url", "at", "wall_ms", "status_code", "reply", "error")}
                  for t in tries],
    }
