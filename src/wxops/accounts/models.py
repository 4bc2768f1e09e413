"""The WeChat Official Account (公众号) and the plan's content categories (一 信息推送分类)."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_CATEGORIES = ("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("%(zone)s is not a time zone; use a name like Asia/Shanghai."), params={"zone": value})


def default_time_zone() -> str:
    """A new account's time zone: the site's (``WXOPS_TIME_ZONE``, Asia/Shanghai unless set)."""
    return settings.TIME_ZONE


class AccountType(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription account — one mass send a day")
    SERVICE = "service", _("Service account — four mass messages per follower a month")


class MessageMode(models.TextChoices):
    PLAIN = "plain", _("Plain")
    COMPATIBLE = "compatible", _("Compatible")
    SAFE = "safe", _("Safe (encrypted)")


class Account(models.Model):
    """One WeChat Official Account run by wxops.

    The AppSecret, callback Token and EncodingAESKey are stored here (or come from the
    environment, see :meth:`credentials`); they are never shown back in any page.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    app_id = models.CharField(
        _("AppID"), max_length=32, unique=True,
        validators=[RegexValidator(r"^wx[0-9a-zA-Z]{14,30}$", _("An AppID starts with wx, e.g. wx1234567890abcdef."))],
    )
    account_type = models.CharField(_("account type"), max_length=16, choices=AccountType.choices,
                                    default=AccountType.SUBSCRIPTION)
    verified = models.BooleanField(_("verified"), default=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone,
                                 validators=[validate_time_zone],
                                 help_text=_("Every time shown for this account (push slots, deadlines, follower "
                                             "messages, send records) is in this time zone."))
    api_base = models.URLField(_("WeChat API base URL"), blank=True,
                               help_text=_("Empty: the site's WECHAT_API_BASE (the local simulator by default)."))
    app_secret = models.CharField(_("AppSecret"), max_length=128, blank=True)
    callback_token = models.CharField(_("callback Token"), max_length=64, blank=True)
    encoding_aes_key = models.CharField(_("EncodingAESKey"), max_length=43, blank=True)
    message_mode = models.CharField(_("message encryption"), max_length=16, choices=MessageMode.choices,
                                    default=MessageMode.SAFE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("official account")
        verbose_name_plural = _("official accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def wechat_api_base(self) -> str:
        return (self.api_base or settings.WECHAT_API_BASE).rstrip("/")

    def clean(self) -> None:
        if self.encoding_aes_key and len(self.encoding_aes_key) != 43:
            raise ValidationError({"encoding_aes_key": _("An EncodingAESKey has exactly 43 characters.")})
        if self.message_mode != MessageMode.PLAIN and self.callback_token and not self.encoding_aes_key:
            raise ValidationError({"encoding_aes_key": _("Safe and compatible modes need the EncodingAESKey.")})


class Category(models.Model):
    """A content category of the plan (一 信息推送分类), editable per account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="categories",
                                verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=64)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["account", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="category_unique_per_account")]

    def __str__(self) -> str:
        return self.name


class AccessTokenRecord(models.Model):
    """The WeChat access token of one AppID, shared by every web and worker process.

    Written only through :class:`wxops.accounts.token_store.DatabaseTokenStore`.
    """

    app_id = models.CharField(max_length=32, unique=True)
    value = models.CharField(max_length=1024, blank=True)
    expires_at = models.FloatField(default=0.0, help_text="epoch seconds")
    # The process fetching a new token holds this lease (committed before the HTTP call, so
    # no transaction stays open while WeChat answers); the others wait for its token.
    lease_owner = models.CharField(max_length=32, blank=True)
    lease_until = models.FloatField(default=0.0, help_text="epoch seconds")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        default_permissions = ()

    def __str__(self) -> str:
        return f"access token of {self.app_id}"
