"""Admin forms for accounts: secrets can be set or replaced, never read back; times typed in an account's zone."""

from datetime import datetime

from django import forms
from django.utils.timezone import get_current_timezone, is_aware
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from wxops.accounts import times

SECRET_FIELDS = ("app_secret", "callback_token", "encoding_aes_key")


def only_account(accounts):
    """The one account of the queryset ``accounts``, or None when it has none or several (one query)."""
    found = list(accounts[:2])
    return found[0] if len(found) == 1 else None


class AccountPresetForm(WagtailAdminModelForm):
    """A new object's ``account`` is preset when the site has only one account (the common case)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "account" in self.fields and not self.instance.pk:
            account = only_account(self.fields["account"].queryset)
            if account is not None:
                self.initial.setdefault("account", account.pk)


class AccountForm(WagtailAdminModelForm):
    """Secret fields render empty; leaving one empty keeps the stored value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if name in self.fields:
                field = self.fields[name]
                field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
                field.required = False
                stored = bool(self.instance.pk and getattr(self.instance, name))
                field.help_text = _("Stored — leave empty to keep it.") if stored else _("Not set.")

    def clean(self):
        cleaned = super().clean()
        for name in SECRET_FIELDS:
            if name in cleaned and not cleaned[name] and self.instance.pk:
                cleaned[name] = getattr(type(self.instance).objects.get(pk=self.instance.pk), name)
        return cleaned


class AccountTimesForm(WagtailAdminModelForm):
    """A form of something that belongs to an account (``account`` field or the instance's), whose
    date-and-time inputs show and take the *account's* time zone, not the person's: an extra slot
    typed as 11:30 by someone in London is 11:30 where the account publishes (accounts.times)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self._zone(self._instance_account())
        for field in self._datetime_fields():
            note = (_("In the official account's time zone (%(zone)s).") % {"zone": zone.key} if zone
                    else _("In the official account's time zone."))
            field.help_text = f"{field.help_text} {note}".strip()

    def _datetime_fields(self):
        return [field for field in self.fields.values() if isinstance(field, forms.DateTimeField)]

    def _instance_account(self):
        return self.instance.account if getattr(self.instance, "account_id", None) else None

    @staticmethod
    def _zone(account):
        return times.zone_of(account) if account is not None else None

    def get_initial_for_field(self, field, field_name):
        value = super().get_initial_for_field(field, field_name)
        zone = self._zone(self._instance_account())
        if zone and isinstance(field, forms.DateTimeField) and isinstance(value, datetime) and is_aware(value):
            return value.astimezone(zone).replace(tzinfo=None)  # naive: the widget shows it as it is
        return value

    def clean(self):
        cleaned = super().clean()
        zone = self._zone(cleaned.get("account") or self._instance_account())
        if zone is None:
            return cleaned
        person = get_current_timezone()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateTimeField) and isinstance(value, datetime) and is_aware(value):
                # Django read the typed time in the person's zone: the same wall-clock time, in the account's
                cleaned[name] = value.astimezone(person).replace(tzinfo=zone)
        return cleaned
