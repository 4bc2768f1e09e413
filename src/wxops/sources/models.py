"""Sources (二 信息来源) and the candidate pool: sources, fetch history, stories, items, choices."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wxops.accounts import times
from wxops.accounts.forms import AccountPresetForm


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS/Atom feed")
    PAGE = "page", _("Web page")
    LIST_PAGE = "list_page", _("List page")
    SUBMISSION = "submission", _("Staff submissions")
    FILE = "file", _("Local file or folder")


class SourceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")


#: Allowed status changes; :func:`wxops.sources.actions.set_source_status` is the only writer.
SOURCE_TRANSITIONS = {
    SourceStatus.ACTIVE: {SourceStatus.PAUSED},
    SourceStatus.PAUSED: {SourceStatus.ACTIVE},
}


class Source(models.Model):
    """Where candidates come from, polled on its own interval.

    Polls write their bookkeeping columns with ``update()`` (never ``save()``), and the
    model stays out of Wagtail's reference index: a source references only its account,
    and every save would queue an index task (2,000 polls queued 2,000 tasks).
    """

    base_form_class = AccountPresetForm  # the admin's form: the account preset when there is one

    wagtail_reference_index_ignore = True

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="sources",
                                verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.FEED)
    location = models.CharField(_("URL or path"), max_length=1000, blank=True,
                                help_text=_("Feed or page URL; a file or folder path for local imports."))
    interval_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=60)
    status = models.CharField(_("status"), max_length=8, choices=SourceStatus.choices,
                              default=SourceStatus.ACTIVE, editable=False)
    paused_reason = models.TextField(_("why paused"), blank=True, editable=False)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, editable=False, db_index=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last successful poll"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def history(self) -> str:
        """The last 20 polls, newest first (shown on the source's inspect page)."""
        return "\n".join(str(attempt) for attempt in self.attempts.all()[:20])

    def latest_poll_outcome(self) -> str:
        """The newest poll in words: queued, fetching with progress, or its outcome."""
        latest = self.attempts.first()
        return latest.outcome() if latest else _("Not polled yet.")

    def get_history_display(self):
        rows = [(times.shown(attempt.requested_at, self), attempt.outcome())
                for attempt in self.attempts.all()[:20]]
        if not rows:
            return _("Not polled yet.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {}</li>", rows))

    def clean(self) -> None:
        location = self.location.strip()
        if self.kind in (SourceKind.FEED, SourceKind.PAGE, SourceKind.LIST_PAGE) and not location.lower().startswith(
                ("http://", "https://")):
            raise ValidationError({"location": _("A feed, page or list page needs an http(s) address, "
                                                 "e.g. https://example.com/rss.xml.")})
        if self.kind == SourceKind.FILE:
            if not location:
                raise ValidationError({"location": _("Give the path of a file or folder on the server, "
                                                     "e.g. /srv/imports/.")})
            from wxops.sources.import_folders import refusal

            reason = refusal(location)
            if reason:
                raise ValidationError({"location": reason})
        if self.interval_minutes < 5:
            raise ValidationError({"interval_minutes": _("Poll at most every 5 minutes.")})


class PollState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Fetching")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


#: Allowed state changes of a poll; :func:`wxops.sources.actions.move_poll` is the only writer.
POLL_TRANSITIONS = {
    PollState.QUEUED: {PollState.RUNNING, PollState.FAILED},
    PollState.RUNNING: {PollState.FINISHED, PollState.FAILED},
    PollState.FINISHED: set(),
    PollState.FAILED: set(),
}


