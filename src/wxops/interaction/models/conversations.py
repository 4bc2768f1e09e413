"""Conversations of the inbox (会话): what staff add to a follower's thread — who handles it, tags,
resolved or not — and the customer-service messages (客服消息) they send.

A conversation is the follower's messages themselves (``InboundMessage`` by ``from_openid``);
a ``Conversation`` row exists only once someone assigned, tagged or resolved it, so the
callback's hot path writes nothing here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConversationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("conversation status", "Open")
    RESOLVED = "resolved", _("Resolved")


#: Allowed changes; only :mod:`wxops.interaction.inbox_actions` writes the status. A follower who
#: writes after it was resolved shows it open again (the list compares ``resolved_at``).
CONVERSATION_TRANSITIONS = {
    ConversationStatus.OPEN: {ConversationStatus.RESOLVED},
    ConversationStatus.RESOLVED: {ConversationStatus.OPEN},
}


class Conversation(models.Model):
    """Staff's notes on one follower's thread with one account."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="conversations",
                                verbose_name=_("account"))
    openid = models.CharField(_("follower (openid)"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=ConversationStatus.choices,
                              default=ConversationStatus.OPEN, editable=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned to"))
    tags = models.CharField(_("tags"), max_length=200, blank=True,
                            help_text=_("Separated by commas, e.g. 社保, 投诉."))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("resolved by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [models.UniqueConstraint(fields=["account", "openid"], name="conversation_once_per_follower")]

    def __str__(self) -> str:
        return f"{self.account} · {self.openid}"

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.replace("，", ",").split(",") if tag.strip()]


class SendStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown")


#: A customer-service message is sent once: ``sending`` is written before the call to WeChat, and
#: never retried automatically (a retry after an unknown outcome could reach the follower twice).
SEND_TRANSITIONS = {
    SendStatus.SENDING: {SendStatus.SENT, SendStatus.FAILED, SendStatus.UNKNOWN},
    SendStatus.SENT: set(),
    SendStatus.FAILED: set(),
    SendStatus.UNKNOWN: set(),
}


class CustomerServiceReply(models.Model):
    """One customer-service text a person sent from the inbox (``message/custom/send``).

    ``request_key`` is the form's own key, unique per account: a double click or a resent
    form finds the row of the first and sends nothing again.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="customer_service_replies",
                                verbose_name=_("account"))
    openid = models.CharField(_("follower (openid)"), max_length=64, db_index=True)
    text = models.TextField(_("text"))
    in_reply_to = models.ForeignKey("interaction.InboundMessage", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="customer_service_replies", verbose_name=_("in reply to"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                related_name="+", verbose_name=_("sent by"))
    status = models.CharField(_("status"), max_length=12, choices=SendStatus.choices, default=SendStatus.SENDING)
    error = models.CharField(_("error"), max_length=300, blank=True)
    request_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer-service message")
        verbose_name_plural = _("customer-service messages")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["account", "request_key"],
                                               name="customer_service_reply_once_per_request")]

    def __str__(self) -> str:
        return f"{self.openid}: {self.text[:40]}"
