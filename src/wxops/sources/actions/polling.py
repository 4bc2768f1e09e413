"""Polling sources: their status, the schedule, "poll now" with progress, one poll from start to end."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock

from ..candidates import ExplainedError, Problem
from ..fetching import FetchError, FetchPolicy
from ..import_folders import allowed_folders, refusal
from ..ingestion import Summary, ingest
from ..models import (
    POLL_TRANSITIONS,
    SOURCE_TRANSITIONS,
    FetchAttempt,
    Item,
    PollState,
    Source,
    SourceKind,
    SourceStatus,
)
from ..reading import READERS, Target, read_url
from . import audit_log
from .permissions import can_manage_sources, require

logger = logging.getLogger(__name__)

#: A source that failed this many polls in a row is paused, with the last error in words.
PAUSE_AFTER_FAILURES = 5
#: Back-off after a failure: interval × 2^(failures-1), at most this long.
MAX_BACKOFF = timedelta(hours=24)
#: A queued or running poll older than this is taken as abandoned (the worker stopped).
ABANDONED_AFTER = timedelta(minutes=30)
#: The progress of a running poll is written every this many items.
PROGRESS_EVERY = 10


class SourceError(ExplainedError):
    """A source could not be polled; the message says why in words."""


def fetch_policy() -> FetchPolicy:
    """The fetch policy of this installation: public addresses only, except ``WXOPS_FETCH_ALLOW``."""
    return FetchPolicy(allow=tuple(getattr(settings, "WXOPS_FETCH_ALLOW", ())),
                       deadline=float(getattr(settings, "WXOPS_FETCH_DEADLINE", 30)))


def explain(error: Exception) -> str:
    """An error in the reader's language: explained errors are translated, others named."""
    if isinstance(error, ExplainedError):
        return error.translated(_)
    return str(error)


def problem_text(problem: Problem) -> str:
    return f"{problem.where}: {problem.translated(_)}"


# ---------------------------------------------------------------- source status


def set_source_status(source: Source, status: str, reason: str = "", *, user=None) -> None:
    """Move a source to ``status`` if the transition table allows it — the only writer of ``Source.status``.

    With a ``user`` (a person pausing or resuming), their permission is checked and the change
    audit-logged; without, it is the system (a source paused after failing again and again).
    """
    if user is not None:
        require(can_manage_sources(user))
    old = SourceStatus(source.status)
    if status not in SOURCE_TRANSITIONS[old]:
        raise ValidationError(_("A source cannot go from %(old)s to %(new)s.") % {
            "old": old.label, "new": SourceStatus(status).label})
    fields = {"status": status, "paused_reason": reason if status == SourceStatus.PAUSED else ""}
    if status == SourceStatus.ACTIVE:
        fields.update(consecutive_failures=0, next_poll_at=clock.now())
    with transaction.atomic():
        _update(source, **fields)
        audit.record(source, audit_log.SOURCE_STATUS, user=user,
                     data={"from": old.value, "to": status, "reason": fields["paused_reason"]})


def _update(source: Source, **fields) -> None:
    """Write bookkeeping columns without ``save()``: no signals, no reference-index task, no lost edits."""
    for name, value in fields.items():
        setattr(source, name, value)
    Source.objects.filter(pk=source.pk).update(**fields)


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
    return Source.objects.filter(status=SourceStatus.ACTIVE, kind__in=list(READERS)).exclude(next_poll_at__gt=now)


# ---------------------------------------------------------------- poll now, with progress


def move_poll(attempt: FetchAttempt, state: str, **fields) -> None:
    """Move a poll to ``state`` if the table allows it — the only writer of ``FetchAttempt.state``."""
    old = PollState(attempt.state)
    if state not in POLL_TRANSITIONS[old]:
        raise ValidationError(f"a poll cannot go from {old.value} to {state}")
    fields["state"] = state
    for name, value in fields.items():
        setattr(attempt, name, value)
    FetchAttempt.objects.filter(pk=attempt.pk).update(**fields)


