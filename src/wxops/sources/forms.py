"""Forms of sources: the staff submission form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from wxops.accounts.models import Account


class SubmissionForm(forms.Form):
    account = forms.ModelChoiceField(Account.objects.all(), label=gettext_lazy("Official account"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    url = forms.URLField(label=gettext_lazy("Original link (optional)"), required=False, max_length=1000,
                         assume_scheme="https")
    author = forms.CharField(label=gettext_lazy("Author (optional)"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = Account.objects.all()
        if accounts.count() == 1:
            self.fields["account"].initial = accounts.first()
