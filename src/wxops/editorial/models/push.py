"""A push (推送 / 群发): 1–8 ordered articles for one slot, and its way through review to sending.

``Push.status`` is written by :func:`wxops.editorial.actions.transition` only, along the
table :data:`TRANSITIONS`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wxops.accounts import times
from wxops.accounts.times import shown

#: WeChat takes at most 8 articles in one mpnews message; the first is the headline.
MAX_ARTICLES = 8


class PushStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


S = PushStatus
#: status → the statuses it may move to. Nothing else assigns ``Push.status``.
TRANSITIONS: dict[str, frozenset[str]] = {
    # an empty slot gets its first article; an editor cancels; the slot passes unplanned
    S.PLANNED: frozenset({S.DRAFTING, S.CANCELLED, S.HELD}),
    # submit; the last article removed; cancel; the slot passes unsubmitted
    S.DRAFTING: frozenset({S.IN_REVIEW, S.PLANNED, S.CANCELLED, S.HELD}),
    # approve; ask for changes; the editor withdraws; cancel; the slot passes unapproved
    S.IN_REVIEW: frozenset({S.APPROVED, S.CHANGES_REQUESTED, S.DRAFTING, S.CANCELLED, S.HELD}),
    S.CHANGES_REQUESTED: frozenset({S.IN_REVIEW, S.DRAFTING, S.CANCELLED, S.HELD}),
    # the send starts; an article changed after approval (back to review); withdrawn; cancelled; held at send time
    S.APPROVED: frozenset({S.SENDING, S.IN_REVIEW, S.DRAFTING, S.CANCELLED, S.HELD}),
    # the send ends; the gate or WeChat stops it before anything went out
    S.SENDING: frozenset({S.SENT, S.FAILED, S.HELD}),
    S.SENT: frozenset(),
    S.FAILED: frozenset({S.CANCELLED}),
    S.CANCELLED: frozenset(),
    # approved later the same day (late send), reviewed again, re-planned on another slot, cancelled
    S.HELD: frozenset({S.APPROVED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.DRAFTING, S.CANCELLED}),
}
del S

#: Statuses in which the push's articles may still be changed by an editor.
EDITABLE = frozenset({PushStatus.PLANNED, PushStatus.DRAFTING, PushStatus.CHANGES_REQUESTED, PushStatus.HELD})
#: Statuses that are over: nothing will happen to the push any more.
FINISHED = frozenset({PushStatus.SENT, PushStatus.FAILED, PushStatus.CANCELLED})


class PushOrigin(models.TextChoices):
    SCHEDULE = "schedule", _("Regular slot")
    EXTRA = "extra", _("Extra slot")


class Push(models.Model):
    """One planned send of an account at ``slot_at`` (aware), with its review state."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="pushes",
                                verbose_name=_("official account"))
    slot_at = models.DateTimeField(_("slot"), db_index=True)
    review_deadline_at = models.DateTimeField(_("review deadline"))
    latest_send_at = models.DateTimeField(
        _("send at the latest"),
        help_text=_("The slot itself, or later the same day when the account allows a late send."))
    origin = models.CharField(_("origin"), max_length=16, choices=PushOrigin.choices, default=PushOrigin.SCHEDULE)
    status = models.CharField(_("status"), max_length=20, choices=PushStatus.choices, default=PushStatus.PLANNED,
                              db_index=True, editable=False)
    status_reason = models.TextField(_("reason"), blank=True, editable=False,
                                     help_text=_("Why it was held, failed or cancelled, in words."))
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True, editable=False)
    suggested_category = models.ForeignKey("accounts.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("suggested category"))
    suggestion_reason = models.TextField(_("why this category"), blank=True)
    category = models.ForeignKey("accounts.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("category"),
                                 help_text=_("The editor's choice; empty: the planner's suggestion."))
    notify_followers = models.BooleanField(_("notify followers"), default=True,
                                           help_text=_("Off: publish without notifying (freepublish)."))
    target_tag_id = models.PositiveIntegerField(_("only followers with tag id"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"), editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"), editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    # What WeChat reported once the send finished (MASSSENDJOBFINISH), written by publishing
    # through actions.record_delivery, so the calendar can show it without importing publishing.
    delivery_total = models.PositiveIntegerField(_("followers targeted"), null=True, blank=True, editable=False)
    delivery_sent = models.PositiveIntegerField(_("delivered"), null=True, blank=True, editable=False)
    delivery_errors = models.PositiveIntegerField(_("not delivered"), null=True, blank=True, editable=False)
    # Deadline work done, so a periodic task run twice tells nobody twice.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["slot_at", "account"]
        constraints = [
            # one live push per account and slot; a cancelled one may stand beside its replacement
            models.UniqueConstraint(fields=["account", "slot_at"], condition=~models.Q(status="cancelled"),
                                    name="one_live_push_per_slot"),
        ]
        indexes = [models.Index(fields=["status", "slot_at"], name="push_status_slot")]
        permissions = [("approve_push", "Can approve a push (审核)")]

    def __str__(self) -> str:
        return f"{self.account} {shown(self.slot_at, self.account)}"

    @property
    def local_slot(self):
        """The slot in the account's time zone, as its editors read it (templates too)."""
        return times.local(self.slot_at, self.account)

    def _effective_category(self):
        return self.category or self.suggested_category

    # The list's column header (Django's label_for_field reads it off the property's getter);
    # without it the push list said "Effective category".
    _effective_category.short_description = _("Category")
    effective_category = property(_effective_category)

    @property
    def delivery_summary(self) -> str:
        if self.delivery_sent is None:
            return ""
        return _("%(sent)d of %(total)d delivered, %(errors)d failed") % {
            "sent": self.delivery_sent, "total": self.delivery_total or 0, "errors": self.delivery_errors or 0}

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class PushArticle(models.Model):
    """An article in a push, at ``position`` (0 = the headline).

    ``approved_revision`` is the exact revision the reviewer approved; it is what is sent.
    """

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="items", verbose_name=_("push"))
    article = models.ForeignKey("materials.Article", on_delete=models.PROTECT, related_name="push_items",
                                verbose_name=_("article"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    approved_revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("approved revision"), editable=False)
    change_request = models.TextField(_("requested change"), blank=True,
                                      help_text=_("The reviewer's comment on this article."))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("added by"), editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("article in a push")
        verbose_name_plural = _("articles in a push")
        ordering = ["push", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["push", "article"], name="article_once_per_push"),
            models.CheckConstraint(condition=models.Q(position__lt=MAX_ARTICLES), name="push_article_position_max"),
        ]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.article}"
