"""Registers the materials admin: the article viewset and what saving an article settles."""

from django.contrib import messages
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wxops.materials import actions
from wxops.materials.models import Article
from wxops.materials.views import ArticleViewSet

register_snippet(ArticleViewSet)


def _after_save(request, instance) -> None:
    # The cover is tagged with the category; pictures that may not be published are named at once.
    if isinstance(instance, Article):
        for reason in actions.article_saved(instance):
            messages.warning(request, reason)


@hooks.register("after_create_snippet")
def after_create_article(request, instance):
    _after_save(request, instance)


@hooks.register("after_edit_snippet")
def after_edit_article(request, instance):
    _after_save(request, instance)
