from datetime import UTC, datetime, timedelta

import pytest

from wxops.core import clock
from wxops.core.models import Heartbeat
from wxops.core.tasks import heartbeat


@pytest.mark.django_db
def test_periodic_heartbeat_task_records_each_beat():
    start = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    with clock.frozen(start):
        heartbeat()  # huey runs tasks inline in tests (WXOPS_TASKS_IMMEDIATE)
        clock.advance(timedelta(minutes=1))
        heartbeat()
    beat = Heartbeat.objects.get(name="worker")
    assert (beat.count, beat.beat_at) == (2, start + timedelta(minutes=1))


def test_heartbeat_is_scheduled_every_minute():
    from huey.contrib.djhuey import HUEY

    (task_class,) = [task for task in HUEY._registry._periodic_tasks if task.__name__ == "core.heartbeat"]
    for minute in (0, 1, 59):
        assert task_class.validate_datetime(None, datetime(2026, 11, 26, 3, minute)) is True
