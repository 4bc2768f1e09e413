"""Actions of the core app."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from wxops.core import clock
from wxops.core.models import Heartbeat

logger = logging.getLogger(__name__)


def record_heartbeat(name: str) -> Heartbeat:
    """Record that the process ``name`` is alive now; idempotent and safe under concurrency."""
    moment = clock.now()
    with transaction.atomic():
        beat, created = Heartbeat.objects.get_or_create(name=name, defaults={"beat_at": moment, "count": 1})
        if not created:
            Heartbeat.objects.filter(pk=beat.pk).update(beat_at=moment, count=F("count") + 1)
            beat.refresh_from_db()
    logger.info("heartbeat %s #%d at %s", name, beat.count, moment.isoformat())
    return beat
