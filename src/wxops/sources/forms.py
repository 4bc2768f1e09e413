"""Forms of sources: the staff submission form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from wxops.accounts.forms import only_account
from wxops.accounts.models import Account


class SubmissionForm(forms.Form):
    account = forms.ModelChoiceField(Account.objects.all(), label=gettext_lazy("Official account"))
    # Title and text are checked by the action (a link alone is a submission too: it is fetched).
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 14}), required=False)
    url = forms.URLField(label=gettext_lazy("Original link (optional)"), required=False, max_length=1000,
                         assume_scheme="https", help_text=gettext_lazy(
                             "A link alone (a web page or a WeChat article) is fetched and added to the pool."))
    author = forms.CharField(label=gettext_lazy("Author (optional)"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].initial = only_account(Account.objects.all())


#: Said on every form that takes a picture from the web.
COPYRIGHT_WARNING = gettext_lazy(
    "Photos found through image search (百度图库, 360图库) or on portals usually belong to a photographer or an "
    "agency, and image agencies do claim fees from accounts that use them. Choose “Unknown” unless you know "
    "the licence; an unknown licence cannot be published.")


def licence_field(**kwargs) -> forms.ChoiceField:
    """The licence, with nothing pre-selected: a conscious choice."""
    from wxops.materials.models.picture import Licence

    return forms.ChoiceField(label=gettext_lazy("Licence"), choices=[("", "---------"), *Licence.choices],
                             help_text=COPYRIGHT_WARNING, **kwargs)


class PictureFromUrlForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("Address of the picture, or of the page that shows it"),
                         max_length=1000, assume_scheme="https")
    title = forms.CharField(label=gettext_lazy("Title (optional)"), required=False, max_length=255)
    licence = licence_field()
    licensor = forms.CharField(label=gettext_lazy("Licensed by"), required=False, max_length=200,
                               help_text=gettext_lazy("Who granted the licence; required for “Licensed”."))
    author_credit = forms.CharField(label=gettext_lazy("Author or agency (optional)"), required=False, max_length=200)
    upload_anyway = forms.BooleanField(label=gettext_lazy("Upload anyway"), required=False,
                                       help_text=gettext_lazy("Tick to add a picture that is already in the library."))
