"""Promotion (八 推广方式): branches and their staff, their QR codes, and who brought which follower.

Written only through :mod:`wxops.promotion.actions` (staff, codes) and
:mod:`wxops.promotion.attribution` (followers and their events, from WeChat's callbacks).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wxops.interaction.models.reply_content import (
    REPLY_MAX_LENGTH,
    ReplySlot,
    media_id_field,
    news_title_field,
    news_url_field,
    pic_url_field,
    reply_kind_field,
    reply_picture_field,
)

#: A branch code goes into QR scenes (``b:<code>:e:<staff number>``, at most 64 characters).
CODE_PATTERN = r"^[A-Za-z0-9_-]{1,16}$"
STAFF_NUMBER_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"


class Branch(models.Model):
    """A branch office (分公司) of the company; its administrators see only it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="branches",
                                verbose_name=_("account"))
    code = models.CharField(_("code"), max_length=16, validators=[RegexValidator(
        CODE_PATTERN, _("Use 1 to 16 letters, digits, - or _ (it goes into the QR code)."))])
    name = models.CharField(_("name"), max_length=64)
    welcome_kind = reply_kind_field()
    welcome_text = models.TextField(
        _("welcome message"), blank=True, max_length=REPLY_MAX_LENGTH,
        help_text=_("Sent to a new follower who scanned one of this branch's codes; for a news card, its "
                    "description. Empty text: the account's welcome."))
    welcome_picture = reply_picture_field()
    welcome_news_title = news_title_field()
    welcome_news_url = news_url_field()
    welcome_media_id = media_id_field()
    welcome_pic_url = pic_url_field()
    slogan = models.CharField(_("poster slogan"), max_length=64, blank=True,
                              help_text=_("Printed on the posters; empty: the default slogan."))
    administrators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="administered_branches",
                                            verbose_name=_("branch administrators"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    #: Its welcome's fields (:mod:`wxops.interaction.models.reply_content`).
    WELCOME = ReplySlot.named("welcome")

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["account", "code"]
        constraints = [models.UniqueConstraint(fields=["account", "code"], name="promotion_branch_code_unique")]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """A member of staff (员工). Never deleted once they have a code: one who leaves is deactivated."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="employees",
                                verbose_name=_("account"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="employees", verbose_name=_("branch"))
    staff_number = models.CharField(_("staff number"), max_length=32, validators=[RegexValidator(
        STAFF_NUMBER_PATTERN, _("Use 1 to 32 letters, digits, - or _."))])
    name = models.CharField(_("name"), max_length=64)
    active = models.BooleanField(_("active"), default=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["branch", "staff_number"]
        constraints = [models.UniqueConstraint(fields=["account", "staff_number"],
                                               name="promotion_employee_number_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"


class CodeKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Campaign (temporary)")


class CodeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for WeChat")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


#: Allowed status changes; :func:`wxops.promotion.codes.set_status` is the only writer.
CODE_TRANSITIONS = {
    CodeStatus.PENDING: {CodeStatus.READY, CodeStatus.FAILED},
    CodeStatus.FAILED: {CodeStatus.READY, CodeStatus.FAILED},
    CodeStatus.READY: set(),
}


class PromoCode(models.Model):
    """A parametric QR code of a branch, an employee or a campaign, created through WeChat.

    The row exists before WeChat is asked (status *pending*), so a failure loses nothing and
    is retried; ``url`` is what the code encodes, drawn locally into pictures and posters.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="promo_codes",
                                verbose_name=_("account"))
    scene_str = models.CharField(_("scene"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=CodeKind.choices, default=CodeKind.PERMANENT)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="codes",
                               verbose_name=_("branch"))
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="codes",
                                 verbose_name=_("employee"))
    campaign = models.CharField(_("campaign"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CodeStatus.choices, default=CodeStatus.PENDING)
    ticket = models.CharField(_("ticket"), max_length=256, blank=True)
    url = models.URLField(_("encoded URL"), max_length=256, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    lifetime_days = models.PositiveSmallIntegerField(_("lifetime (days)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)

    class Meta:
        verbose_name = _("QR code")
        verbose_name_plural = _("QR codes")
        ordering = ["account", "scene_str"]
        constraints = [models.UniqueConstraint(fields=["account", "scene_str"], name="promotion_code_scene_unique")]

    def __str__(self) -> str:
        return self.scene_str

    @property
    def label(self) -> str:
        """Who the code belongs to, in words."""
        if self.employee_id:
            return f"{self.branch} · {self.employee.name}"
        if self.campaign:
            return f"{self.branch} · {self.campaign}" if self.branch_id else self.campaign
        return str(self.branch)


class Target(models.Model):
    """How many new followers a branch should bring in a period (both days included)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="targets", verbose_name=_("branch"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    new_followers = models.PositiveIntegerField(_("new followers"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["branch", "-period_start"]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                              name="promotion_target_period_order")]

    def __str__(self) -> str:
        return f"{self.branch}: {self.new_followers} ({self.period_start} – {self.period_end})"


class Follower(models.Model):
    """A follower as promotion sees them: the scene they first came through (first touch).

    ``scene_str`` is kept as WeChat sent it even when no code of ours matches (shown as
    unknown); "" means they followed without a code (search, a shared article).
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="promoted_followers",
                                verbose_name=_("account"))
    openid = models.CharField(_("OpenID"), max_length=64)
    scene_str = models.CharField(_("first scene"), max_length=64, blank=True)
    code = models.ForeignKey(PromoCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="followers")
    branch = models.ForeignKey(Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="followers")
    employee = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="followers")
    first_subscribed_at = models.DateTimeField(_("first followed"))
    first_unsubscribed_at = models.DateTimeField(_("first unfollowed"), null=True, blank=True)
    following = models.BooleanField(_("following"), default=True)

    class Meta:
        verbose_name = _("attributed follower")
        verbose_name_plural = _("attributed followers")
        constraints = [models.UniqueConstraint(fields=["account", "openid"], name="promotion_follower_unique")]
        indexes = [models.Index(fields=["account", "first_subscribed_at"])]

    def __str__(self) -> str:
        return self.openid


class EventKind(models.TextChoices):
    SUBSCRIBE = "subscribe", _("New follower")
    RESUBSCRIBE = "resubscribe", _("Returned")
    UNSUBSCRIBE = "unsubscribe", _("Unfollowed")
    SCAN = "scan", _("Scan by a follower")


class PromotionEvent(models.Model):
    """One subscribe, SCAN or unsubscribe, counted against a branch and employee.

    A subscribe is the follower's first (first touch); re-subscribes and unsubscribes count
    against the follower's first-touch branch; a SCAN against the scanned code's. Unique
    per follower, kind and moment: WeChat's duplicates and retries count once.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="promotion_events")
    openid = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    scene_str = models.CharField(max_length=64, blank=True)
    code = models.ForeignKey(PromoCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    branch = models.ForeignKey(Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    employee = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    occurred_at = models.DateTimeField()
    inbound_id = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["account", "openid", "kind", "occurred_at"],
                                               name="promotion_event_once")]
        indexes = [models.Index(fields=["account", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.openid}"
