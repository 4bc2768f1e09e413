"""Background work of sources: a periodic dispatcher, one task per source poll, links people
bring, the pool's hourly re-ranking, nightly retraining.

The huey periodic task only *finds* due sources and enqueues one django-tasks task per
source; each poll runs on its own, so a slow or broken source never holds up the others.
"""

from __future__ import annotations

import logging

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.accounts.models import Account

from . import actions
from .models import FetchAttempt, PollState, Source

logger = logging.getLogger(__name__)


@task()
def poll_source_task(source_id: int, attempt_id: int | None = None) -> dict:
    """Poll one source; ``attempt_id`` is a poll an editor queued with "poll now".

    Idempotent: a duplicate run of a queued poll finds it no longer queued and does
    nothing; a duplicate scheduled run finds nothing new.
    """
    source = Source.objects.filter(pk=source_id).select_related("account").first()
    if source is None:
        return {"skipped": "source deleted"}
    attempt = None
    if attempt_id is not None:
        attempt = FetchAttempt.objects.filter(pk=attempt_id, source=source, state=PollState.QUEUED).first()
        if attempt is None:
            return {"skipped": "poll already run"}
    summary = actions.poll_source(source, attempt=attempt)
    return {"new": summary.new, "near_duplicate": summary.near_duplicate, "duplicate": summary.duplicate,
            "failed": summary.failed}


@task()
def ingest_url_task(account_id: int, url: str) -> dict:
    """Fetch one link (kept for tasks queued before links had attempts; see :func:`fetch_link_task`)."""
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        return {"skipped": "account deleted"}
    summary = actions.ingest_url(account, url)
    return {"new": summary.new, "near_duplicate": summary.near_duplicate, "duplicate": summary.duplicate,
            "failed": summary.failed}


@task()
def fetch_link_task(attempt_id: int) -> dict:
    """Fetch one link a person brought (queued by ``actions.request_link``).

    Idempotent: a duplicate delivery finds the attempt no longer queued and does nothing.
    """
    attempt = FetchAttempt.objects.filter(pk=attempt_id, state=PollState.QUEUED).select_related(
        "source__account", "requested_by").first()
    if attempt is None:
        return {"skipped": "link already fetched"}
    summary = actions.fetch_link(attempt)
    if summary is None:
        return {"failed": 1}
    return {"new": summary.new, "near_duplicate": summary.near_duplicate, "duplicate": summary.duplicate,
            "failed": summary.failed}


def dispatch_due_sources(enqueue=None) -> list[int]:
    """Enqueue a poll for every due source; returns their ids. ``enqueue`` is injectable for tests."""
    enqueue = enqueue or poll_source_task.enqueue
    dispatched = []
    for source_id in actions.due_sources().values_list("pk", flat=True):
        if not actions.claim_due_source(source_id):
            continue
        try:
            enqueue(source_id)
            dispatched.append(source_id)
        except Exception:  # one failing enqueue must not stop the others
            logger.exception("could not enqueue the poll of source %s", source_id)
    return dispatched


@db_periodic_task(crontab(minute="*"), name="sources.dispatch")
def dispatch() -> None:
    dispatch_due_sources()


@db_periodic_task(crontab(minute="7"), name="sources.rerank")
def rerank() -> None:
    """Every hour: the pool's ranks follow the clock (freshness halves every day)."""
    actions.rerank_stories()


@db_periodic_task(crontab(minute="*/5"), name="sources.sweep_abandoned")
def sweep_abandoned() -> None:
    """Polls whose worker died stay "fetching" for ever otherwise; mark them and poll their sources again."""
    actions.sweep_abandoned_polls()


@db_periodic_task(crontab(minute="17", hour="3"), name="sources.retrain")
def retrain() -> None:
    """Retrain every account's classifier with the editors' choices of the day."""
    for account in Account.objects.all():
        try:
            actions.retrain_classifier(account)
        except Exception:
            logger.exception("could not retrain the classifier of %s", account)
