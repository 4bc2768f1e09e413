"""Wagtail hooks of the picture library, on saving an article (图文):

- the cover picture is tagged with the article's category (tags per category);
- pictures that may not be published (licence unknown, unset, or licensed without a
  licensor) are flagged to the editor at once, long before publishing.

Registered on import by ``wxops.materials.wagtail_hooks``.
"""

from __future__ import annotations

from django.contrib import messages
from wagtail import hooks

from .library import tag_with_category, unpublishable_pictures_of


def _after_save(request, instance) -> None:
    from wxops.materials.models import Article

    if not isinstance(instance, Article):
        return
    if instance.cover_id and instance.category_id:
        tag_with_category(instance.cover, instance.category)
    for _picture, reason in unpublishable_pictures_of(instance):
        messages.warning(request, reason)


@hooks.register("after_create_snippet")
def after_create_article(request, instance):
    _after_save(request, instance)


@hooks.register("after_edit_snippet")
def after_edit_article(request, instance):
    _after_save(request, instance)
