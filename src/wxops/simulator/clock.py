"""The simulated clock: every time-based rule of the simulator reads it, nothing sleeps.

The clock either follows the wall clock with an offset (the default, for ``make run``) or
is frozen at an instant (tests, time-lapse simulations). Setting or advancing it never goes
backwards unless forced, so that quotas and token lifetimes stay coherent. Its reading is
kept in the state database, so a restarted simulator resumes where it stopped.

WeChat counts days (mass-send quota, datacube) in China time, UTC+8 without daylight saving.
"""

from __future__ import annotations

import datetime as dt
import time

from .state import State

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
DAY = 86400


class ClockError(ValueError):
    """A clock change the simulator refuses (going backwards without ``force``)."""


class SimClock:
    def __init__(self, state: State) -> None:
        self.state = state

    def _reading(self) -> tuple[float | None, float]:
        return self.state.meta("clock:frozen_at"), float(self.state.meta("clock:offset", 0.0))

    def now(self) -> float:
        """Seconds since the epoch, simulated."""
        frozen_at, offset = self._reading()
        return float(frozen_at) if frozen_at is not None else time.time() + offset

    @property
    def frozen(self) -> bool:
        return self._reading()[0] is not None

    def set(self, instant: float, *, force: bool = False) -> float:
        with self.state.transaction():
            current = self.now()
            if instant < current - 1e-6 and not force:
                raise ClockError("the simulated clock only moves forward; pass force=true to go back")
            frozen_at, _ = self._reading()
            if frozen_at is not None:
                self.state.set_meta("clock:frozen_at", instant)
            else:
                self.state.set_meta("clock:offset", instant - time.time())
            return instant

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ClockError("advance takes a positive number of seconds")
        return self.set(self.now() + seconds)

    def freeze(self, frozen: bool) -> None:
        with self.state.transaction():
            now = self.now()
            if frozen:
                self.state.set_meta("clock:frozen_at", now)
            else:
                self.state.set_meta("clock:frozen_at", None)
                self.state.set_meta("clock:offset", now - time.time())


def china_date(ts: float) -> dt.date:
    return dt.datetime.fromtimestamp(ts, CHINA).date()


def day_start(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), CHINA).timestamp()


def parse_instant(value: object) -> float:
    """An epoch number or an ISO 8601 string (naive strings are read as China time)."""
    if isinstance(value, bool):
        raise ClockError("expected a timestamp or an ISO 8601 date-time")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ClockError(f"not an ISO 8601 date-time: {value!r}") from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=CHINA)
        return parsed.timestamp()
    raise ClockError("expected a timestamp or an ISO 8601 date-time")


def iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, CHINA).isoformat(timespec="seconds")
