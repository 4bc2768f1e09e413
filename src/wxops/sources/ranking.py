"""Freshness and rank: what an editor should look at first.

rank = freshness × (0.5 + 0.5 × confidence) × (1 + log2(number of sources))

- freshness halves every :data:`HALF_LIFE_HOURS` (a story from yesterday matters half as
  much as one from this morning);
- a confident classification ranks above a doubtful one;
- a story several portals reprinted ranks above one only a single site carries.
"""

from __future__ import annotations

import math
from datetime import datetime

HALF_LIFE_HOURS = 24.0


def freshness(published: datetime | None, now: datetime) -> float:
    """1.0 for now, 0.5 after one half-life, never above 1 (future dates count as now)."""
    if published is None:
        return 0.5
    hours = max(0.0, (now - published).total_seconds() / 3600)
    return 0.5 ** (hours / HALF_LIFE_HOURS)


def rank(published: datetime | None, now: datetime, confidence: float, source_count: int) -> float:
    """Score for ordering the candidate pool (higher first), rounded to 6 places."""
    score = freshness(published, now) * (0.5 + 0.5 * confidence) * (1 + math.log2(max(1, source_count)))
    return round(score, 6)
