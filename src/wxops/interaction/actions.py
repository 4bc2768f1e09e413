"""Business rules of the inbox: store what WeChat sends exactly once, dispatch it to the inbound handlers, move statuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.core import audit, clock, inbound
from wxops.wechat import Event, Message, ScanEvent, SubscribeEvent, TextMessage, UnknownMessage

from .models import HANDLED_TRANSITIONS, HandledStatus, InboundKind, InboundMessage

#: WeChat's MsgType / Event (lower case) → our kind; anything else is UNKNOWN, and still stored.
_KINDS = {kind.value: kind for kind in InboundKind if kind != InboundKind.UNKNOWN}


def kind_of(message: Message) -> InboundKind:
    if isinstance(message, UnknownMessage):
        return InboundKind.UNKNOWN
    name = message.event.lower() if isinstance(message, Event) else message.msg_type
    return _KINDS.get(name, InboundKind.UNKNOWN)


def _event_name(message: Message) -> str:
    if isinstance(message, Event | UnknownMessage) and message.event:
        return message.event
    return str(message.raw.get("Event", "")) if message.msg_type == "event" else ""


def _msg_id(message: Message) -> int | None:
    value = message.raw.get("MsgId") or message.raw.get("MsgID")
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def _content(message: Message) -> str:
    if isinstance(message, TextMessage):
        return message.content
    recognition = message.raw.get("Recognition")  # voice, when speech-to-text is on
    return recognition if isinstance(recognition, str) else ""


def _scene(message: Message) -> str:
    if isinstance(message, SubscribeEvent | ScanEvent):
        return message.scene_key or ""
    return ""


def dedupe_key(message: Message) -> str:
    """WeChat's dedupe rule (``message.dedupe_key``), narrowed for events by the event name and any MsgID.

    A retry carries the same body, so it gets the same key; two different events of one
    follower in the same second (a follow and a menu click, two mass-send results) do not.
    """
    key = message.dedupe_key
    if message.msg_type == "event":
        key += ":" + _event_name(message).upper()
        msg_id = _msg_id(message)
        if msg_id is not None:
            key += f":{msg_id}"
    return key[:160]


@dataclass(frozen=True)
class Received:
    """What :func:`receive` did: the stored row, the passive reply ("" for none), and whether it is new."""

    stored: InboundMessage
    reply: str
    created: bool


def receive(account: Account, message: Message, *, xml: str) -> Received:
    """Store ``message`` (already verified and decrypted) for ``account`` once, and dispatch it.

    In one transaction: store the row, call the handlers of :mod:`wxops.core.inbound` for it
    (the first passive reply wins) and record that reply on the row. Idempotent: WeChat
    retries a callback up to three times with the same body, and a retry finds the row
    stored the first time — it runs no handler again and gets the reply recorded then.
    Unknown message types and events are stored too (kind ``unknown``), never dropped.
    """
    key = dedupe_key(message)
    existing = InboundMessage.objects.filter(account=account, dedupe_key=key).first()
    if existing is not None:
        return Received(existing, existing.reply, created=False)
    row = InboundMessage(
        account=account,
        kind=kind_of(message),
        msg_type=message.msg_type[:32],
        event=_event_name(message)[:64],
        from_openid=message.from_user[:64],
        dedupe_key=key,
        msg_id=_msg_id(message),
        content=_content(message),
        scene_key=_scene(message)[:128],
        xml=xml,
        sent_at=datetime.fromtimestamp(message.create_time, UTC) if message.create_time > 0 else None,
        received_at=clock.now(),
    )
    try:
        with transaction.atomic():
            row.save()
            reply = inbound.dispatch(item_for(row, account, message))
            if reply is not None:
                _record_reply(row, reply)
    except IntegrityError:
        # Two tries raced; the other one stored it first (and ran the handlers).
        existing = InboundMessage.objects.get(account=account, dedupe_key=key)
        return Received(existing, existing.reply, created=False)
    return Received(row, row.reply, created=True)


def item_for(row: InboundMessage, account: Account, message: Message) -> inbound.InboundItem:
    """The frozen view of a stored row that the inbound handlers receive."""
    return inbound.InboundItem(
        stored_id=row.pk, account_id=account.pk, app_id=account.app_id, kind=row.kind, msg_type=row.msg_type,
        event=row.event.upper(), from_openid=row.from_openid, msg_id=str(row.msg_id or ""), content=row.content,
        scene_key=row.scene_key, created_at=row.sent_at, received_at=row.received_at, message=message,
        fields=MappingProxyType(dict(message.raw)),
    )


def _record_reply(row: InboundMessage, reply: inbound.Reply) -> None:
    """Keep the passive reply on the row; a welcome answers a new follower fully, a message still waits for a person."""
    changes = {"reply": reply.text}
    if row.kind == InboundKind.SUBSCRIBE and HandledStatus.ANSWERED in HANDLED_TRANSITIONS[HandledStatus(row.status)]:
        changes["status"] = HandledStatus.ANSWERED
    InboundMessage.objects.filter(pk=row.pk).update(**changes)
    for name, value in changes.items():
        setattr(row, name, value)


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
