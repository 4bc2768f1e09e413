"""Business rules of the conversations: reply with a customer-service message inside WeChat's 48-hour
window, assign, tag, resolve and reopen, and save a reply to the knowledge base. Each is audited.

    from wxops.interaction import inbox_actions
    reply = inbox_actions.send_reply(account, openid, "您好，社保基数每年7月调整。", user=user, request_key=key)
    reply.status                          # sent / failed / unknown; ValidationError when refused (nothing sent)

Sending follows the rule for anything that reaches a follower: the row (``sending``) is
committed before the call to WeChat, the call runs outside any transaction, and the outcome
is recorded after it. A resent form (same ``request_key``) finds the first row and sends
nothing. A message whose outcome is unknown (timed out) is not retried.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wxops.accounts import times
from wxops.accounts.actions import client_for
from wxops.accounts.models import Account
from wxops.core import audit, clock
from wxops.wechat import APIError, OutcomeUnknown, WeChatError

from . import inbox_conversations as conversations
from .models import HANDLED_TRANSITIONS, REPLY_MAX_LENGTH, HandledStatus, InboundMessage, KnowledgeEntry
from .models.conversations import (
    CONVERSATION_TRANSITIONS,
    SEND_TRANSITIONS,
    Conversation,
    ConversationStatus,
    CustomerServiceReply,
    SendStatus,
)
from .replies import actions as replies

logger = logging.getLogger("wxops.interaction.inbox")

AUDIT_REPLIED = "wxops.inbox.replied"
AUDIT_ASSIGNED = "wxops.inbox.assigned"
AUDIT_TAGGED = "wxops.inbox.tagged"
AUDIT_RESOLVED = "wxops.inbox.resolved"
AUDIT_REOPENED = "wxops.inbox.reopened"
#: WeChat's answer outside the customer-service window.
OUTSIDE_WINDOW_ERRCODE = 45015


def can_handle(user) -> bool:
    """Who may reply, assign, tag and resolve: editors (change inbox messages) and administrators."""
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_inboundmessage")))


def _require(user) -> None:
    if not can_handle(user):
        raise PermissionDenied


def conversation_for(account: Account, openid: str, *, lock: bool = False) -> Conversation:
    """The notes row of the follower's conversation, made on first use (only for a follower who wrote)."""
    if openid not in conversations.known_openids(account, [openid]):
        raise ValidationError(_("This follower has not written to the account."))
    conversation, _created = Conversation.objects.get_or_create(account=account, openid=openid)
    if lock:
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    return conversation


# ---------------------------------------------------------------- the customer-service reply


def _refuse_outside_window(account: Account, openid: str) -> InboundMessage:
    last = conversations.last_message(account, openid)
    if last is None:
        raise ValidationError(_("This follower has never written to the account: WeChat allows no "
                                "customer-service message. Nothing was sent."))
    closes = last.received_at + conversations.SERVICE_WINDOW
    if clock.now() >= closes:
        raise ValidationError(
            _("WeChat allows customer-service messages only within 48 hours of the follower's last message "
              "(%(last)s; the window closed %(closed)s). Nothing was sent: the follower has to write again first.")
            % {"last": times.shown(last.received_at, account), "closed": times.shown(closes, account)})
    return last


def send_reply(account: Account, openid: str, text: str, *, user, request_key: str) -> CustomerServiceReply:
    """Send ``text`` to the follower as a customer-service message, once per ``request_key``.

    Refused with ``ValidationError`` (nothing sent, nothing stored) when the text is empty or
    too long, the content rules block it, or the follower's last message is older than 48
    hours. Otherwise returns the row with its outcome: ``sent``; ``failed`` with WeChat's
    reason; ``unknown`` when WeChat did not answer in time (not retried: it may have arrived).
    """
    _require(user)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the reply first."))
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(_("A reply has at most %(limit)d characters.") % {"limit": REPLY_MAX_LENGTH})
    if not request_key or len(request_key) > 64:
        raise ValidationError(_("The form is incomplete; reload the page."))
    existing = CustomerServiceReply.objects.filter(account=account, request_key=request_key).first()
    if existing is not None:
        return existing
    replies.refuse_blocked(text, account, label=_("reply"))
    last = _refuse_outside_window(account, openid)
    try:
        with transaction.atomic():
            reply = CustomerServiceReply.objects.create(
                account=account, openid=openid, text=text, in_reply_to=last, sent_by=user,
                status=SendStatus.SENDING, request_key=request_key, created_at=clock.now())
    except IntegrityError:  # the same form, sent twice at once: the other request sends
        return CustomerServiceReply.objects.get(account=account, request_key=request_key)
    status, error = SendStatus.SENT, ""
    try:
        client_for(account).custom.send_text(openid, text)  # outside any transaction
    except OutcomeUnknown as failure:
        status, error = SendStatus.UNKNOWN, _("WeChat did not answer in time; the message may have arrived "
                                              "(not sent again): %(error)s") % {"error": str(failure)[:150]}
    except APIError as failure:
        status = SendStatus.FAILED
        error = (_("Outside WeChat's 48-hour window (45015): the follower has to write again first.")
                 if failure.errcode == OUTSIDE_WINDOW_ERRCODE else f"{failure.errcode} {failure.errmsg}"[:300])
    except (WeChatError, ValueError) as failure:
        status, error = SendStatus.FAILED, str(failure)[:300]
    return _record_outcome(reply, status, error, user=user)


