"""How a time-lapse learns: the statistics synced and the fortnightly reports made as in
production, and — by planner — what the calendar is told.

* ``round-robin``: editorial's plain rotation; statistics and reports still run, but no
  category weights are written;
* ``wxops``: each report writes analytics' weights (a read-rate posterior per category)
  for the next two weeks and the planner samples them (Thompson sampling);
* ``oracle``: knows the audience profile's read rates: weights with a near-certain
  posterior at those rates cover the whole run from the first day.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from wxops.analytics import actions as analytics
from wxops.editorial.models import Recommendation

PLANNERS = ("round-robin", "wxops", "oracle")
#: The oracle's certainty: pseudo-trials behind each category's known read rate.
ORACLE_EVIDENCE = 2000


def write_oracle(account, profile: dict, start: date, end: date) -> None:
    """Weights from the profile's own read rates (what the oracle knows), covering ``start..end``."""
    rates = {name: float(values.get("read_rate", 0)) for name, values in (profile.get("categories") or {}).items()}
    known = [rate for rate in rates.values() if rate > 0]
    mean = sum(known) / len(known) if known else 0
    rows = []
    for category in account.categories.filter(active=True):
        rate = rates.get(category.name, 0)
        if rate <= 0 or not mean:
            continue
        rate = min(rate, 0.999)
        rows.append(Recommendation(account=account, category=category, period_start=start, period_end=end,
                                   weight=round(rate / mean, 3), alpha=rate * ORACLE_EVIDENCE,
                                   beta=(1 - rate) * ORACLE_EVIDENCE, source="oracle",
                                   reason=f"{category.name}：画像中的阅读率 {rate:.1%}（预知）"))
    Recommendation.objects.bulk_create(rows)


def morning(account, planner: str, now: datetime, out: Path) -> list[str]:
    """08:00 of a simulated day: sync what WeChat has published, make a due fortnightly report
    (with the planner's weights only for ``wxops``) into ``out/reports``. Returns the paths of
    the files written, relative to ``out``."""
    analytics.sync_statistics(account, now=now)
    made = analytics.make_due_reports(now, recommend=planner == "wxops", out=out / "reports", accounts=[account])
    return [f"reports/{name}" for report in made for name in report_names(report)]


def report_names(report) -> list[str]:
    stem = f"report-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
    return [f"{stem}.pdf", f"{stem}.docx", f"{stem}.xlsx"]
