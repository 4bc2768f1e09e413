"""Admin views that bring pictures from the web into the library: by URL, and a pool story's own pictures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wxops.materials.actions import DuplicatePicture
from wxops.materials.models.picture import Licence

from . import actions
from .forms import COPYRIGHT_WARNING, PictureFromUrlForm
from .models import Story


def _add_errors(form, error: ValidationError) -> None:
    if isinstance(error, DuplicatePicture):
        form.add_error("upload_anyway", [*error.messages, _("Tick “Upload anyway” to add it all the same.")])
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def picture_from_url(request):
    """Add a picture from a URL (an image, or a page that shows one), asking its licence."""
    from wxops.materials.actions import can_add_picture

    if not can_add_picture(request.user):
        raise PermissionDenied
    form = PictureFromUrlForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            picture = actions.add_picture_from_url(
                request.user, data["url"], licence=data["licence"], licensor=data["licensor"], title=data["title"],
                author_credit=data["author_credit"], allow_duplicate=data["upload_anyway"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Picture “%(title)s” added to the library with where it came from.")
                             % {"title": picture.title})
            return redirect(reverse("wagtailimages:edit", args=[picture.pk]))
    return render(request, "sources/picture_from_url.html", {
        "header_title": _("Add a picture from the web"), "page_title": _("Add a picture from the web"),
        "header_icon": "image", "form": form})


def story_pictures(request, story_id: int):
    """After turning a story into an article: offer the original's pictures into the library."""
    story = get_object_or_404(Story, pk=story_id)
    offers = actions.offers_for(story, request.user)
    next_url = (reverse("wagtailsnippets_materials_article:edit", args=[story.article_id]) if story.article_id
                else reverse("sources_pool"))
    if not offers:
        return redirect(next_url)
    rows = [{"index": n, "offer": offer, "checked": False, "licence": "", "licensor": "", "error": ""}
            for n, offer in enumerate(offers)]
    if request.method == "POST":
        added, failed = 0, 0
        for row in rows:
            prefix = f"p{row['index']}"
            if not request.POST.get(f"{prefix}-add"):
                continue
            row.update(checked=True, licence=request.POST.get(f"{prefix}-licence", ""),
                       licensor=request.POST.get(f"{prefix}-licensor", ""))
            try:
                actions.add_picture_from_url(request.user, row["offer"].url, licence=row["licence"],
                                             licensor=row["licensor"], page_url=row["offer"].page_url,
                                             source_name=row["offer"].source_name,
                                             allow_duplicate=bool(request.POST.get(f"{prefix}-anyway")))
                added += 1
                row["checked"] = False
                row["done"] = True
            except ValidationError as error:
                failed += 1
                row["error"] = " ".join(error.messages)
        if added:
            messages.success(request, _("%(count)d pictures added to the library; choose them in the article.")
                             % {"count": added})
        if not failed:
            return redirect(next_url)
    return render(request, "sources/story_pictures.html", {
        "header_title": _("Pictures of the original"), "page_title": _("Pictures of the original"),
        "header_icon": "image", "story": story, "rows": rows, "licences": Licence.choices,
        "warning": COPYRIGHT_WARNING, "next_url": next_url})
