"""Who is told what: a reviewer's WeChat for previews, and notices shown in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreviewContact(models.Model):
    """Where a person receives WeChat previews (``message/mass/preview``) of pushes to review.

    An openid belongs to one official account (each account sees a follower under another
    openid), so it is kept per account; the WeChat id (微信号) works for every account.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preview_contacts",
                             verbose_name=_("user"))
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("official account"),
                                help_text=_("Empty: every account (WeChat id only)."))
    wechat_id = models.CharField(
        _("WeChat id (微信号)"), max_length=64, blank=True,
        validators=[RegexValidator(r"^[A-Za-z][-_A-Za-z0-9]{5,19}$",
                                   _("A WeChat id has 6–20 letters, digits, - or _, and starts with a letter."))])
    openid = models.CharField(_("openid"), max_length=64, blank=True,
                              validators=[RegexValidator(r"^[-_A-Za-z0-9]{6,64}$", _("An openid has letters, "
                                                                                       "digits, - and _ only."))],
                              help_text=_("Your openid as a follower of this account."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("WeChat for previews")
        verbose_name_plural = _("WeChat for previews")
        constraints = [models.UniqueConstraint(fields=["user", "account"], name="one_preview_contact_per_account"),
                       models.UniqueConstraint(fields=["user"], condition=models.Q(account__isnull=True),
                                               name="one_preview_contact_for_all_accounts")]

    def __str__(self) -> str:
        return self.wechat_id or self.openid

    def clean(self) -> None:
        if not self.wechat_id and not self.openid:
            raise ValidationError(_("Give your WeChat id, or your openid as a follower of the account."))
        if self.openid and self.account_id is None:
            raise ValidationError({"openid": _("An openid belongs to one official account: choose the account.")})


class Notice(models.Model):
    """A message for one person in the admin (also sent by email): a push to review, approved, held …"""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editorial_notices",
                             verbose_name=_("user"))
    push = models.ForeignKey("editorial.Push", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notices", verbose_name=_("push"))
    event = models.CharField(_("event"), max_length=32)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return self.message[:60]
