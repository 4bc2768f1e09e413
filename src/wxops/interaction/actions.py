"""Business rules of the inbox: store what WeChat sends exactly once, pick the passive reply, move statuses."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wxops.accounts.models import Account
from wxops.core import audit, clock
from wxops.wechat import Event, Message, ScanEvent, SubscribeEvent, TextMessage, UnknownMessage

from .models import HANDLED_TRANSITIONS, AutoReply, HandledStatus, InboundKind, InboundMessage

AUDIT_KEEP = "wxops.inbound.kept"
AUDIT_IGNORE = "wxops.inbound.ignored"
AUDIT_ANSWER = "wxops.inbound.answered"


def register_audit_actions() -> None:
    audit.register(AUDIT_KEEP, gettext_lazy("Keep message"), gettext_lazy("Inbox message kept"))
    audit.register(AUDIT_IGNORE, gettext_lazy("Ignore message"), gettext_lazy("Inbox message ignored"))
    audit.register(AUDIT_ANSWER, gettext_lazy("Answer message"), gettext_lazy("Inbox message answered"))


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


def receive(account: Account, message: Message, *, xml: str) -> InboundMessage:
    """Store ``message`` (already verified and decrypted) for ``account``; return the stored row.

    Idempotent: WeChat retries a callback up to three times with the same MsgId (events:
    same sender and CreateTime), and every retry returns the row stored the first time.
    Unknown message types and events are stored too (kind ``unknown``), never dropped.
    """
    key = dedupe_key(message)
    existing = InboundMessage.objects.filter(account=account, dedupe_key=key).first()
    if existing is not None:
        return existing
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
    except IntegrityError:
        # Two retries raced; the other one stored it first.
        return InboundMessage.objects.get(account=account, dedupe_key=key)
    return row


def passive_reply_text(inbound: InboundMessage) -> str:
    """The text to answer at once, from the account's auto-reply ("" for none)."""
    if inbound.kind not in (InboundKind.SUBSCRIBE, InboundKind.TEXT):
        return ""
    settings = AutoReply.objects.filter(account_id=inbound.account_id).first()
    if settings is None:
        return ""
    return settings.subscribe_text if inbound.kind == InboundKind.SUBSCRIBE else settings.message_text


def record_reply(inbound: InboundMessage, text: str) -> None:
    """Remember the passive reply; a welcome answers a new follower fully, a message still waits for a person."""
    if inbound.reply != text:
        InboundMessage.objects.filter(pk=inbound.pk).update(reply=text)
        inbound.reply = text
    if inbound.kind == InboundKind.SUBSCRIBE and inbound.status == HandledStatus.NEW:
        set_status(inbound, HandledStatus.ANSWERED)


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
