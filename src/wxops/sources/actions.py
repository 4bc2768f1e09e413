"""Business rules of sources: polling, submissions, editors' choices, turning a story into an article.

Views, tasks and commands parse input and call these functions; nothing else changes a
source's status or a story's status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from wxops.core import clock

from .classifier import Classifier, Example, seed_examples
from .documents import Document, Problem
from .extraction import NotAnArticle, absolute_links, extract_page
from .feeds import FeedError, parse_feed
from .fetching import FetchError, fetch
from .files import read_path
from .ingestion import Summary, classifier_for, ingest, load_pool
from .models import (
    SOURCE_TRANSITIONS,
    STORY_TRANSITIONS,
    ClassifierModel,
    EditorChoice,
    FetchAttempt,
    Item,
    Source,
    SourceKind,
    SourceStatus,
    Story,
    StoryStatus,
)

logger = logging.getLogger(__name__)

#: A source that failed this many polls in a row is paused, with the last error in words.
PAUSE_AFTER_FAILURES = 5
#: Back-off after a failure: interval × 2^(failures-1), at most this long.
MAX_BACKOFF = timedelta(hours=24)
#: A list page yields at most this many article links per poll.
LIST_PAGE_LIMIT = 30


class SourceError(Exception):
    """A source could not be polled; the message says why in words."""


# ---------------------------------------------------------------- source status


def set_source_status(source: Source, status: str, reason: str = "") -> None:
    """Move a source to ``status`` if the transition table allows it."""
    if status not in SOURCE_TRANSITIONS[SourceStatus(source.status)]:
        raise ValidationError(_("A source cannot go from %(old)s to %(new)s.") % {"old": source.status, "new": status})
    source.status = status
    source.paused_reason = reason if status == SourceStatus.PAUSED else ""
    if status == SourceStatus.ACTIVE:
        source.consecutive_failures = 0
        source.next_poll_at = clock.now()
    source.save(update_fields=["status", "paused_reason", "consecutive_failures", "next_poll_at"])


def claim_due_source(source_id: int, now=None) -> bool:
    """Move a due source's next poll time ahead so the dispatcher does not enqueue it twice.

    The poll itself sets the real next time when it finishes. Returns False when another
    dispatcher claimed it first or it is no longer due.
    """
    now = now or clock.now()
    source = Source.objects.filter(pk=source_id).values("interval_minutes", "next_poll_at").first()
    if source is None:
        return False
    lease = timedelta(minutes=max(15, source["interval_minutes"]))
    return Source.objects.filter(pk=source_id, next_poll_at=source["next_poll_at"]).exclude(
        next_poll_at__gt=now).update(next_poll_at=now + lease) == 1


def due_sources(now=None):
    """Active, pollable sources whose next poll time has come."""
    now = now or clock.now()
    pollable = [SourceKind.FEED, SourceKind.PAGE, SourceKind.LIST_PAGE, SourceKind.FILE]
    return Source.objects.filter(status=SourceStatus.ACTIVE, kind__in=pollable).exclude(next_poll_at__gt=now)


# ---------------------------------------------------------------- polling


def poll_source(source: Source, *, progress=None, client=None) -> Summary:
    """Fetch one source now, store what is new, and record the attempt.

    Never raises for a source's own failure: the error is stored on the source (and in
    its history), the back-off grows, and after :data:`PAUSE_AFTER_FAILURES` failures in
    a row the source is paused.
    """
    started = clock.now()
    attempt = FetchAttempt.objects.create(source=source, started_at=started)
    try:
        documents, not_modified = _documents_of(source, client)
    except (FetchError, FeedError, NotAnArticle, SourceError) as error:
        _record_failure(source, attempt, str(error))
        return Summary(failed=1, problems=[Problem(source.name, str(error))])
    except Exception as error:  # a bug or a parser crash on one source must not stop the others
        logger.exception("unexpected error polling source %s", source.name)
        message = _("Unexpected error while reading this source: %(error)s") % {
            "error": f"{type(error).__name__}: {error}"}
        _record_failure(source, attempt, message)
        return Summary(failed=1, problems=[Problem(source.name, message)])
    summary = ingest(source.account, documents, source=source, progress=progress) if documents else Summary()
    now = clock.now()
    attempt.finished_at = now
    attempt.ok = True
    attempt.not_modified = not_modified
    attempt.new_count = summary.new + summary.near_duplicate
    attempt.duplicate_count = summary.duplicate
    attempt.failed_count = summary.failed
    attempt.error = "\n".join(f"{p.where}: {p.message}" for p in summary.problems[:20])
    attempt.save()
    source.consecutive_failures = 0
    source.last_polled_at = now
    source.next_poll_at = now + timedelta(minutes=source.interval_minutes)
    source.save(update_fields=["consecutive_failures", "last_polled_at", "next_poll_at", "etag", "last_modified"])
    return summary


def _record_failure(source: Source, attempt: FetchAttempt, message: str) -> None:
    now = clock.now()
    attempt.finished_at = now
    attempt.error = message
    attempt.save(update_fields=["finished_at", "error"])
    source.consecutive_failures += 1
    source.last_error = message
    source.last_error_at = now
    source.last_polled_at = now
    backoff = min(MAX_BACKOFF, timedelta(minutes=source.interval_minutes) * 2 ** (source.consecutive_failures - 1))
    source.next_poll_at = now + backoff
    fields = ["consecutive_failures", "last_error", "last_error_at", "last_polled_at", "next_poll_at"]
    if source.consecutive_failures >= PAUSE_AFTER_FAILURES and source.status == SourceStatus.ACTIVE:
        source.status = SourceStatus.PAUSED
        source.paused_reason = _("Paused after %(count)d failures in a row. Last error: %(error)s") % {
            "count": source.consecutive_failures, "error": message}
        fields += ["status", "paused_reason"]
    source.save(update_fields=fields)
    logger.warning("source %s failed (%d in a row): %s", source.name, source.consecutive_failures, message)


def _documents_of(source: Source, client) -> tuple[list, bool]:
    if source.kind == SourceKind.FILE:
        return list(read_path(Path(source.location).expanduser())), False
    if source.kind == SourceKind.SUBMISSION:
        return [], False
    result = fetch(source.location, etag=source.etag or None, last_modified=source.last_modified or None,
                   client=client)
    if result.not_modified:
        return [], True
    source.etag = result.etag or ""
    source.last_modified = result.last_modified or ""
    if source.kind == SourceKind.FEED:
        _, documents = parse_feed(result.content, url=result.url, content_type=result.content_type)
        return [_with_source(d, source) for d in documents], False
    if source.kind == SourceKind.PAGE:
        return [_with_source(extract_page(result.content, url=result.url, content_type=result.content_type),
                             source)], False
    return _list_page(source, result, client), False


def _list_page(source: Source, result, client) -> list:
    from .charsets import decode

    html = decode(result.content, result.content_type).text
    host = result.url.split("/")[2]
    links = [link for link in absolute_links(html, result.url) if link.split("/")[2:3] == [host]]
    known = set(Item.objects.filter(source=source).values_list("url", flat=True))
    documents: list = []
    for link in [link for link in links if link not in known][:LIST_PAGE_LIMIT]:
        try:
            page = fetch(link, client=client)
            documents.append(_with_source(extract_page(page.content, url=page.url, content_type=page.content_type),
                                          source))
        except NotAnArticle:
            continue  # navigation links on a list page are expected, not failures
        except FetchError as error:
            documents.append(Problem(link, str(error)))
    return documents


def _with_source(document: Document, source: Source) -> Document:
    from dataclasses import replace

    return replace(document, source_name=source.name)


def ingest_url(account, url: str, *, client=None) -> Summary:
    """Fetch one URL now (a feed or a page, decided by its content) and store it."""
    try:
        result = fetch(url, client=client)
        try:
            _, documents = parse_feed(result.content, url=result.url, content_type=result.content_type)
        except FeedError:
            documents = [extract_page(result.content, url=result.url, content_type=result.content_type)]
    except (FetchError, NotAnArticle) as error:
        return Summary(failed=1, problems=[Problem(url, str(error))])
    return ingest(account, documents)


def ingest_path(account, path: Path, *, progress=None) -> Summary:
    """Import a local file or folder (see :mod:`wxops.sources.files`)."""
    return ingest(account, list(read_path(path)), progress=progress)


# ---------------------------------------------------------------- submissions


@dataclass(frozen=True)
class SubmissionResult:
    """A submission's outcome: the item (None when blocked) and the content-rule findings."""

    item: Item | None
    findings: list[dict]
    blocked: bool
    checked: bool


