"""Background work of analytics: periodic huey tasks driven by the database rows.

Every hour the statistics sync fetches each account's days that have no ``done``
:class:`~wxops.analytics.models.SyncedDay` row (a lost or failed run only delays them to
the next hour).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.analytics import actions


@db_periodic_task(crontab(minute="23"), name="analytics.sync")
def sync_tick() -> None:
    actions.sync_all_accounts()
