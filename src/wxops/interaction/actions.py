"""Business rules of the inbox: store what WeChat sends exactly once, dispatch it to the inbound handlers, move statuses."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.core import audit, clock, inbound
from wxops.wechat import (
    Event,
    Message,
    PublishJobFinishEvent,
    ScanEvent,
    SubscribeEvent,
    TextMessage,
    UnknownMessage,
)

from . import group_commit, prepared
from .models import HANDLED_TRANSITIONS, HandledStatus, InboundKind, InboundMessage
from .write_turn import write_turn

#: Kinds of a follower's message (MsgType); every other kind is an event's.
_MESSAGE_KINDS = {kind.value: kind for kind in (
    InboundKind.TEXT, InboundKind.IMAGE, InboundKind.VOICE, InboundKind.VIDEO, InboundKind.SHORT_VIDEO,
    InboundKind.LOCATION, InboundKind.LINK)}
#: Event (lower case) → kind; the LOCATION event (a position report) is not the location message.
_EVENT_KINDS = {kind.value: kind for kind in InboundKind
                if kind.value not in _MESSAGE_KINDS and kind != InboundKind.UNKNOWN}
_EVENT_KINDS["location"] = InboundKind.LOCATION_REPORT
#: The latest CreateTime a datetime can hold (year 9999); beyond it the send time is unknown.
_LAST_TIMESTAMP = 253402300799


class ReplayedRequest(Exception):
    """A signed request (its timestamp and nonce) already brought another message: a copied signature."""


def kind_of(message: Message) -> InboundKind:
    """Our kind for a message or event; anything unknown is UNKNOWN, and still stored."""
    if isinstance(message, UnknownMessage):
        return InboundKind.UNKNOWN
    if isinstance(message, Event):
        return _EVENT_KINDS.get(message.event.lower(), InboundKind.UNKNOWN)
    return _MESSAGE_KINDS.get(message.msg_type, InboundKind.UNKNOWN)


def _event_name(message: Message) -> str:
    if isinstance(message, Event | UnknownMessage) and message.event:
        return message.event
    return str(message.raw.get("Event", "")) if message.msg_type == "event" else ""


def _msg_id(message: Message) -> str:
    """WeChat's MsgId (MsgID in events) as text — an unsigned 64-bit number — or "" when absent or not a number."""
    value = message.raw.get("MsgId") or message.raw.get("MsgID")
    text = value.strip() if isinstance(value, str) else ""
    return text if text.isascii() and text.isdigit() and len(text) <= 24 else ""


def _sent_at(create_time: int) -> datetime | None:
    return datetime.fromtimestamp(create_time, UTC) if 0 < create_time <= _LAST_TIMESTAMP else None


def _content(message: Message) -> str:
    if isinstance(message, TextMessage):
        return message.content
    recognition = message.raw.get("Recognition")  # voice, when speech-to-text is on
    return recognition if isinstance(recognition, str) else ""


def _scene(message: Message) -> str:
    if isinstance(message, SubscribeEvent | ScanEvent):
        return message.scene_key or ""
    return ""


