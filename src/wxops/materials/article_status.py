"""Where an article stands, for its list: draft, in review, approved, scheduled, sent.

Materials knows the review workflow of its own articles (Wagtail's ``WorkflowState``) and
whether the approved version is live; where an article goes after that — into a push that is
reviewed, approved for its slot, sent — lives in ``editorial`` above. Editorial tells through
:func:`register` (a registry, like ``editorial.preview.register``): a provider maps article ids
to the statuses it knows, and the most advanced status wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from wxops.materials.models import Article


class ArticleStatus(models.TextChoices):
    """In the order an article moves through; a later one wins over an earlier one."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")


RANK = {status: position for position, status in enumerate(ArticleStatus)}
#: ``provider(article_ids or None for all) -> {article_id: ArticleStatus}``
Provider = Callable[[Iterable[int] | None], dict[int, str]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider of statuses (idempotent); returns it, so it can be a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def _own(article_ids: list[int] | None) -> dict[int, str]:
    articles = Article.objects.all() if article_ids is None else Article.objects.filter(pk__in=article_ids)
    found = {pk: (ArticleStatus.APPROVED if live and not unpublished else ArticleStatus.DRAFT)
             for pk, live, unpublished in articles.values_list("pk", "live", "has_unpublished_changes")}
    reviewing = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type__app_label="materials", base_content_type__model="article")
    if article_ids is not None:
        reviewing = reviewing.filter(object_id__in=[str(pk) for pk in article_ids])
    for object_id in reviewing.values_list("object_id", flat=True):
        if int(object_id) in found:
            found[int(object_id)] = ArticleStatus.IN_REVIEW
    return found


def statuses(article_ids: Iterable[int] | None = None) -> dict[int, ArticleStatus]:
    """The status of each article (of all when ``article_ids`` is None)."""
    ids = None if article_ids is None else list(article_ids)
    found = _own(ids)
    for provider in _providers:
        for pk, status in provider(ids).items():
            if pk in found and RANK[ArticleStatus(status)] > RANK[ArticleStatus(found[pk])]:
                found[pk] = status
    return {pk: ArticleStatus(status) for pk, status in found.items()}


def ids_with(status: str) -> list[int]:
    """The ids of the articles whose status is ``status`` (for the list's filter)."""
    return [pk for pk, found in statuses().items() if found == status]
