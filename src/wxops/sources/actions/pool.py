"""The candidate pool: finding stories, editors' decisions on them, turning one into an article, learning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.translation import gettext as _

from wxops.core import audit, clock

from ..classifier import OTHER, Classifier, Example, seed_examples
from ..models import (
    STORY_TRANSITIONS,
    ClassifierModel,
    EditorChoice,
    Item,
    ReprintStatus,
    Story,
    StoryStatus,
)
from ..ranking import DESK_TIME, rank
from ..segmentation import tokens
from . import audit_log
from .permissions import can_edit_pool, can_turn_into_article, can_view_pool, require

#: The ``category`` filter value for stories filed as other / not relevant.
NOT_RELEVANT = "other"


@dataclass(frozen=True)
class PoolQuery:
    """What an editor asks of the pool. Empty fields do not filter.

    ``since``/``until`` filter on the *published* day (desk time); undated stories count
    by the day they were first seen. ``text`` searches titles and texts, Chinese-aware:
    the words of the query (segmented as the classifier segments) must all occur.
    """

    account: int | None = None
    category: str = ""  # a category id, NOT_RELEVANT, or ""
    source: int | None = None
    since: date | None = None
    until: date | None = None
    status: str = StoryStatus.CANDIDATE
    text: str = ""


def search_words(text: str) -> list[str]:
    """The words a pool search looks for: whitespace-separated parts, Chinese ones segmented."""
    words: list[str] = []
    for part in text.split():
        found = tokens(part) if any("\u4e00" <= char <= "\u9fff" for char in part) else [part.lower()]
        words += found or [part]
    return list(dict.fromkeys(words))


def stories_for(user, query: PoolQuery):
    """The stories ``user`` may see that match ``query``, best first."""
    require(can_view_pool(user))
    stories = Story.objects.select_related("category", "account", "article").filter(status=query.status)
    if query.account:
        stories = stories.filter(account_id=query.account)
    if query.category == NOT_RELEVANT:
        stories = stories.filter(category__isnull=True)
    elif query.category:
        stories = stories.filter(category_id=query.category)
    if query.source:
        stories = stories.filter(items__source_id=query.source)
    stories = stories.annotate(dated_at=Coalesce(F("published_at"), F("first_seen_at")))
    if query.since:
        stories = stories.filter(dated_at__gte=datetime.combine(query.since, time.min, tzinfo=DESK_TIME))
    if query.until:
        stories = stories.filter(dated_at__lt=datetime.combine(query.until + timedelta(days=1), time.min,
                                                               tzinfo=DESK_TIME))
    for word in search_words(query.text):
        stories = stories.filter(Q(title__icontains=word) | Q(items__title__icontains=word)
                                 | Q(items__text__icontains=word))
    return stories.distinct().order_by("-rank", "-first_seen_at")


def rerank_stories(now=None) -> int:
    """Recompute the rank of every candidate story for ``now``; returns how many changed.

    A rank is freshness *at the time it is computed*: stored once at ingestion, a story
    fetched fresh last week kept its 0.9 and sat above this morning's 0.8. The worker
    runs this every hour, so the pool's order is the order of now. Stories whose rank has
    decayed to 0 (six decimals) are left alone: they can only stay there.
    """
    now = now or clock.now()
    changed = []
    candidates = Story.objects.filter(status=StoryStatus.CANDIDATE, rank__gt=0).only(
        "pk", "published_at", "first_seen_at", "confidence", "source_count", "rank")
    for story in candidates.iterator(chunk_size=500):
        fresh = rank(story.published_at, now, story.confidence, story.source_count, first_seen=story.first_seen_at)
        if fresh != story.rank:
            story.rank = fresh
            changed.append(story)
    Story.objects.bulk_update(changed, ["rank"], batch_size=500)
    return len(changed)


# ---------------------------------------------------------------- story status


def set_story_status(story: Story, status: str, *, user=None) -> None:
    """Move a story to ``status`` if the table allows it — the only writer of ``Story.status``.

    With a ``user``, their permission is checked and the change audit-logged.
    """
    if user is not None:
        require(can_edit_pool(user))
    old = StoryStatus(story.status)
    if status not in STORY_TRANSITIONS[old]:
        if old == StoryStatus.USED:
            raise ValidationError(_("This story was already used or dismissed."))
        raise ValidationError(_("A story cannot go from %(old)s to %(new)s.") % {
            "old": old.label, "new": StoryStatus(status).label})
    with transaction.atomic():
        story.status = status
        Story.objects.filter(pk=story.pk).update(status=status)
        audit.record(story, audit_log.STORY_STATUS, user=user, data={"from": old.value, "to": status})


def dismiss_story(story: Story, user, *, not_relevant: bool = False) -> None:
    """Dismiss a story; ``not_relevant`` also teaches the classifier that stories like it are "other"."""
    with transaction.atomic():
        set_story_status(story, StoryStatus.DISMISSED, user=user)
        if not_relevant:
            item = story.items.order_by("-rank", "pk").first()
            if item is not None:
                EditorChoice.objects.create(item=item, category=None, user=user, chosen_at=clock.now())
                Story.objects.filter(pk=story.pk).update(category=None)


def restore_story(story: Story, user) -> None:
    set_story_status(story, StoryStatus.CANDIDATE, user=user)


# ---------------------------------------------------------------- editors' choices


def choose_category(item: Item, category, user) -> EditorChoice:
    """An editor puts ``item`` (and its story) in ``category``; the classifier learns from it."""
    require(can_edit_pool(user))
    if category.account_id != item.account_id:
        raise ValidationError(_("That category belongs to another account."))
    with transaction.atomic():
        story = Story.objects.select_for_update().get(pk=item.story_id)
        choice = EditorChoice.objects.create(item=item, category=category, user=user, chosen_at=clock.now())
        Item.objects.filter(pk=item.pk).update(category=category, confidence=1.0)
        Story.objects.filter(pk=story.pk).update(category=category, confidence=1.0)
        audit.record(story, audit_log.CHOOSE_CATEGORY, user=user, data={
            "item": item.pk, "from": story.category.name if story.category else None, "to": category.name})
    return choice


def set_reprint_status(item: Item, status: str, user) -> None:
    """Record what may be done with an item's text (原创 / 已获转载授权 / 来源引用)."""
    require(can_edit_pool(user))
    old = item.reprint
    status = ReprintStatus(status)
    with transaction.atomic():
        Item.objects.filter(pk=item.pk).update(reprint=status)
        item.reprint = status
        audit.record(item.story, audit_log.REPRINT_STATUS, user=user,
                     data={"item": item.pk, "from": old, "to": status.value})


