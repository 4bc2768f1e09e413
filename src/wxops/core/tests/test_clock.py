from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wxops.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_now_is_aware_utc():
    assert clock.now().tzinfo is UTC


def test_frozen_clock_stands_still_and_moves_only_when_told():
    moment = datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI)
    with clock.frozen(moment):
        assert clock.now() == moment
        assert clock.local_now("Asia/Shanghai").strftime("%a %H:%M") == "Mon 11:30"
        clock.advance(timedelta(days=2))
        assert clock.local_now(SHANGHAI).strftime("%a %H:%M") == "Wed 11:30"
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_offset_clock_runs_shifted():
    clock.set_offset(timedelta(days=10))
    try:
        assert clock.now() - datetime.now(UTC) > timedelta(days=9, hours=23)
    finally:
        clock.unfreeze()


def test_freezing_needs_an_aware_datetime():
    with pytest.raises(ValueError, match="aware"):
        clock.freeze(datetime(2026, 1, 1))
