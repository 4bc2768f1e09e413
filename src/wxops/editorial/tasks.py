"""Background work of editorial: periodic huey tasks driven by the database rows.

Every minute: remind (an hour before the review deadline), escalate (at it), hold (at the
slot). Every night and hourly: keep each account's next two weeks of pushes planned. Each
is idempotent (see :mod:`wxops.editorial.actions.deadlines`); a task lost by a killed
worker only delays the work to the next minute.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.accounts.models import Account
from wxops.editorial.actions import deadlines, planning

logger = logging.getLogger(__name__)


def run_deadlines(now=None) -> dict[str, list[int]]:
    """One pass of the review day's clock; returns the push ids handled per kind."""
    return {"reminded": deadlines.remind_due(now), "escalated": deadlines.escalate_due(now),
            "held": deadlines.hold_due(now)}


def plan_all_accounts() -> int:
    planned = 0
    for account in Account.objects.all():
        try:
            planned += len(planning.plan_upcoming(account))
        except Exception:  # one account's broken schedule must not stop the others
            logger.exception("could not plan the coming pushes of %s", account)
    return planned


@db_periodic_task(crontab(minute="*"), name="editorial.deadlines")
def deadlines_tick() -> None:
    run_deadlines()


@db_periodic_task(crontab(minute="7"), name="editorial.plan")
def plan_tick() -> None:
    plan_all_accounts()
