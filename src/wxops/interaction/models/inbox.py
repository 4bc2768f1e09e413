"""The inbox (七 沟通互动): what followers and WeChat send to the callback URL, and the auto-reply."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .reply_content import (
    REPLY_MAX_LENGTH,
    ReplySlot,
    media_id_field,
    news_title_field,
    news_url_field,
    pic_url_field,
    reply_kind_field,
    reply_picture_field,
)


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
    LOCATION_REPORT = "location_report", _("Location report")
    MENU_SCAN_PUSH = "scancode_push", _("Menu scan")
    MENU_SCAN_WAIT = "scancode_waitmsg", _("Menu scan (waiting for a reply)")
    MENU_CAMERA = "pic_sysphoto", _("Menu photo (camera)")
    MENU_PHOTO_OR_ALBUM = "pic_photo_or_album", _("Menu photo (camera or album)")
    MENU_WECHAT_ALBUM = "pic_weixin", _("Menu photo (WeChat album)")
    MENU_LOCATION = "location_select", _("Menu location")
    MENU_MINI_PROGRAM = "view_miniprogram", _("Menu mini program")
    SUBSCRIPTION_POPUP = "subscribe_msg_popup_event", _("Notification subscription choice")
    SUBSCRIPTION_CHANGE = "subscribe_msg_change_event", _("Notification subscription change")
    SUBSCRIPTION_SENT = "subscribe_msg_sent_event", _("Notification sent")
    AGENT_SESSION_OPENED = "kf_create_session", _("Agent took the conversation")
    AGENT_SESSION_CLOSED = "kf_close_session", _("Agent closed the conversation")
    AGENT_SESSION_SWITCHED = "kf_switch_session", _("Conversation passed to another agent")
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
    CreateTime + the event's name and own id for events
    (``event:<openid>:<time>:<EVENT>:<id>``), unique per account. ``xml`` is the decrypted
    callback exactly as received, so nothing is lost for kinds that have no columns of
    their own. ``signed_with`` is the signed request's timestamp and nonce, unique per
    account: a signature copied from a log cannot bring a second, different message.
    """

    # Every callback writes a row; nothing in the content links to it. Without this, each save queues
    # Wagtail's reference-index task: one more write (and commit) on the callback's hot path.
    wagtail_reference_index_ignore = True

    # Every callback writes a row, and each index is one more B-tree written before WeChat gets its
    # answer: only the indexes of Meta.indexes and the unique keys (db_index=False on the rest).
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="inbound_messages",
                                verbose_name=_("account"), db_index=False)  # led by the unique keys
    kind = models.CharField(_("kind"), max_length=32, choices=InboundKind.choices)
    msg_type = models.CharField(_("message type"), max_length=32, blank=True)
    event = models.CharField(_("event"), max_length=64, blank=True)
    from_openid = models.CharField(_("from (openid)"), max_length=64, blank=True)
    dedupe_key = models.CharField(_("WeChat message id"), max_length=160)
    # Text: WeChat's MsgId is an unsigned 64-bit number, beyond a signed BIGINT.
    msg_id = models.CharField(_("MsgId"), max_length=24, blank=True, default="")
    content = models.TextField(_("content"), blank=True)
    scene_key = models.CharField(_("QR scene"), max_length=128, blank=True)
    xml = models.TextField(_("XML"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=HandledStatus.choices,
                              default=HandledStatus.NEW, editable=False)
    reply = models.TextField(_("passive reply"), blank=True)
    reply_source = models.CharField(_("answered by"), max_length=100, blank=True)
    # An image or news passive reply: {"media_id": …} or {"news": [{title, description, url, pic_url}]};
    # ``reply`` then holds what the inbox shows of it. Empty for a text reply.
    reply_payload = models.JSONField(default=dict, blank=True, editable=False)
    # "<timestamp>:<nonce>" of the signed request that brought it: one signature brings one message.
    signed_with = models.CharField(max_length=100, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox")
        ordering = ["-received_at", "-id"]
        indexes = [
            # A follower's conversation and WeChat's 48-hour window for customer-service messages.
            models.Index(fields=["account", "from_openid", "received_at"], name="inbound_by_follower"),
            # What waits for a person (the dashboard, the inbox's unanswered filter), newest first.
            models.Index(fields=["status", "received_at"], name="inbound_by_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["account", "dedupe_key"], name="inbound_message_once_per_account"),
            models.UniqueConstraint(fields=["account", "signed_with"], condition=~models.Q(signed_with=""),
                                    name="inbound_message_one_per_signed_request"),
        ]

    def __str__(self) -> str:
        from wxops.interaction.inbox_conversations import short_label  # it reads these models

        text = self.content or self.scene_key or self.event or self.msg_type
        who = short_label(self.from_openid) if self.from_openid else ""
        return f"{self.get_kind_display()} {who}: {text[:40]}"


class AutoReply(models.Model):
    """The passive replies of one account: what a new follower and a follower who writes get at once —
    each text, an image or a news card — and how sure the knowledge base must be before it answers."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="auto_reply",
                                   verbose_name=_("account"))
    subscribe_kind = reply_kind_field()
    subscribe_text = models.TextField(_("welcome text"), blank=True, max_length=REPLY_MAX_LENGTH,
                                      help_text=_("Sent to a new follower; for a news card, its description. "
                                                  "Empty text: no welcome."))
    subscribe_picture = reply_picture_field()
    subscribe_news_title = news_title_field()
    subscribe_news_url = news_url_field()
    subscribe_media_id = media_id_field()
    subscribe_pic_url = pic_url_field()
    message_kind = reply_kind_field()
    message_text = models.TextField(_("reply to messages"), blank=True, max_length=REPLY_MAX_LENGTH,
                                    help_text=_("Sent when a follower's text message gets no other answer; for a "
                                                "news card, its description. Empty text: no reply."))
    message_picture = reply_picture_field()
    message_news_title = news_title_field()
    message_news_url = news_url_field()
    message_media_id = media_id_field()
    message_pic_url = pic_url_field()
    knowledge_threshold = models.FloatField(
        _("knowledge base confidence"), default=0.5, validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_("How close (0.05–1) a follower's question must be to a question of the knowledge base "
                    "for its answer to be sent. Below it, the knowledge base stays silent."))

    #: The welcome on follow and the default reply (:mod:`wxops.interaction.models.reply_content`).
    WELCOME = ReplySlot.named("subscribe")
    DEFAULT = ReplySlot.named("message")

    class Meta:
        verbose_name = _("auto-reply")
        verbose_name_plural = _("auto-replies")

    def __str__(self) -> str:
        return str(self.account)