def request_poll(source: Source, user) -> FetchAttempt:
    """"Poll now": queue a poll for the worker and return it at once (its state shows the progress).

    A poll already queued or running for this source is returned instead of queuing a second.
    """
    require(can_manage_sources(user))
    if source.kind not in READERS:
        raise ValidationError(_("Staff submissions are not polled: staff bring them."))
    now = clock.now()
    with transaction.atomic():
        Source.objects.select_for_update().filter(pk=source.pk).first()
        pending = source.attempts.filter(state__in=[PollState.QUEUED, PollState.RUNNING]).order_by("-requested_at")
        for attempt in pending:
            if attempt.requested_at >= now - ABANDONED_AFTER:
                return attempt
            move_poll(attempt, PollState.FAILED, finished_at=now,
                      error=_("Abandoned: the worker did not finish this poll (was it stopped?)."))
        attempt = FetchAttempt.objects.create(source=source, state=PollState.QUEUED, requested_at=now,
                                              requested_by=user)
        audit.record(source, audit_log.POLL_REQUESTED, user=user, data={"attempt": attempt.pk})
        transaction.on_commit(lambda: _enqueue_poll(source.pk, attempt.pk))
    return attempt


def sweep_abandoned_polls(now=None) -> list[int]:
    """Polls queued or running for longer than :data:`ABANDONED_AFTER` — their worker was stopped or
    killed — are marked failed with the reason, and their source is made due at once, so the
    dispatcher polls it again within a minute. Returns the swept polls' ids. The worker runs it
    every 5 minutes; a poll that finishes meanwhile is left alone."""
    now = now or clock.now()
    pending = [PollState.QUEUED, PollState.RUNNING]
    swept = []
    for attempt_id in FetchAttempt.objects.filter(state__in=pending, requested_at__lt=now - ABANDONED_AFTER) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            attempt = FetchAttempt.objects.select_for_update().filter(pk=attempt_id, state__in=pending) \
                .select_related("source").first()
            if attempt is None:
                continue
            move_poll(attempt, PollState.FAILED, finished_at=now,
                      error=_("Abandoned: the worker did not finish this poll (was it stopped?)."))
            source = attempt.source
            if source.status == SourceStatus.ACTIVE and source.kind in READERS:
                Source.objects.filter(pk=source.pk, next_poll_at__gt=now).update(next_poll_at=now)
        logger.warning("poll %s of source %s abandoned by its worker; polled again", attempt_id, source.name)
        swept.append(attempt_id)
    return swept


def _enqueue_poll(source_id: int, attempt_id: int) -> None:
    from ..tasks import poll_source_task

    try:
        poll_source_task.enqueue(source_id, attempt_id)
    except Exception:  # the queue is down: say so on the poll rather than leave it "queued" for ever
        logger.exception("could not enqueue the poll of source %s", source_id)
        attempt = FetchAttempt.objects.get(pk=attempt_id)
        move_poll(attempt, PollState.FAILED, finished_at=clock.now(),
                  error=_("Could not reach the task queue; is the worker running? Try again."))


# ---------------------------------------------------------------- one poll


def _target(source: Source) -> Target:
    folders = None
    if source.kind == SourceKind.FILE:
        reason = refusal(source.location)
        if reason:
            raise SourceError("%(reason)s", reason=reason)
        folders = tuple(allowed_folders())
    known = frozenset()
    if source.kind == SourceKind.LIST_PAGE:
        known = frozenset(Item.objects.filter(source=source).values_list("url", flat=True))
    return Target(source.name, source.location, source.etag, source.last_modified, known, folders)


