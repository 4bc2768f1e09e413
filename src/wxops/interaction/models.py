"""The inbox (七 沟通互动): what followers and WeChat send to the callback URL, and the auto-reply."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InboundKind(models.TextChoices):
    """What arrived: a follower's message, a follower's event, or a platform notice."""

    TEXT = "text", pgettext_lazy("message kind", "Text")  # a context: elsewhere "Text" is 正文
    IMAGE = "image", _("Image")
    VOICE = "voice", _("Voice")
    VIDEO = "video", _("Video")
    SHORT_VIDEO = "shortvideo", _("Short video")
    LOCATION = "location", _("Location")
    LINK = "link", _("Link")
    SUBSCRIBE = "subscribe", _("Follow")
    UNSUBSCRIBE = "unsubscribe", _("Unfollow")
    SCAN = "scan", _("QR code scan")
    CLICK = "click", _("Menu click")
    VIEW = "view", _("Menu link")
    MASS_SEND_FINISHED = "masssendjobfinish", _("Mass send finished")
    PUBLISH_FINISHED = "publishjobfinish", _("Publish finished")
    TEMPLATE_SEND_FINISHED = "templatesendjobfinish", _("Template message finished")
    UNKNOWN = "unknown", _("Other")


class HandledStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("inbox status", "New")  # a context: Wagtail's own "New" means "create"
    ANSWERED = "answered", _("Answered")
    KEPT = "kept", _("Kept")
    IGNORED = "ignored", _("Ignored")


#: Allowed status changes; :func:`wxops.interaction.actions.set_status` is the only writer.
HANDLED_TRANSITIONS = {
    HandledStatus.NEW: {HandledStatus.ANSWERED, HandledStatus.KEPT, HandledStatus.IGNORED},
    HandledStatus.ANSWERED: set(),
    HandledStatus.KEPT: set(),
    HandledStatus.IGNORED: set(),
}


class InboundMessage(models.Model):
    """One callback from WeChat, stored once however often WeChat retries it.

    ``dedupe_key`` is WeChat's MsgId for messages (``msg:<id>``) and FromUserName +
    CreateTime for events (``event:<openid>:<time>``), unique per account. ``xml`` is
    the decrypted callback exactly as received, so nothing is lost for kinds that have
    no columns of their own.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="inbound_messages",
                                verbose_name=_("account"))
    kind = models.CharField(_("kind"), max_length=24, choices=InboundKind.choices, db_index=True)
    msg_type = models.CharField(_("message type"), max_length=32, blank=True)
    event = models.CharField(_("event"), max_length=64, blank=True)
    from_openid = models.CharField(_("from (openid)"), max_length=64, blank=True, db_index=True)
    dedupe_key = models.CharField(_("WeChat message id"), max_length=160)
    msg_id = models.BigIntegerField(_("MsgId"), null=True, blank=True)
    content = models.TextField(_("content"), blank=True)
    scene_key = models.CharField(_("QR scene"), max_length=128, blank=True)
    xml = models.TextField(_("XML"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=HandledStatus.choices,
                              default=HandledStatus.NEW, editable=False, db_index=True)
    reply = models.TextField(_("passive reply"), blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "dedupe_key"], name="inbound_message_once_per_account"),
        ]

    def __str__(self) -> str:
        text = self.content or self.scene_key or self.event or self.msg_type
        return f"{self.get_kind_display()} {self.from_openid}: {text[:40]}"


class AutoReply(models.Model):
    """The passive replies of one account: what a new follower and a follower who writes get at once."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="auto_reply",
                                   verbose_name=_("account"))
    subscribe_text = models.TextField(_("welcome text"), blank=True, max_length=600,
                                      help_text=_("Sent to a new follower. Empty: no welcome."))
    message_text = models.TextField(_("reply to messages"), blank=True, max_length=600,
                                    help_text=_("Sent when a follower writes a text message. Empty: no reply."))

    class Meta:
        verbose_name = _("auto-reply")
        verbose_name_plural = _("auto-replies")

    def __str__(self) -> str:
        return str(self.account)
