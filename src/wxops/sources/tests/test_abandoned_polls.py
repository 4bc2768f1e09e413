"""A poll whose worker died is not left "fetching" for ever: the sweep marks it failed with the
reason and the dispatcher polls its source again; polls still within their time are left alone."""

from datetime import UTC, datetime, timedelta

from wxops.core import clock
from wxops.sources import actions
from wxops.sources.models import FetchAttempt, PollState, Source, SourceKind
from wxops.sources.tasks import dispatch_due_sources

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_stale_polls_are_marked_abandoned_and_their_source_polled_again(account):
    killed = Source.objects.create(account=account, name="被中断的源", kind=SourceKind.FEED,
                                   location="https://example.com/a.xml", next_poll_at=NOW + timedelta(minutes=20))
    busy = Source.objects.create(account=account, name="正在抓取的源", kind=SourceKind.FEED,
                                 location="https://example.com/b.xml", next_poll_at=NOW + timedelta(minutes=20))
    long_ago = NOW - actions.ABANDONED_AFTER - timedelta(minutes=1)
    running = FetchAttempt.objects.create(source=killed, state=PollState.RUNNING, requested_at=long_ago,
                                          started_at=long_ago)
    queued = FetchAttempt.objects.create(source=killed, state=PollState.QUEUED, requested_at=long_ago)
    recent = FetchAttempt.objects.create(source=busy, state=PollState.RUNNING, requested_at=NOW - timedelta(minutes=5),
                                         started_at=NOW - timedelta(minutes=5))
    done = FetchAttempt.objects.create(source=busy, state=PollState.FINISHED, requested_at=long_ago,
                                       finished_at=long_ago)
    with clock.frozen(NOW):
        assert sorted(actions.sweep_abandoned_polls()) == sorted([running.pk, queued.pk])
        assert actions.sweep_abandoned_polls() == []  # a second sweep finds nothing more
        enqueued = []
        assert dispatch_due_sources(enqueue=enqueued.append) == [killed.pk]  # polled again, at once
    for attempt in (running, queued):
        attempt.refresh_from_db()
        assert (attempt.state, attempt.finished_at) == (PollState.FAILED, NOW)
        assert attempt.error == "已放弃：后台任务没有完成这次抓取（后台进程是否已停止？）。"
    recent.refresh_from_db()
    done.refresh_from_db()
    assert (recent.state, done.state) == (PollState.RUNNING, PollState.FINISHED)
    busy.refresh_from_db()
    assert busy.next_poll_at == NOW + timedelta(minutes=20)  # its source is not hurried


def test_the_sweep_runs_every_five_minutes():
    from huey.contrib.djhuey import HUEY

    (task_class,) = [t for t in HUEY._registry._periodic_tasks if t.__name__ == "sources.sweep_abandoned"]
    assert [m for m in range(60) if task_class.validate_datetime(None, datetime(2026, 11, 27, 3, m))] == \
        list(range(0, 60, 5))
