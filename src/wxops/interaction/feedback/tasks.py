"""The feedback's periodic work: open windows for sent pushes, sync their comments, close the due ones.

Run every 10 minutes by huey (``interaction.feedback`` in ``wxops.interaction.tasks``). Every
step is idempotent: the DB rows are the truth, the task only a trigger; a window whose
closing worker died is re-claimed by the next run after ``windows.STALE_CLAIM``.
"""

from __future__ import annotations

import logging

from wxops.core import clock

from . import documents, windows

logger = logging.getLogger(__name__)


def feedback_tick(now=None) -> dict:
    """One round: open, sync, close (with the director's document), mail what could not be mailed. Answers what it did."""
    now = now or clock.now()
    opened = windows.open_windows(now)
    synced = windows.sync_open_windows(now)
    closed = windows.close_due_windows(now, deliver=documents.deliver_window_document)
    mailed = documents.email_pending(now)
    return {"opened": len(opened), "synced": synced, "closed": len(closed), "mailed_again": mailed}
