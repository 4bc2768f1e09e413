"""The sending records: one :class:`Delivery` per push, its articles as sent, and the uploads cache.

``Delivery.state`` follows :data:`TRANSITIONS` and is written only by
:mod:`wxops.publishing.actions.states` (compare-and-set, audit-logged). The row is the
truth: a worker killed at any point leaves a row the next sweep picks up again.
"""

from django.contrib.admin import display as admin_display
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PREPARING = "preparing", _("Preparing")          # claimed: rendering, uploading pictures, making the draft
    READY = "ready", _("Draft ready")                 # the draft exists (media_id stored); the send is next
    SENDING = "sending", _("Sending")                 # the send call is being made; the clientmsgid is stored
    UNKNOWN = "unknown", _("Outcome unknown")         # no answer to the send: asked again with the same clientmsgid
    WAITING = "waiting", _("Waiting to retry")        # a passing error before anything went out
    ACCEPTED = "accepted", _("Accepted by WeChat")    # WeChat took the job (msg_id / publish_id); it is running
    DELIVERED = "delivered", _("Delivered")           # the job finished: followers reached (or article published)
    FAILED = "failed", _("Failed")                    # a permanent error; the reason says what to fix
    HELD = "held", _("Held")                          # stopped before sending (gate, credentials, cut-off)


D = DeliveryState
#: state → the states it may move to. Nothing else assigns ``Delivery.state``.
TRANSITIONS: dict[str, frozenset[str]] = {
    D.PREPARING: frozenset({D.READY, D.WAITING, D.FAILED, D.HELD}),
    D.READY: frozenset({D.SENDING, D.WAITING, D.FAILED, D.HELD}),
    D.WAITING: frozenset({D.PREPARING, D.READY, D.SENDING, D.FAILED, D.HELD}),
    # answered: accepted / already sent, a passing error, a permanent one; no answer: unknown
    # (PREPARING: the draft was gone on a repeated call, so it is made again, with the same clientmsgid)
    D.SENDING: frozenset({D.ACCEPTED, D.UNKNOWN, D.WAITING, D.FAILED, D.PREPARING, D.HELD}),
    # asked again with the same clientmsgid (WeChat answers 45065 if the first went out); or the cut-off
    D.UNKNOWN: frozenset({D.SENDING, D.PREPARING, D.ACCEPTED, D.DELIVERED, D.HELD}),
    D.ACCEPTED: frozenset({D.DELIVERED, D.FAILED}),
    D.DELIVERED: frozenset(),
    D.FAILED: frozenset(),
    # a held push approved again later that day starts over (with the same clientmsgid if it was ever sent)
    D.HELD: frozenset({D.PREPARING}),
}
del D

#: States in which a worker still has something to do.
ACTIVE = frozenset({DeliveryState.PREPARING, DeliveryState.READY, DeliveryState.SENDING, DeliveryState.UNKNOWN,
                    DeliveryState.WAITING, DeliveryState.ACCEPTED})
#: States after which the send call may already have reached WeChat.
MAYBE_SENT = frozenset({DeliveryState.SENDING, DeliveryState.UNKNOWN, DeliveryState.ACCEPTED,
                        DeliveryState.DELIVERED})


class Channel(models.TextChoices):
    MASS = "mass", _("Mass send (followers notified)")
    PUBLISH = "publish", _("Publish without notifying (freepublish)")


