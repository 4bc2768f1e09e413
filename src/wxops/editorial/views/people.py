"""A person's own settings in editorial: where they receive WeChat previews of pushes to review."""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from wxops.editorial.forms import PreviewContactForm
from wxops.editorial.models import PreviewContact


def preview_contact(request):
    """The signed-in person's WeChat id / openid for previews (one per account, or for all)."""
    contacts = PreviewContact.objects.filter(user=request.user).select_related("account")
    if request.method == "POST" and request.POST.get("delete"):
        contacts.filter(pk=request.POST["delete"]).delete()
        return redirect("editorial_preview_contact")
    form = PreviewContactForm(request.POST or None,
                              instance=PreviewContact(user=request.user))
    if request.method == "POST" and form.is_valid():
        existing = contacts.filter(account=form.cleaned_data["account"]).first()
        if existing is not None:  # one per account: replace it
            form = PreviewContactForm(request.POST, instance=existing)
            form.is_valid()
        form.save()
        messages.success(request, _("Saved: previews of pushes to review reach this WeChat."))
        return redirect("editorial_preview_contact")
    return TemplateResponse(request, "editorial/preview_contact.html", {
        "form": form, "contacts": contacts, "page_title": _("WeChat for previews"),
        "header_title": _("WeChat for previews"), "header_icon": "mail"})