def _record_outcome(reply: CustomerServiceReply, status: SendStatus, error: str, *, user) -> CustomerServiceReply:
    assert status in SEND_TRANSITIONS[SendStatus(reply.status)]
    with transaction.atomic():
        CustomerServiceReply.objects.filter(pk=reply.pk, status=SendStatus.SENDING).update(
            status=status, error=error, sent_at=clock.now() if status == SendStatus.SENT else None)
        reply.refresh_from_db()
        if status == SendStatus.SENT:
            _mark_answered(reply)
        audit.record(reply, AUDIT_REPLIED, user=user, data={"status": status.value, "openid": reply.openid})
    if status != SendStatus.SENT:
        logger.warning("customer-service message %s to %s: %s (%s)", reply.pk, reply.openid, status.value, error)
    return reply


def _mark_answered(reply: CustomerServiceReply) -> None:
    """The follower's messages waiting for a person are answered now (through the transition table)."""
    if HandledStatus.ANSWERED in HANDLED_TRANSITIONS[HandledStatus.NEW]:
        InboundMessage.objects.filter(account_id=reply.account_id, from_openid=reply.openid,
                                      kind__in=conversations.MESSAGE_KINDS, status=HandledStatus.NEW,
                                      received_at__lte=reply.created_at).update(status=HandledStatus.ANSWERED)


# ---------------------------------------------------------------- assign, tag, resolve


def assign(account: Account, openid: str, assignee, *, user) -> Conversation:
    """Give the conversation to ``assignee`` (None: to nobody); audited."""
    _require(user)
    if assignee is not None and not can_handle(assignee):
        raise ValidationError(_("%(name)s cannot answer followers.") % {"name": assignee.get_username()})
    with transaction.atomic():
        conversation = conversation_for(account, openid, lock=True)
        conversation.assigned_to = assignee
        conversation.save(update_fields=["assigned_to", "updated_at"])
        audit.record(conversation, AUDIT_ASSIGNED, user=user,
                     data={"assigned_to": assignee.get_username() if assignee else ""})
    return conversation


def set_tags(account: Account, openid: str, tags: str, *, user) -> Conversation:
    """Replace the conversation's tags (comma-separated); audited."""
    _require(user)
    cleaned = ", ".join(dict.fromkeys(Conversation(tags=tags or "").tag_list()))
    if len(cleaned) > 200:
        raise ValidationError(_("Tags take at most 200 characters."))
    with transaction.atomic():
        conversation = conversation_for(account, openid, lock=True)
        conversation.tags = cleaned
        conversation.save(update_fields=["tags", "updated_at"])
        audit.record(conversation, AUDIT_TAGGED, user=user, data={"tags": cleaned})
    return conversation


def resolve(account: Account, openid: str, *, user) -> Conversation:
    """Mark the conversation resolved; the follower's messages still waiting are kept (handled, no reply)."""
    _require(user)
    with transaction.atomic():
        conversation = conversation_for(account, openid, lock=True)
        last = conversations.last_message(account, openid)
        if conversation.status == ConversationStatus.RESOLVED and not conversations.is_open(
                conversation, last.received_at):
            return conversation
        _move(conversation, ConversationStatus.RESOLVED)
        conversation.resolved_at, conversation.resolved_by = clock.now(), user
        conversation.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
        InboundMessage.objects.filter(account=account, from_openid=openid, kind__in=conversations.MESSAGE_KINDS,
                                      status=HandledStatus.NEW).update(status=HandledStatus.KEPT)
        audit.record(conversation, AUDIT_RESOLVED, user=user)
    return conversation


def reopen(account: Account, openid: str, *, user) -> Conversation:
    _require(user)
    with transaction.atomic():
        conversation = conversation_for(account, openid, lock=True)
        if conversation.status == ConversationStatus.OPEN:
            return conversation
        _move(conversation, ConversationStatus.OPEN)
        conversation.resolved_at = conversation.resolved_by = None
        conversation.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
        audit.record(conversation, AUDIT_REOPENED, user=user)
    return conversation


def _move(conversation: Conversation, status: ConversationStatus) -> None:
    current = ConversationStatus(conversation.status)
    if status not in CONVERSATION_TRANSITIONS[current]:
        raise ValidationError(_("A conversation that is “%(current)s” cannot become “%(new)s”.")
                              % {"current": current.label, "new": status.label})
    conversation.status = status


# ---------------------------------------------------------------- the knowledge base


def save_to_knowledge(reply: CustomerServiceReply, *, user, question: str = "") -> KnowledgeEntry:
    """A knowledge-base entry of the follower's question and this sent reply (approved by ``user``)."""
    if reply.status != SendStatus.SENT:
        raise ValidationError(_("Only a reply that was sent can go to the knowledge base."))
    asked = (question or (reply.in_reply_to.content if reply.in_reply_to else "")).strip()
    if not asked:
        raise ValidationError(_("The follower's message has no text; write the question to save."))
    entry = KnowledgeEntry(account_id=reply.account_id, questions=asked, answer=reply.text,
                           source_message=reply.in_reply_to)
    return replies.save_entry(entry, user=user)