class Delivery(models.Model):
    """How one push went out: the chain of attempts, the ids WeChat gave, the counts it reported.

    ``clientmsgid`` is derived from account, slot and revisions and stored *before* the
    send call, so any retry — by this worker, a sweep or another process — carries the
    same id and WeChat refuses a second send (45065).
    """

    push = models.OneToOneField("editorial.Push", on_delete=models.PROTECT, related_name="delivery",
                                verbose_name=_("push"))
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="deliveries",
                                verbose_name=_("official account"))
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PREPARING, db_index=True, editable=False)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it waits, failed or was held, in words."))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.MASS)
    target_tag_id = models.PositiveIntegerField(_("only followers with tag id"), null=True, blank=True)
    clientmsgid = models.CharField(_("clientmsgid"), max_length=64, unique=True)
    media_id = models.CharField(_("draft media_id"), max_length=128, blank=True)
    msg_id = models.CharField(_("msg_id"), max_length=32, blank=True, db_index=True)
    msg_data_id = models.CharField(_("msg_data_id"), max_length=32, blank=True, db_index=True)
    publish_id = models.CharField(_("publish_id"), max_length=64, blank=True, db_index=True)
    wechat_status = models.CharField(_("WeChat's status"), max_length=64, blank=True)
    total_count = models.PositiveIntegerField(_("followers targeted"), null=True, blank=True)
    filter_count = models.PositiveIntegerField(_("after filtering"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("delivered"), null=True, blank=True)
    error_count = models.PositiveIntegerField(_("not delivered"), null=True, blank=True)
    send_calls = models.PositiveSmallIntegerField(_("send calls"), default=0)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0,
                                             help_text=_("Passing errors in a row; resets when a step succeeds."))
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed"))
    first_send_call_at = models.DateTimeField(_("first send call"), null=True, blank=True)
    last_send_call_at = models.DateTimeField(_("last send call"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-claimed_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_state_next")]

    def __str__(self) -> str:
        return f"{self.push} · {self.get_state_display()}"

    @property
    @admin_display(description=_("WeChat's counts"))
    def counts_summary(self) -> str:
        if self.sent_count is None:
            return ""
        return _("%(sent)d of %(total)d delivered, %(errors)d failed") % {
            "sent": self.sent_count, "total": self.total_count or 0, "errors": self.error_count or 0}


class DeliveryArticle(models.Model):
    """One article exactly as it was sent: the approved revision and the HTML WeChat received."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="articles",
                                 verbose_name=_("delivery"))
    index = models.PositiveSmallIntegerField(_("index"), help_text=_("0 = the headline, as WeChat counts."))
    article = models.ForeignKey("materials.Article", on_delete=models.SET_NULL, null=True, related_name="+",
                                verbose_name=_("article"))
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+",
                                 verbose_name=_("revision sent"))
    title = models.CharField(_("title"), max_length=64)
    html = models.TextField(_("HTML sent"))
    thumb_media_id = models.CharField(_("cover media_id"), max_length=128, blank=True)
    url = models.URLField(_("article URL"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("article as sent")
        verbose_name_plural = _("articles as sent")
        ordering = ["delivery", "index"]
        constraints = [models.UniqueConstraint(fields=["delivery", "index"], name="one_sent_article_per_index")]

    def __str__(self) -> str:
        return f"{self.index + 1}. {self.title}"


class UploadPurpose(models.TextChoices):
    BODY_IMAGE = "uploadimg", _("Picture in an article (media/uploadimg)")
    COVER = "cover", _("Cover (permanent image material)")


class WeChatUpload(models.Model):
    """A picture rendition already uploaded to an account, by the sha256 of its bytes: a retry,
    another push or the reviewer's preview reuses it instead of uploading again."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=16, choices=UploadPurpose.choices)
    sha256 = models.CharField(max_length=64)
    url = models.CharField(max_length=1000, blank=True)
    media_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded picture")
        verbose_name_plural = _("uploaded pictures")
        constraints = [models.UniqueConstraint(fields=["account", "purpose", "sha256"], name="one_upload_per_picture")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.sha256[:10]}"


class SlotTimer(models.Model):
    """The send task of one slot minute (every account's pushes at that instant): when it was
    armed to start (the real clock, huey's) and who runs it. Only a trigger's memory — the
    claim on each push decides who sends, and the minute's sweep sends what a timer missed.
    Written by :mod:`wxops.publishing.actions.timers`."""

    slot_at = models.DateTimeField(_("slot"), unique=True)
    armed_for = models.DateTimeField(_("task starts"), null=True, blank=True)
    taken_at = models.DateTimeField(_("task started"), null=True, blank=True)
    runner = models.CharField(max_length=32, blank=True, editable=False)
    runner_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("slot timer")
        verbose_name_plural = _("slot timers")
        ordering = ["slot_at"]

    def __str__(self) -> str:
        return f"{self.slot_at:%Y-%m-%d %H:%M}"