def _event_own_id(message: Message) -> str:
    """What tells this event apart from another of the same follower, name and second.

    The event's own id when it has one (a publish job's publish_id, a mass send's MsgID);
    otherwise a digest of all its fields (EventKey, Ticket, …) — a retry carries the same
    body, so it gets the same digest.
    """
    if isinstance(message, PublishJobFinishEvent) and message.publish_id:
        return message.publish_id.strip()[:40]
    msg_id = _msg_id(message)
    if msg_id:
        return msg_id
    fields = json.dumps(message.raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(fields.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def dedupe_key(message: Message) -> str:
    """WeChat's dedupe rule (``message.dedupe_key``), narrowed for events by the event's name and own id.

    A retry carries the same body, so it gets the same key; two different events of one
    follower in the same second (a follow and a menu click, two publish results from the
    same mphelper sender) do not.
    """
    key = message.dedupe_key
    if message.msg_type == "event":
        key += ":" + _event_name(message).upper() + ":" + _event_own_id(message)
    return key[:160]


@dataclass(frozen=True)
class Received:
    """What :func:`receive` did: the stored row's id, its passive reply ("" for none) and the reply's
    payload (image or news), and whether it is new. ``stored`` is the row (read when a retry asks for it)."""

    pk: int
    reply: str
    payload: dict
    created: bool
    row: InboundMessage | None = None

    @property
    def stored(self) -> InboundMessage:
        return self.row if self.row is not None else InboundMessage.objects.get(pk=self.pk)


def receive(account: Account, message: Message, *, xml: str, signed_with: str = "") -> Received:
    """Store ``message`` (already verified and decrypted) for ``account`` once, and dispatch it.

    In one transaction: store the row, call the handlers of :mod:`wxops.core.inbound` for it
    (the first passive reply wins) and record that reply on the row. When every handler of
    the message's topic only reads (``inbound.reads_only``), they run first and the row is
    stored with its reply in one statement. Idempotent: WeChat
    retries a callback up to three times with the same body, and a retry finds the row
    stored the first time — it runs no handler again and gets the reply recorded then.
    Unknown message types and events are stored too (kind ``unknown``), never dropped.

    ``signed_with`` ("<timestamp>:<nonce>" of the signed request) may bring one message only:
    :class:`ReplayedRequest` when it already brought another (a signature copied from a
    log, replayed with a forged body — possible in plain mode, where it does not cover the body).
    """
    key = dedupe_key(message)
    row = _new_row(
        account,
        kind=kind_of(message),
        msg_type=message.msg_type[:32],
        event=_event_name(message)[:64],
        from_openid=message.from_user[:64],
        dedupe_key=key,
        msg_id=_msg_id(message),
        content=_content(message),
        scene_key=_scene(message)[:128],
        xml=xml,
        sent_at=_sent_at(message.create_time),
        received_at=clock.now(),
        signed_with=signed_with[:100],
    )
    if inbound.reads_only(inbound.topic_of(row.msg_type, row.event)):
        # The common case, a follower's text: its handlers only read, so they decide the reply
        # first and the row is stored with it in one statement — one commit, and on SQLite the
        # write lock is held for that statement only.
        reply = inbound.dispatch(item_for(row, account, message))
        if reply is not None:
            _set_reply(row, reply)
        try:
            inserted = _insert(row)
        except IntegrityError:  # not a unique key (those are DO NOTHING): the account was deleted meanwhile
            inserted = False
        if not inserted:
            return _stored_before(account, key, signed_with)
        return Received(row.pk, row.reply, row.reply_payload, created=True, row=row)
    try:
        with transaction.atomic():
            if not _insert(row):
                return _stored_before(account, key, signed_with)
            reply = inbound.dispatch(item_for(row, account, message))
            if reply is not None:
                _set_reply(row, reply)
                InboundMessage.objects.filter(pk=row.pk).update(
                    reply=row.reply, reply_source=row.reply_source, reply_payload=row.reply_payload,
                    status=row.status)
    except IntegrityError:  # the account deleted meanwhile
        return _stored_before(account, key, signed_with)
    return Received(row.pk, row.reply, row.reply_payload, created=True, row=row)


_FIELDS = InboundMessage._meta.concrete_fields
_ATTNAMES = frozenset(field.attname for field in _FIELDS)
_ACCOUNT = InboundMessage._meta.get_field("account")


def _new_row(account: Account, **values) -> InboundMessage:
    """An unsaved row of ``account`` with ``values`` (by attribute name), the other fields at their default.

    Built from positional values: Django's keyword ``__init__`` took 28 µs, a twentieth of a
    whole callback's work; this takes 9. The account is cached on the row, as ``account=`` does.
    """
    values["account_id"] = account.pk
    if not values.keys() <= _ATTNAMES:
        raise TypeError(f"InboundMessage has no field {sorted(values.keys() - _ATTNAMES)}")
    row = InboundMessage(*[values[field.attname] if field.attname in values else field.get_default()
                           for field in _FIELDS])
    _ACCOUNT.set_cached_value(row, account)
    return row


#: The row's columns but its id, and those whose Python value the database driver cannot take as it is
#: (on PostgreSQL psycopg takes an aware datetime as it is: only the JSON needs adapting there).
_COLUMNS = [field for field in InboundMessage._meta.concrete_fields if not field.primary_key]
_PREPARED = {"sent_at", "received_at", "reply_payload"}
_PREPARED_ON = {"postgresql": {"reply_payload"}}
_INBOX = group_commit.Inserts(InboundMessage._meta.db_table, [field.column for field in _COLUMNS],
                              key=["account_id", "dedupe_key"])


def _insert(row: InboundMessage) -> bool:
    """Insert ``row`` in one statement; False (nothing written) when a unique key refuses it.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` (SQLite ≥ 3.35 and PostgreSQL): a retry
    or a replayed signature costs no exception, no savepoint and no aborted transaction, and
    the statement is built once — the ORM's ``save()`` spent more on building it than the
    database on running it. On PostgreSQL the rows of callbacks arriving together in one
    process share the statement and its commit (:mod:`.group_commit`).
    """
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` looks the thread's connection up again
    prepared_here = _PREPARED_ON.get(db.vendor, _PREPARED)
    values = [field.get_db_prep_save(getattr(row, field.attname), db) if field.name in prepared_here
              else getattr(row, field.attname) for field in _COLUMNS]
    with write_turn(db):
        pk = _INBOX.insert(values, db)
    if pk is None:
        return False
    row.pk = pk
    row._state.adding, row._state.db = False, db.alias
    return True


def _stored_before(account: Account, key: str, signed_with: str) -> Received:
    """After the insert was refused: a retry (or two tries racing — the other one ran the handlers), or
    this signed request already brought another message. Inserting first, not looking first, spares
    the common case, a new message, one query."""
    table, quote = InboundMessage._meta.db_table, connection.ops.quote_name
    found = prepared.fetch(f"SELECT id, reply, reply_payload FROM {quote(table)} "  # noqa: S608 - the model's names
                           "WHERE account_id = %s AND dedupe_key = %s", [account.pk, key])  # no query compiler
    if not found:
        raise ReplayedRequest(f"the signed request {signed_with[:40]!r} already brought another message") from None
    pk, reply, payload = found[0]
    return Received(pk, reply, json.loads(payload) if isinstance(payload, str) else payload or {}, created=False)


def item_for(row: InboundMessage, account: Account, message: Message) -> inbound.InboundItem:
    """The frozen view of a stored row that the inbound handlers receive."""
    return inbound.InboundItem(
        stored_id=row.pk, account_id=account.pk, app_id=account.app_id, kind=row.kind, msg_type=row.msg_type,
        event=row.event.upper(), from_openid=row.from_openid, msg_id=row.msg_id, content=row.content,
        scene_key=row.scene_key, created_at=row.sent_at, received_at=row.received_at, message=message,
        fields=MappingProxyType(dict(message.raw)),
    )


def _set_reply(row: InboundMessage, reply: inbound.Reply) -> None:
    """Keep the passive reply on the row; a welcome answers a new follower fully, a message still waits for a person."""
    row.reply, row.reply_source = reply.text or reply.kind, reply.source[:100]
    if reply.news:
        row.reply_payload = {"news": [asdict(item) for item in reply.news]}
    elif reply.media_id:
        row.reply_payload = {"media_id": reply.media_id}
    if row.kind == InboundKind.SUBSCRIBE and HandledStatus.ANSWERED in HANDLED_TRANSITIONS[HandledStatus(row.status)]:
        row.status = HandledStatus.ANSWERED


def set_status(inbound: InboundMessage, status: str, *, user=None) -> InboundMessage:
    """Move ``inbound`` to ``status`` if the transition table allows it; a person's change is audited."""
    status = HandledStatus(status)
    if status == inbound.status:
        return inbound
    if status not in HANDLED_TRANSITIONS[HandledStatus(inbound.status)]:
        raise ValidationError(_("A message that is “%(current)s” cannot become “%(new)s”.")
                              % {"current": inbound.get_status_display(), "new": status.label})
    with transaction.atomic():
        updated = InboundMessage.objects.filter(pk=inbound.pk, status=inbound.status).update(status=status)
        if not updated:
            raise ValidationError(_("Someone else changed this message just now; reload the inbox."))
        inbound.status = status
        if user is not None:
            audit.record(inbound, f"wxops.inbound.{status.value}", user=user)
    return inbound