def poll_source(source: Source, *, attempt: FetchAttempt | None = None, progress=None) -> Summary:
    """Fetch one source now, store what is new, and record the attempt.

    ``attempt`` is a poll queued by :func:`request_poll`; without one, a new attempt is
    recorded. Never raises for a source's own failure: the error is stored on the source
    and the attempt (in words), the back-off grows, and after :data:`PAUSE_AFTER_FAILURES`
    failures in a row the source is paused.
    """
    reader = READERS.get(source.kind)
    if reader is None:  # staff submissions: people bring them, there is nothing to fetch
        return Summary()
    now = clock.now()
    if attempt is None:
        attempt = FetchAttempt.objects.create(source=source, state=PollState.RUNNING, requested_at=now,
                                              started_at=now)
    else:
        move_poll(attempt, PollState.RUNNING, started_at=now)
    try:
        reading = reader(_target(source), fetch_policy())
    except (ExplainedError, ValueError) as error:
        return _record_failure(source, attempt, explain(error))
    except Exception as error:  # a bug or a parser crash on one source must not stop the others
        logger.exception("unexpected error polling source %s", source.name)
        return _record_failure(source, attempt, _("Unexpected error while reading this source: %(error)s") % {
            "error": f"{type(error).__name__}: {error}"})
    _update_progress(attempt, total=len(reading.documents))
    counter = _Progress(attempt, progress)
    summary = ingest(source.account, reading.documents, source=source, progress=counter) if reading.documents \
        else Summary()
    finished = clock.now()
    move_poll(attempt, PollState.FINISHED, finished_at=finished, not_modified=reading.not_modified,
              processed=counter.done, new_count=summary.new + summary.near_duplicate,
              duplicate_count=summary.duplicate, failed_count=summary.failed,
              error="\n".join(problem_text(p) for p in summary.problems[:20]),
              warnings="\n".join(problem_text(p) for p in summary.warnings[:20]))
    _update(source, consecutive_failures=0, last_polled_at=finished, last_success_at=finished, last_error="",
            next_poll_at=finished + timedelta(minutes=source.interval_minutes),
            etag=reading.etag if not reading.not_modified else source.etag,
            last_modified=reading.last_modified if not reading.not_modified else source.last_modified)
    return summary


def _update_progress(attempt: FetchAttempt, **fields) -> None:
    for name, value in fields.items():
        setattr(attempt, name, value)
    FetchAttempt.objects.filter(pk=attempt.pk).update(**fields)


class _Progress:
    """Counts processed items, writes the count to the attempt now and then, and passes it on."""

    def __init__(self, attempt: FetchAttempt, forward=None):
        self.attempt, self.forward, self.done = attempt, forward, 0

    def __call__(self, count: int = 1) -> None:
        self.done += count
        if self.done % PROGRESS_EVERY == 0:
            _update_progress(self.attempt, processed=self.done)
        if self.forward is not None:
            self.forward(count)


def _record_failure(source: Source, attempt: FetchAttempt, message: str) -> Summary:
    now = clock.now()
    move_poll(attempt, PollState.FAILED, finished_at=now, error=message)
    failures = source.consecutive_failures + 1
    backoff = min(MAX_BACKOFF, timedelta(minutes=source.interval_minutes) * 2 ** (failures - 1))
    _update(source, consecutive_failures=failures, last_error=message, last_error_at=now, last_polled_at=now,
            next_poll_at=now + backoff)
    if failures >= PAUSE_AFTER_FAILURES and source.status == SourceStatus.ACTIVE:
        set_source_status(source, SourceStatus.PAUSED, _(
            "Paused after %(count)d failures in a row. Last error: %(error)s") % {"count": failures, "error": message})
    logger.warning("source %s failed (%d in a row): %s", source.name, failures, message)
    return Summary(failed=1, sources_failed=1, problems=[Problem(source.name, "%(error)s", {"error": message})])


# ---------------------------------------------------------------- one-off imports


def ingest_url(account, url: str) -> Summary:
    """Fetch one URL now (a feed or a page, decided by its content; WeChat articles too) and store it."""
    try:
        documents = read_url(url, fetch_policy())
    except (FetchError, ExplainedError, ValueError) as error:
        return Summary(failed=1, sources_failed=1, problems=[Problem(url, "%(error)s", {"error": explain(error)})])
    return ingest(account, documents)


def ingest_path(account, path: Path, *, progress=None) -> Summary:
    """Import a local file or folder (see :mod:`wxops.sources.files`): the operator's command-line tool."""
    from ..files import read_path

    if not path.exists():
        return Summary(failed=1, sources_failed=1, problems=[Problem(str(path), "No such file or folder")])
    return ingest(account, list(read_path(path)), progress=progress)
