"""An e-mail that carries a document's files, each with its content type.

    message = with_files("[wxops] 运营情况分析", body, ["liu@example.com"], [("report.pdf", row.pdf), ...])
    message.send()

Empty file fields are left out, so a row that has no XLSX still mails its PDF and DOCX.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def with_files(subject: str, body: str, recipients: list[str], files: Iterable[tuple[str, object]]) -> EmailMessage:
    """The message with each ``(file name, file field)`` attached that has a file."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    for name, field in files:
        if field:
            with field.open("rb") as handle:
                message.attach(name, handle.read(), CONTENT_TYPES.get(name.rsplit(".", 1)[-1]))
    return message