def reprint_warning(item: Item) -> str | None:
    """What the editor must know before republishing ``item``'s text, or None when it is ours
    or licensed: a quoted text (来源引用) may be quoted with its source, not reprinted whole."""
    if item.reprint in (ReprintStatus.ORIGINAL, ReprintStatus.LICENSED):
        return None
    return _("“%(source)s” is only quoted (来源引用): quote from it with the source named, or get the "
             "publisher's permission and mark it 已获转载授权 before republishing the whole text.") % {
        "source": item.source_name or item.url or item.title}


def attribution_html(item: Item) -> str:
    """The desk's own attribution line at the end of an article made from ``item``.

    Only the source's name: the link to the original goes in the article's 原文链接
    (WeChat's 阅读原文), never into the body — an external link in the body would break
    the content rules (附件一 2.2) the desk checks its own articles against.
    """
    # Chinese whatever the editor's interface language: this line is read by followers.
    return f"<p>来源：{escape(item.source_name or '—')}</p>"


def turn_into_article(story: Story, user, *, item: Item | None = None):
    """Create an Article draft from a story's best copy, with source and 原文链接 filled in; mark the story used."""
    from wxops.materials import actions as materials

    require(can_turn_into_article(user))
    if story.status != StoryStatus.CANDIDATE:
        raise ValidationError(_("This story was already used or dismissed."))
    item = item or story.items.order_by("-rank", "pk").first()
    if item is None:
        raise ValidationError(_("This story has no items."))
    sources = sorted({name for name in story.items.values_list("source_name", flat=True) if name})
    paragraphs = [p for p in item.text.split("\n") if p.strip()]
    body = "".join(f"<p>{escape(p.strip())}</p>" for p in paragraphs) + attribution_html(item)
    with transaction.atomic():
        article = materials.create_draft(
            story.account, user, title=item.title[:64], author=item.author[:16],
            digest=" ".join(item.text.split())[:120], body=body, category=story.category or item.category,
            source_name=(item.source_name or ", ".join(sources))[:200], source_url=item.url[:1000])
        Story.objects.filter(pk=story.pk).update(article=article)
        story.article = article
        set_story_status(story, StoryStatus.USED, user=user)
        if article.category_id:
            EditorChoice.objects.create(item=item, category_id=article.category_id, user=user,
                                        chosen_at=clock.now())
        data = {"story": story.pk, "item": item.pk, "source": item.source_name, "url": item.url,
                "reprint": item.reprint}
        audit.record(article, audit_log.TURN_INTO_ARTICLE, user=user, data=data)
        audit.record(story, audit_log.TURN_INTO_ARTICLE, user=user, data={**data, "article": article.pk})
    return article


# ---------------------------------------------------------------- classifier


def retrain_classifier(account) -> ClassifierModel:
    """Train on the seed examples plus every editor's choice of this account (dismissals as
    "other / not relevant"), and store it."""
    names = set(account.categories.filter(active=True).values_list("name", flat=True))
    examples = [e for e in seed_examples() if e.category in names] if names else seed_examples()
    choices = EditorChoice.objects.filter(item__account=account).select_related("item", "category")
    latest: dict[int, tuple[str, str]] = {}
    for choice in choices.order_by("chosen_at"):
        label = choice.category.name if choice.category_id else OTHER
        latest[choice.item_id] = (f"{choice.item.title}\n{choice.item.text[:3000]}", label)
    examples += [Example(text, category) for text, category in latest.values()]
    classifier = Classifier.train(examples)
    return ClassifierModel.objects.create(account=account, trained_at=clock.now(), example_count=len(examples),
                                          choice_count=len(latest), data=classifier.dumps())
