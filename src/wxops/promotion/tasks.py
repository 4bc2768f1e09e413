"""Background work of promotion: asking WeChat for QR codes, and retrying the due ones."""

from __future__ import annotations

from django_tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@task()
def create_codes_task(account_id: int) -> dict:
    """Ask WeChat for the account's due codes (idempotent: claimed one at a time)."""
    from .actions.codes import create_due_codes

    return {"ready": create_due_codes(account_id)}


@db_periodic_task(crontab(minute="*/10"), name="promotion.retry_codes")
def retry_codes() -> None:
    """Codes that failed for a passing reason (busy, rate limit, no answer) are asked again when due."""
    from .actions.codes import create_due_codes

    create_due_codes()
