"""The one clock of wxops.

Every part asks :func:`now` for the time, so tests and the time-lapse simulation can
move time for the whole system at once::

    from wxops.core import clock
    with clock.frozen(datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI)):
        assert clock.now().hour == 11
    clock.advance(timedelta(days=1))   # when a frozen or offset clock is active

Returned datetimes are always aware (UTC). ``local_now(tz)`` gives the time in an
account's zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_global: dict[str, object] = {"fixed": None, "offset": timedelta(0)}


def _fixed() -> datetime | None:
    return _global["fixed"]  # type: ignore[return-value]


def now() -> datetime:
    """The current time, aware, in UTC — moved by :func:`frozen`, :func:`set_offset` or :func:`advance`."""
    fixed = _fixed()
    if fixed is not None:
        return fixed
    return datetime.now(UTC) + _global["offset"]  # type: ignore[operator]


def local_now(time_zone: str | ZoneInfo) -> datetime:
    zone = time_zone if isinstance(time_zone, ZoneInfo) else ZoneInfo(time_zone)
    return now().astimezone(zone)


def today(time_zone: str | ZoneInfo):
    return local_now(time_zone).date()


def set_offset(offset: timedelta) -> None:
    """Run the clock at real speed, shifted by ``offset`` (for simulations)."""
    _global["offset"] = offset


def freeze(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("clock.freeze needs an aware datetime (add tzinfo).")
    _global["fixed"] = moment.astimezone(UTC)


def unfreeze() -> None:
    _global["fixed"] = None
    _global["offset"] = timedelta(0)


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward by ``delta``, or add it to the offset of a running one."""
    fixed = _fixed()
    if fixed is not None:
        _global["fixed"] = fixed + delta
    else:
        _global["offset"] = _global["offset"] + delta  # type: ignore[operator]
    return now()


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    previous = (_global["fixed"], _global["offset"])
    freeze(moment)
    try:
        yield
    finally:
        _global["fixed"], _global["offset"] = previous
