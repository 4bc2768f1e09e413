"""Background work of analytics: periodic huey tasks driven by the database rows.

Every hour the statistics sync fetches each account's days that have no ``done``
:class:`~wxops.analytics.models.SyncedDay` row (a lost or failed run only delays them to
the next hour). Every hour at :41 the fortnightly report is made when one is due and its
:class:`~wxops.analytics.models.Report` row has no files yet, then mailed once.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.analytics import actions


@db_periodic_task(crontab(minute="23"), name="analytics.sync")
def sync_tick() -> None:
    actions.sync_all_accounts()


@db_periodic_task(crontab(minute="41"), name="analytics.report")
def report_tick() -> None:
    actions.make_due_reports()
