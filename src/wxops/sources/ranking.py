"""Freshness and rank: what an editor should look at first.

rank = freshness × (0.5 + 0.5 × confidence) × (1 + log2(number of sources))

- freshness halves every :data:`HALF_LIFE_HOURS` (a story from yesterday matters half as
  much as one from this morning);
- a confident classification ranks above a doubtful one;
- a story several portals reprinted ranks above one only a single site carries.

An item that says nothing about when it was published is never ranked above a dated one
of the same day: it counts as published at the start of the day it was first seen, at
half weight, without the reprint bonus — whatever its confidence, below every dated item
of that day (a 2005 press release with an unreadable date must not pass for today's news).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

HALF_LIFE_HOURS = 24.0
#: The desk's day, for "the same day" of undated items.
DESK_TIME = timezone(timedelta(hours=8))


def freshness(published: datetime | None, now: datetime) -> float:
    """1.0 for now, 0.5 after one half-life, never above 1 (future dates count as now)."""
    if published is None:
        return 0.5
    hours = max(0.0, (now - published).total_seconds() / 3600)
    return 0.5 ** (hours / HALF_LIFE_HOURS)


def start_of_day(moment: datetime, tz=DESK_TIME) -> datetime:
    local = moment.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def rank(published: datetime | None, now: datetime, confidence: float, source_count: int, *,
         first_seen: datetime | None = None) -> float:
    """Score for ordering the candidate pool (higher first), rounded to 6 places.

    ``published`` None means the item gave no readable date; ``first_seen`` (default
    ``now``) then dates it as the module docstring says.
    """
    if published is None:
        base = freshness(start_of_day(first_seen or now), now)
        return round(base * 0.5 * (0.5 + 0.5 * confidence) * 0.99, 6)
    score = freshness(published, now) * (0.5 + 0.5 * confidence) * (1 + math.log2(max(1, source_count)))
    return round(score, 6)