class FetchAttempt(models.Model):
    """One poll of a source: queued, running (with progress), then its outcome in numbers or its error in words."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="attempts")
    state = models.CharField(max_length=8, choices=PollState.choices, default=PollState.RUNNING, editable=False)
    requested_at = models.DateTimeField(db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    not_modified = models.BooleanField(default=False)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    new_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    warnings = models.TextField(blank=True, help_text="Partial reads and skipped entries, in words.")
    url = models.CharField(max_length=1000, blank=True, help_text="The link fetched, for a link someone brought.")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("fetch attempt")

    def __str__(self) -> str:
        return f"{self.source_id} {self.requested_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def ok(self) -> bool:
        return self.state == PollState.FINISHED

    @property
    def in_progress(self) -> bool:
        return self.state in (PollState.QUEUED, PollState.RUNNING)

    def outcome(self) -> str:
        """The attempt in words, as the editor reads it in the history and the progress page."""
        if self.state == PollState.QUEUED:
            return _("queued, waiting for the worker")
        if self.state == PollState.RUNNING:
            if self.total:
                return _("fetching: %(done)d of %(total)d items processed") % {"done": self.processed,
                                                                              "total": self.total}
            return _("fetching")
        if self.state == PollState.FAILED:
            return self.error
        if self.not_modified:
            return _("not modified")
        line = _("%(new)d new, %(duplicate)d duplicate, %(failed)d failed") % {
            "new": self.new_count, "duplicate": self.duplicate_count, "failed": self.failed_count}
        return f"{line}; {self.warnings}" if self.warnings else line


class StoryStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    USED = "used", _("Used")
    DISMISSED = "dismissed", _("Dismissed")


STORY_TRANSITIONS = {
    StoryStatus.CANDIDATE: {StoryStatus.USED, StoryStatus.DISMISSED},
    StoryStatus.DISMISSED: {StoryStatus.CANDIDATE},
    StoryStatus.USED: set(),
}


class Story(models.Model):
    """One story, whichever portals carried it: its items are the copies.

    ``category`` is None for "other / not relevant": the classifier was not confident
    enough (below ``WXOPS_SOURCES_RELEVANCE_THRESHOLD``) or editors dismissed its like.
    ``published_at`` is None when no copy says when it was published.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("title"), max_length=300)
    category = models.ForeignKey("accounts.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="stories", verbose_name=_("category"))
    confidence = models.FloatField(_("confidence"), default=0.0)
    rank = models.FloatField(_("rank"), default=0.0, db_index=True)
    source_count = models.PositiveIntegerField(_("sources"), default=1)
    first_seen_at = models.DateTimeField(_("first seen"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StoryStatus.choices,
                              default=StoryStatus.CANDIDATE, editable=False)
    article = models.ForeignKey("materials.Article", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-rank"]

    def __str__(self) -> str:
        return self.title


class ReprintStatus(models.TextChoices):
    """May the desk republish this text? Shown beside the attribution."""

    ORIGINAL = "original", _("Original (ours)")
    LICENSED = "licensed", _("Reprint licensed")
    QUOTED = "quoted", _("Quoted with source")


class Item(models.Model):
    """One copy of a story as one source published it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="items")
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    source_name = models.CharField(_("source name"), max_length=200, blank=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(blank=True)
    url = models.CharField(_("original link"), max_length=1000, blank=True)
    canonical_url = models.CharField(max_length=1000, blank=True, db_index=True)
    guid = models.CharField(max_length=500, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), db_index=True)
    signature = models.BinaryField(editable=False)
    similarity = models.FloatField(null=True, blank=True, help_text="Similarity to the story's first copy.")
    category = models.ForeignKey("accounts.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="items", verbose_name=_("category"))
    confidence = models.FloatField(_("confidence"), default=0.0)
    scores = models.JSONField(default=dict, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    rank = models.FloatField(default=0.0)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    findings = models.JSONField(default=list, blank=True, help_text="Content-rule findings on submission.")
    reprint = models.CharField(_("reprint status"), max_length=10, choices=ReprintStatus.choices,
                               default=ReprintStatus.QUOTED)
    pictures = models.JSONField(default=list, blank=True, help_text="Addresses of the pictures the original shows.")

    class Meta:
        verbose_name = _("item")
        ordering = ["-fetched_at"]
        # Exact-duplicate lookups filter on the account and the URL or GUID together; without
        # these, SQLite's planner picks the account index and scans every item of the account.
        indexes = [
            models.Index(fields=["account", "canonical_url"], name="item_account_url"),
            models.Index(fields=["account", "guid"], name="item_account_guid"),
            models.Index(fields=["account", "fetched_at"], name="item_account_fetched"),
        ]

    def __str__(self) -> str:
        return self.title


class EditorChoice(models.Model):
    """An editor's decision about an item's category: training data for the classifier.

    ``category`` None records a dismissal as not relevant: the classifier learns an
    "other" class from those.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="choices")
    category = models.ForeignKey("accounts.Category", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["-chosen_at"]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.category_id or 'other'}"


class ClassifierModel(models.Model):
    """A trained classifier of an account, stored as bytes (the newest one is used)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField()
    example_count = models.PositiveIntegerField()
    choice_count = models.PositiveIntegerField(default=0)
    data = models.BinaryField()

    class Meta:
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"classifier of {self.account_id} at {self.trained_at:%Y-%m-%d %H:%M}"
