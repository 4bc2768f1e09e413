"""What other parts of wxops (commands, tasks, the admin) do with analytics.

    from wxops.analytics import actions
    outcome = actions.sync_statistics(account, start, end)        # datacube → database
    report = actions.make_report(account, start, end, out=Path("out"))  # the fortnightly report
    actions.write_recommendations(account, until)                 # → editorial.Recommendation

Syncing statistics changes no business state (it copies WeChat's figures) and needs no
permission; making a report and writing recommendations are audit-logged.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account
from wxops.analytics import recommendations
from wxops.analytics.datacube_sync import SyncOutcome, sync_account
from wxops.core import audit
from wxops.editorial.models import Recommendation

AUDIT_RECOMMENDED = "wxops.analytics.recommended"

logger = logging.getLogger(__name__)


def sync_statistics(account: Account, start: dt.date | None = None, end: dt.date | None = None, *,
                    force: bool = False, client=None, now: dt.datetime | None = None) -> SyncOutcome:
    """Fetch the account's statistics for ``start..end`` that are not stored yet (see :mod:`datacube_sync`)."""
    return sync_account(account, start, end, client=client, force=force, now=now)


def sync_all_accounts(now: dt.datetime | None = None) -> list[SyncOutcome]:
    """The periodic sync: every account with an AppSecret, the look-back window; one account's failure stops no other."""
    outcomes = []
    for account in Account.objects.order_by("pk"):
        if not credentials(account).app_secret:
            continue
        try:
            outcomes.append(sync_account(account, now=now))
        except Exception:  # one account's broken credentials must not stop the others
            logger.exception("statistics sync of %s failed", account)
    return outcomes


def write_recommendations(account: Account, until: dt.date, *, now: dt.datetime | None = None,
                          ) -> list[Recommendation]:
    """Weigh every active category by the four weeks up to ``until`` and write the weights for the
    two weeks after it (``until + 1`` … ``until + 14``) as ``editorial.Recommendation`` rows.

    Idempotent: analytics' earlier rows for that same period are replaced; editors' rows (any
    other ``source``) are never touched, and the planner prefers them.
    """
    weights = recommendations.category_weights(account, until, now=now)
    start = until + dt.timedelta(days=1)
    end = until + dt.timedelta(days=recommendations.APPLIES_DAYS)
    with transaction.atomic():
        Recommendation.objects.filter(account=account, period_start=start, period_end=end,
                                      source=recommendations.SOURCE).delete()
        rows = Recommendation.objects.bulk_create([
            Recommendation(account=account, period_start=start, period_end=end, category_id=w.category_id,
                           weight=w.weight, alpha=w.alpha, beta=w.beta, reason=w.reason,
                           source=recommendations.SOURCE) for w in weights])
        audit.record(account, AUDIT_RECOMMENDED, data={
            "from": start.isoformat(), "until": end.isoformat(),
            "weights": {w.name: w.weight for w in weights}})
    return rows
