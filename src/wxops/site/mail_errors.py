"""Mail failures logged in one line, not as a traceback.

Wagtail logs ``Mail connection error, notification sending skipped`` with the whole traceback
whenever its workflow e-mails cannot be sent (a mail server down or misconfigured), and
``Failed to send notification email …`` per recipient; on every submit and approval that
buried the log. The notification itself is also shown in the admin,
so the line needs only the reason and where to fix it.
"""

from __future__ import annotations

import logging

MAIL_MESSAGES = ("Mail connection error", "Failed to send notification email")


class OneLineMailErrors(logging.Filter):
    """Turn Wagtail's mail-error records into one line with the reason, without ``exc_info``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("wagtail") and str(record.msg).startswith(MAIL_MESSAGES) and record.exc_info:
            reason = record.exc_info[1] or "unknown reason"
            record.msg = f"{record.getMessage()} ({reason}); check WXOPS_SMTP_HOST (docs/settings.md)"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
