"""Forms of editorial's admin: the schedule with weekday boxes, a person's WeChat for previews."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from wxops.editorial.models import PreviewContact, PushSchedule
from wxops.editorial.models.schedule import WEEKDAYS


class PushScheduleForm(WagtailAdminModelForm):
    weekdays = forms.TypedMultipleChoiceField(label=_("weekdays"), choices=WEEKDAYS, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PushSchedule
        fields = ["account", "weekdays", "send_time", "review_deadline", "holiday_policy", "late_send_until",
                  "notify_followers", "target_tag_id", "reviewer"]

    def clean_weekdays(self):
        return sorted(set(self.cleaned_data["weekdays"]))


class PreviewContactForm(forms.ModelForm):
    class Meta:
        model = PreviewContact
        fields = ["account", "wechat_id", "openid"]
