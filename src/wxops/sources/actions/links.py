"""Links people bring: a page, feed or WeChat article pasted into the pool, or submitted by staff.

A link is fetched by the worker, never inside the request (a slow server would hang a web
worker), and never silently: :func:`request_link` records a queued :class:`FetchAttempt`
on the account's links source (not polled, like staff submissions) whose progress page
says what came of it — new items, a duplicate, or the refusal or failure in words
("已拒绝：… 解析到内部地址 …"). The fetch is as safe as any other (public addresses only, the
total deadline).
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock

from ..candidates import ExplainedError
from ..ingestion import ingest
from ..models import FetchAttempt, PollState, Source, SourceKind
from ..reading import read_url
from . import audit_log
from .permissions import can_edit_pool, can_manage_sources, can_submit, require
from .polling import ABANDONED_AFTER, explain, fetch_policy, move_poll, problem_text

logger = logging.getLogger(__name__)


def links_source(account) -> Source:
    """The account's source of links people brought (not polled: people bring them)."""
    source, _created = Source.objects.get_or_create(
        name=f"{account.name} · 链接", defaults={"account": account, "kind": SourceKind.SUBMISSION})
    return source


def request_link(user, account, url: str, *, submitted: bool = False) -> FetchAttempt:
    """Queue the fetch of one link and return its attempt at once (its state shows the progress).

    An editor of the pool pastes links; with ``submitted`` any member of staff may (a staff
    submission that is only a link). The same link still waiting from the same person is
    returned instead of queued twice. Raises ``PermissionDenied``, or ``ValidationError``
    (on ``url``) for anything but an http(s) address.
    """
    require(can_submit(user) if submitted else can_edit_pool(user))
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 1000:
        raise ValidationError({"url": _("Give an http(s) link (at most 1,000 characters), "
                                        "e.g. https://mp.weixin.qq.com/s/….")})
    now = clock.now()
    with transaction.atomic():
        source = links_source(account)
        waiting = source.attempts.filter(url=url, requested_by=user, requested_at__gte=now - ABANDONED_AFTER,
                                         state__in=[PollState.QUEUED, PollState.RUNNING]).first()
        if waiting is not None:
            return waiting
        attempt = FetchAttempt.objects.create(source=source, state=PollState.QUEUED, requested_at=now,
                                              requested_by=user, url=url)
        audit.record(source, audit_log.POLL_REQUESTED, user=user, data={"attempt": attempt.pk, "url": url})
        transaction.on_commit(lambda: _enqueue(attempt.pk))
    return attempt


def _enqueue(attempt_id: int) -> None:
    from ..tasks import fetch_link_task

    try:
        fetch_link_task.enqueue(attempt_id)
    except Exception:  # the queue is down: say so on the attempt rather than leave it "queued" for ever
        logger.exception("could not enqueue the fetch of link attempt %s", attempt_id)
        move_poll(FetchAttempt.objects.get(pk=attempt_id), PollState.FAILED, finished_at=clock.now(),
                  error=_("Could not reach the task queue; is the worker running? Try again."))


def fetch_link(attempt: FetchAttempt):
    """Fetch a queued link and store what it holds; the outcome goes on the attempt, in words.

    Items remember who brought them (``submitted_by``), and — chosen by a person — are
    relevant whatever the classifier's confidence.
    """
    move_poll(attempt, PollState.RUNNING, started_at=clock.now())
    source = attempt.source
    try:
        documents = read_url(attempt.url, fetch_policy())
    except (ExplainedError, ValueError) as error:
        move_poll(attempt, PollState.FAILED, finished_at=clock.now(), error=explain(error))
        return None
    except Exception as error:  # a parser crash: said on the attempt, not lost in the worker's log only
        logger.exception("unexpected error fetching link %s", attempt.url)
        move_poll(attempt, PollState.FAILED, finished_at=clock.now(), error=_(
            "Unexpected error while reading this link: %(error)s") % {"error": f"{type(error).__name__}: {error}"})
        return None
    FetchAttempt.objects.filter(pk=attempt.pk).update(total=len(documents))
    summary = ingest(source.account, documents, source=source, submitted_by=attempt.requested_by)
    move_poll(attempt, PollState.FINISHED, finished_at=clock.now(), processed=len(documents),
              new_count=summary.new + summary.near_duplicate, duplicate_count=summary.duplicate,
              failed_count=summary.failed, error="\n".join(problem_text(p) for p in summary.problems[:20]),
              warnings="\n".join(problem_text(p) for p in summary.warnings[:20]))
    return summary


def may_follow(user, attempt: FetchAttempt) -> bool:
    """Who may watch an attempt's progress: whoever asked for it, and those who manage sources."""
    return can_manage_sources(user) or (attempt.requested_by_id is not None and attempt.requested_by_id == user.pk)
