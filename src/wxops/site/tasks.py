"""Periodic jobs of the site: the nightly backup."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wxops.core import clock
from wxops.site import backup

logger = logging.getLogger(__name__)

#: The local hour (WXOPS_TIME_ZONE) of the nightly backup: after the day's work, before the morning's.
BACKUP_HOUR = 3


def nightly_backup(now=None) -> str | None:
    """Write tonight's backup into the backup folder and keep the newest ``WXOPS_BACKUP_KEEP``; returns its path.

    Does nothing outside :data:`BACKUP_HOUR` or when ``WXOPS_BACKUP_KEEP`` is 0. A failure is
    logged with the reason, never raised: tomorrow's run tries again.
    """
    keep = settings.WXOPS_BACKUP_KEEP
    local = (now or clock.now()).astimezone(clock.local_now(settings.TIME_ZONE).tzinfo)
    if keep == 0 or local.hour != BACKUP_HOUR:
        return None
    folder = backup.default_folder()
    try:
        path = backup.create(folder / backup.default_name())
    except Exception:
        logger.exception("the nightly backup failed; run `wxops backup` by hand to see why")
        return None
    removed = backup.prune(folder, keep)
    logger.info("nightly backup written to %s; %d older one(s) removed", path, len(removed))
    return str(path)


@db_periodic_task(crontab(minute="30"), name="site.nightly_backup")
def nightly_backup_task() -> None:
    # Hourly in UTC; the job itself picks the night's hour in the site's time zone.
    nightly_backup()
