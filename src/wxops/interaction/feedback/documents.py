"""Actions that make the director's documents, keep every one, and deliver them (e-mail and the admin).

    document = make_feedback_document(window)     # a new DirectorDocument with DOCX and PDF
    deliver_window_document(window)               # the window's document, made once, e-mailed once

Every document made is kept (a new row each time, never overwritten). The files live in
private storage, downloaded through the admin only. The e-mail is an outbox: the document is
claimed (``mail_claimed_at``, committed) before the mail server is called and ``emailed_at``
recorded after it took the mail, so no rerun sends it again; a mail the server refused is
released and tried again by the next rounds for a day (:func:`email_pending`). A claim never
confirmed (the process died between the send and its record) is *uncertain*: it is not sent
again by itself — the admin shows it, and a person who finds the director lacks it sends it.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from wxops.core import audit, clock
from wxops.core.documents import mail
from wxops.interaction.models.feedback import DirectorDocument, DocumentKind, FeedbackWindow

from .qa import TITLE as QA_TITLE
from .qa import group_questions, period_text, questions_between
from .qa_files import write_qa_docx, write_qa_xlsx
from .report import build_report, director_of
from .writers import write_docx, write_pdf

logger = logging.getLogger(__name__)


def make_feedback_document(window: FeedbackWindow, *, user=None) -> DirectorDocument:
    """A new «推送反馈核心问题» for the window (its current analysis), kept with its DOCX and PDF."""
    report = build_report(window)
    director = director_of(window.account)
    docx, pdf = write_docx(report), write_pdf(report)
    with transaction.atomic():
        document = DirectorDocument(account_id=window.account_id, kind=DocumentKind.FEEDBACK, window=window,
                                    title=f"{report.title} · {report.push}"[:200], recipient=director.director_name,
                                    recipient_email=director.director_email, created_at=clock.now())
        document.docx.save(f"{report.file_stem}.docx", ContentFile(docx), save=False)
        document.pdf.save(f"{report.file_stem}.pdf", ContentFile(pdf), save=False)
        document.save()
        audit.record(document, "wxops.feedback.document", user=user, data={"window": window.pk})
    return document


def deliver_window_document(window: FeedbackWindow) -> DirectorDocument:
    """The window's document when it closes: made once (a rerun reuses it), then e-mailed once."""
    document = window.documents.filter(kind=DocumentKind.FEEDBACK).order_by("created_at", "id").first()
    if document is None:
        document = make_feedback_document(window)
    email_document(document)
    return document


#: A claim older than this without ``emailed_at``: its process died during the send (the mail server
#: answers within EMAIL_TIMEOUT, 10 s); the mail's fate is not known.
MAIL_CLAIM_LEASE = dt.timedelta(minutes=15)


def mail_uncertain(document: DirectorDocument, now: dt.datetime | None = None) -> bool:
    """Whether the document's mail was claimed long ago and never confirmed: maybe sent, maybe not."""
    return (document.emailed_at is None and document.mail_claimed_at is not None
            and document.mail_claimed_at < (now or clock.now()) - MAIL_CLAIM_LEASE)


def email_document(document: DirectorDocument) -> bool:
    """Send the document's files to its recipient once; False when there is no address, or it went or
    was claimed already.

    The claim is committed before the mail server is called (outside any transaction, so it
    cannot be rolled back after the send), and the send's success recorded after. A crash
    between the two leaves the claim: never sent twice by wxops. The Message-ID is the
    document's own, so a copy a person sends later is known as the same message.
    """
    if not document.recipient_email or document.emailed_at is not None:
        return False
    claimed = DirectorDocument.objects.filter(pk=document.pk, emailed_at__isnull=True,
                                              mail_claimed_at__isnull=True).update(mail_claimed_at=clock.now())
    if not claimed:
        return False
    message = mail.with_files(
        f"[wxops] {document.title}",
        f"{document.recipient}：\n\n附件是《{document.title}》。也可在管理后台 推送反馈 → 反馈文档 中查看历次文档。\n",
        [document.recipient_email], [(document.filename(kind), getattr(document, kind)) for kind in ("docx", "pdf", "xlsx")])
    message.extra_headers["Message-ID"] = document.message_id
    try:
        message.send()
    except Exception:  # refused: not sent — released; the next round tries again (email_pending)
        DirectorDocument.objects.filter(pk=document.pk).update(mail_claimed_at=None)
        logger.exception("could not e-mail director document %s", document.pk)
        return False
    DirectorDocument.objects.filter(pk=document.pk).update(emailed_at=clock.now())
    document.refresh_from_db(fields=["emailed_at", "mail_claimed_at"])
    return True


def make_qa_document(account, start, end, *, user=None) -> DirectorDocument:
    """The Q&A compilation of ``[start, end)`` (aware datetimes), kept with its DOCX and XLSX."""
    questions = questions_between(account, start, end)
    groups = group_questions(questions)  # once for both files: the clustering is the compilation's costliest part
    director = director_of(account)
    stem = f"{QA_TITLE}-{start:%Y%m%d}-{end:%Y%m%d}"
    with transaction.atomic():
        document = DirectorDocument(account=account, kind=DocumentKind.QA, title=f"{QA_TITLE}（{period_text(start, end, ZoneInfo(account.time_zone))}）",
                                    recipient=director.director_name, recipient_email=director.director_email,
                                    created_at=clock.now())
        document.docx.save(f"{stem}.docx", ContentFile(write_qa_docx(account, start, end, questions, groups)), save=False)
        document.xlsx.save(f"{stem}.xlsx", ContentFile(write_qa_xlsx(account, start, end, questions, groups)), save=False)
        document.save()
        audit.record(document, "wxops.feedback.document", user=user, data={"questions": len(questions)})
    return document


#: How long a document whose e-mail failed is offered again to the mail server.
RETRY_MAIL_FOR = dt.timedelta(days=1)


def email_pending(now: dt.datetime | None = None) -> int:
    """E-mail the window documents of the last day whose mail has not gone (the server was down); how many went."""
    now = now or clock.now()
    pending = (DirectorDocument.objects.filter(kind=DocumentKind.FEEDBACK, emailed_at__isnull=True,
                                               mail_claimed_at__isnull=True, created_at__gte=now - RETRY_MAIL_FOR)
               .exclude(recipient_email="").order_by("created_at"))
    return sum(email_document(document) for document in pending)