def check_content_rules(title: str, text: str, account=None) -> tuple[list[dict], bool, bool]:
    """The single call site of the content rules (附件一) for submissions.

    Returns ``(findings as dicts, blocked, checked)`` from ``wxops.compliance.actions.check_text``
    (the account's own lexicons included). A verdict of "block" keeps the submission out of
    the pool; "review" findings are stored with the item and shown to the submitter.
    """
    from wxops.compliance import actions as compliance_actions
    from wxops.compliance.engine import TextTooLong

    try:
        report = compliance_actions.check_text(f"{title}\n{text}", account)
    except TextTooLong as error:
        raise ValidationError({"text": str(error)}) from error
    findings = [finding.as_dict() for finding in report.findings]
    return findings, report.verdict.value == "block", True


def submit(user, account, *, title: str, text: str, url: str = "", author: str = "") -> SubmissionResult:
    """A staff member's submission: checked against the content rules, then pooled unless blocked."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Log in to submit material."))
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("A title is required.")
    if len(text) < 20:
        errors["text"] = _("The text needs at least 20 characters.")
    if errors:
        raise ValidationError(errors)
    findings, blocked, checked = check_content_rules(title, text, account)
    if blocked:
        return SubmissionResult(None, findings, True, checked)
    source, _created = Source.objects.get_or_create(
        name=f"{account.name} · 员工投稿", defaults={"account": account, "kind": SourceKind.SUBMISSION})
    author = author or user.get_full_name() or user.get_username()
    document = Document(title=title, text=text, url=url, author=author, source_name="员工投稿",
                        html="".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip()),
                        published=clock.now())
    summary = ingest(account, [document], source=source, submitted_by=user, findings=findings)
    if summary.failed or not summary.items:
        message = summary.problems[0].message if summary.problems else _("This text is already in the pool.")
        raise ValidationError({"text": message})
    return SubmissionResult(Item.objects.get(pk=summary.items[0]), findings, False, checked)


# ---------------------------------------------------------------- editors' choices


def set_story_status(story: Story, status: str) -> None:
    if status not in STORY_TRANSITIONS[StoryStatus(story.status)]:
        raise ValidationError(_("A story cannot go from %(old)s to %(new)s.") % {"old": story.status, "new": status})
    story.status = status
    story.save(update_fields=["status", "article"])


def choose_category(item: Item, category, user) -> EditorChoice:
    """An editor puts ``item`` (and its story) in ``category``; the classifier learns from it."""
    if category.account_id != item.account_id:
        raise ValidationError(_("That category belongs to another account."))
    with transaction.atomic():
        choice = EditorChoice.objects.create(item=item, category=category, user=user, chosen_at=clock.now())
        Item.objects.filter(pk=item.pk).update(category=category, confidence=1.0)
        Story.objects.filter(pk=item.story_id).update(category=category, confidence=1.0)
    return choice


def turn_into_article(story: Story, user, *, item: Item | None = None):
    """Create an Article draft from a story's best copy, with source and 原文链接 filled in."""
    from wxops.materials.models import Article

    if story.status != StoryStatus.CANDIDATE:
        raise ValidationError(_("This story was already used or dismissed."))
    item = item or story.items.order_by("-rank", "pk").first()
    if item is None:
        raise ValidationError(_("This story has no items."))
    sources = sorted({name for name in story.items.values_list("source_name", flat=True) if name})
    paragraphs = [p for p in item.text.split("\n") if p.strip()]
    # The attribution is part of the article its Chinese readers see, whatever the editor's
    # interface language.
    attribution = f"来源：{escape(item.source_name or '—')}"
    if item.url:
        attribution += f' · <a href="{escape(item.url)}">原文链接</a>'
    body = "".join(f"<p>{escape(p.strip())}</p>" for p in paragraphs) + f"<p>{attribution}</p>"
    with transaction.atomic():
        article = Article(
            account=story.account, title=item.title[:64], author=item.author[:16],
            digest=" ".join(item.text.split())[:120], body=body, category=story.category or item.category,
            source_name=(item.source_name or ", ".join(sources))[:200], source_url=item.url[:1000], live=False,
        )
        article.save()
        article.save_revision(user=user)
        story.article = article
        set_story_status(story, StoryStatus.USED)
        if article.category_id:
            EditorChoice.objects.create(item=item, category_id=article.category_id, user=user,
                                        chosen_at=clock.now())
    return article


# ---------------------------------------------------------------- classifier


def retrain_classifier(account) -> ClassifierModel:
    """Train on the seed examples plus every editor's choice of this account, and store it."""
    names = set(account.categories.filter(active=True).values_list("name", flat=True))
    examples = [e for e in seed_examples() if e.category in names] if names else seed_examples()
    choices = EditorChoice.objects.filter(item__account=account).select_related("item", "category")
    latest: dict[int, tuple[str, str]] = {}
    for choice in choices.order_by("chosen_at"):
        latest[choice.item_id] = (f"{choice.item.title}\n{choice.item.text[:3000]}", choice.category.name)
    examples += [Example(text, category) for text, category in latest.values()]
    classifier = Classifier.train(examples)
    return ClassifierModel.objects.create(account=account, trained_at=clock.now(), example_count=len(examples),
                                          choice_count=len(latest), data=classifier.dumps())


__all__ = [
    "PAUSE_AFTER_FAILURES", "SourceError", "SubmissionResult", "check_content_rules", "choose_category",
    "classifier_for", "due_sources", "ingest", "ingest_path", "ingest_url", "load_pool", "poll_source",
    "retrain_classifier", "set_source_status", "set_story_status", "submit", "turn_into_article",
]
