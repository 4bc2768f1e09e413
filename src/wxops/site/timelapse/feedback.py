"""The time-lapse's feedback round (plan section 七): after each push, the 24-hour window.

The simulator's followers comment on a sent push and write to the account as the audience
profile says (each category's ``comment_rate`` and ``message_rate``, rephrasing its
``feedback_topics``); their messages reach the site's callback when the clocks move. What
is added here is wxops's side, as the worker does it every 10 minutes in production
(``interaction.feedback.tasks.feedback_tick``): open a window for each push WeChat accepted,
sync its comments, and, 24 hours later, close it — core issues and the director's document
«推送反馈核心问题» (DOCX and PDF, e-mailed to the director when one is set; e-mail stays
in memory in a time-lapse).

The round runs once a day at 14:00 (after the day's sends and their callbacks) and once at
the end of the run, so a push sent at 11:30 has its window closed — and its document made —
the next day at 14:00; windows that would close after the run ends stay open. A copy of each
document goes to ``DIR/feedback/``. The figures for ``summary.json`` are read from wxops's
records, which the seeded simulator makes the same for the same seed.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

from wxops.interaction.feedback.tasks import feedback_tick
from wxops.interaction.models import DirectorDocument, FeedbackItem
from wxops.interaction.models.feedback import DocumentKind

#: When the day's round runs (the account's time zone): after the 11:30 sends and the 13:00 ticks.
ROUND_AT = time(14, 0)


def daily_round(driver, day: date) -> None:
    """Move both clocks to ``day`` at :data:`ROUND_AT` and run one feedback round there."""
    moment = driver.at(day, ROUND_AT.hour, ROUND_AT.minute)
    driver.clocks.move_to(moment)
    final_round(driver, moment)


def final_round(driver, moment: datetime) -> None:
    """One feedback round at ``moment`` (the clocks are already there); the callbacks it causes are delivered."""
    feedback_tick(moment)
    driver.clocks.drain()


def figures(account, out: Path) -> dict:
    """``feedback_items`` and ``director_documents`` of the run, from wxops's records; the documents copied to ``out/feedback``."""
    documents = list(DirectorDocument.objects.filter(account=account, kind=DocumentKind.FEEDBACK)
                     .order_by("created_at", "id"))
    folder = out / "feedback"
    for document in documents:
        for kind in ("docx", "pdf"):
            field = getattr(document, kind)
            if field:
                folder.mkdir(parents=True, exist_ok=True)
                with field.open("rb") as source, (folder / document.filename(kind)).open("wb") as target:
                    shutil.copyfileobj(source, target)
    return {"feedback_items": FeedbackItem.objects.filter(window__account=account).count(),
            "director_documents": len(documents)}
