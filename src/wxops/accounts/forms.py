"""Admin forms for accounts: secrets can be set or replaced, never read back."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

SECRET_FIELDS = ("app_secret", "callback_token", "encoding_aes_key")


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
