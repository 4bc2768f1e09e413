"""The calendar's rules (四 推送频率, 五 推送时间): when an account pushes and how holidays bend it."""

from datetime import time

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wxops.accounts.times import shown

#: Monday, Wednesday, Friday (Python's weekday numbers: Monday is 0).
DEFAULT_WEEKDAYS = (0, 2, 4)
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
DEFAULT_SEND_TIME = time(11, 30)
DEFAULT_REVIEW_DEADLINE = time(10, 0)


def default_weekdays() -> list[int]:
    return list(DEFAULT_WEEKDAYS)


def validate_weekdays(value) -> None:
    if not isinstance(value, list) or not value or any(not isinstance(d, int) or not 0 <= d <= 6 for d in value):
        raise ValidationError(_("Choose at least one weekday."))


class HolidayPolicy(models.TextChoices):
    KEEP = "keep", _("Keep the slot on a holiday")
    SKIP = "skip", _("Skip the slot on a holiday")
    MOVE = "move", _("Move the slot to the next working day")


class PushSchedule(models.Model):
    """One per account: the regular push slots and the review deadline, in the account's time zone."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="push_schedule",
                                   verbose_name=_("official account"))
    weekdays = models.JSONField(_("weekdays"), default=default_weekdays, validators=[validate_weekdays],
                                help_text=_("Monday is 0 … Sunday is 6."))
    send_time = models.TimeField(_("send time"), default=DEFAULT_SEND_TIME)
    review_deadline = models.TimeField(_("review deadline"), default=DEFAULT_REVIEW_DEADLINE,
                                       help_text=_("The push must be approved by then, the same day."))
    holiday_policy = models.CharField(_("on a public holiday"), max_length=8, choices=HolidayPolicy.choices,
                                      default=HolidayPolicy.MOVE)
    late_send_until = models.TimeField(
        _("allow a late send until"), null=True, blank=True,
        help_text=_("Empty: a push not approved at its slot is held and not sent that day. "
                    "A time: once approved it may still go out until then, the same day."))
    notify_followers = models.BooleanField(
        _("notify followers"), default=True,
        help_text=_("On: a mass send that reaches every follower's chat. Off: publish only (freepublish)."))
    target_tag_id = models.PositiveIntegerField(_("only followers with tag id"), null=True, blank=True,
                                                help_text=_("Empty: all followers."))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"),
                                 help_text=_("Empty: every member of the reviewers' group (审核人) is told."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("push schedule")
        verbose_name_plural = _("push schedules")

    def __str__(self) -> str:
        return str(_("Push schedule of %(account)s") % {"account": self.account})

    @admin.display(description=_("weekdays"))
    def weekday_names(self) -> str:
        names = dict(WEEKDAYS)
        return "、".join(str(names[day]) for day in sorted(self.weekdays))

    def clean(self) -> None:
        if self.review_deadline >= self.send_time:
            raise ValidationError({"review_deadline": _("The review deadline must come before the send time.")})
        if self.late_send_until is not None and self.late_send_until <= self.send_time:
            raise ValidationError({"late_send_until": _("A late send must end after the send time.")})


class SlotChangeKind(models.TextChoices):
    EXTRA = "extra", _("Extra slot")
    CANCELLED = "cancelled", _("Cancelled slot")


class SlotChange(models.Model):
    """A one-off change to an account's calendar: an extra slot, or a regular slot cancelled."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="slot_changes",
                                verbose_name=_("official account"))
    kind = models.CharField(_("change"), max_length=16, choices=SlotChangeKind.choices)
    slot_at = models.DateTimeField(_("slot"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("slot change")
        verbose_name_plural = _("slot changes")
        ordering = ["slot_at"]
        constraints = [models.UniqueConstraint(fields=["account", "slot_at", "kind"], name="slot_change_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {shown(self.slot_at, self.account)}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Working day (调休)")


class HolidayOverride(models.Model):
    """An administrator's word on one day, over the holiday package (e.g. next year's 调休
    announced after the installed package was released)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("the day is"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 春节, 国庆节."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
