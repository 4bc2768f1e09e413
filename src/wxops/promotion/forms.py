"""The promotion pages' forms: they parse input; the actions decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.images.widgets import AdminImageChooser

from wxops.accounts.models import Account
from wxops.accounts.roles import ROLE_BY_KEY

from .actions.codes import MAX_CAMPAIGN_DAYS
from .models import Branch, Employee


class BranchForm(forms.ModelForm):
    administrators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Branch administrators"))

    class Meta:
        model = Branch
        fields = ["account", "code", "name", "welcome_kind", "welcome_text", "welcome_picture", "welcome_news_title",
                  "welcome_news_url", "slogan", "active"]
        widgets = {"welcome_picture": AdminImageChooser}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administrators"].queryset = get_user_model().objects.filter(
            is_active=True, groups__name=ROLE_BY_KEY["branch_admin"].group_name).order_by("username")
        if self.instance.pk:
            self.fields["administrators"].initial = list(self.instance.administrators.all())
            self.fields["account"].disabled = True
            self.fields["code"].disabled = True  # printed in every code of the branch


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = ["branch", "staff_number", "name"]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches if branches is not None else Branch.objects.none()
        if self.instance.pk:
            self.fields["staff_number"].disabled = True  # the import key, printed in the code


class ImportForm(forms.Form):
    account = forms.ModelChoiceField(queryset=Account.objects.all(), label=_("Official account"))
    file = forms.FileField(label=_("Staff list (CSV or XLSX)"))


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=64, label=_("Campaign"))
    days = forms.IntegerField(min_value=1, max_value=MAX_CAMPAIGN_DAYS, initial=7, label=_("Valid for (days)"))
    branch = forms.ModelChoiceField(queryset=Branch.objects.none(), required=False, label=_("Branch"),
                                    help_text=_("Empty: a code of the whole account."))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches if branches is not None else Branch.objects.none()


class TargetForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    new_followers = forms.IntegerField(min_value=1, label=_("New followers"))
