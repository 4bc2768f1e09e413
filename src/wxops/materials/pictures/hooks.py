"""Wagtail hooks of the picture library, on saving an article (图文):

- the cover picture is tagged with the article's category (tags per category);
- pictures of unknown licence are flagged to the editor at once, long before publishing.

Registered on import; ``wxops.materials.wagtail_hooks`` should import this module (until it
does, ``wxops.sources.wagtail_hooks`` imports it).
"""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks

from .library import tag_with_category, unknown_licence_pictures


def _after_save(request, instance) -> None:
    from wxops.materials.models import Article

    if not isinstance(instance, Article):
        return
    if instance.cover_id and instance.category_id:
        tag_with_category(instance.cover, instance.category)
    for picture in unknown_licence_pictures(instance):
        messages.warning(request, _(
            "Picture “%(title)s” has an unknown licence: record where it came from and its licence "
            "before this article is published.") % {"title": picture.title})


@hooks.register("after_create_snippet")
def after_create_article(request, instance):
    _after_save(request, instance)


@hooks.register("after_edit_snippet")
def after_edit_article(request, instance):
    _after_save(request, instance)
