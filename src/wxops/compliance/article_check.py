"""Check a whole article: title, author, digest, body (HTML) and the text inside its images.

Pure Python: callers adapt their model to a :class:`Document`. Each part is checked on its
own, so offsets stay meaningful (into the title, into the body's extracted text, into an
image's OCR text). Decisions already taken on single findings (acknowledged, overridden)
are applied here, so every gate computes the verdict the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from wxops.compliance.engine import check
from wxops.compliance.findings import Finding, Report, Severity, Verdict, verdict_of
from wxops.compliance.html_text import extract
from wxops.compliance.images import ImageText, read_image
from wxops.compliance.lexicon import CompiledLexicon

#: The rule of a picture whose text is not read yet: it blocks, and no decision lifts it.
PENDING_RULE = "image.pending"


@dataclass(frozen=True, slots=True)
class ImageInput:
    name: str
    data: bytes | None  # None: the file could not be opened (reported for review)
    error: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    title: str = ""
    author: str = ""
    digest: str = ""
    body_html: str = ""
    images: tuple[ImageInput, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    """One checked part: ``field`` is ``title``, ``author``, ``digest``, ``body`` or ``image:NAME``."""

    field: str
    report: Report


@dataclass(frozen=True, slots=True)
class DocumentReport:
    parts: tuple[Part, ...]
    #: (field, fingerprint) → "acknowledged" | "overridden", as decided earlier.
    decisions: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def findings(self) -> Iterator[tuple[str, Finding, str]]:
        """Every finding as ``(field, finding, decision or "")``."""
        for part in self.parts:
            for finding in part.report.findings:
                yield part.field, finding, self.decisions.get((part.field, finding.fingerprint), "")

    @property
    def open_findings(self) -> list[Finding]:
        """What still counts: not overridden, and not an acknowledged review/advisory finding."""
        return [f for _field, f, decision in self.findings()
                if f.rule == PENDING_RULE
                or decision != "overridden" and not (decision == "acknowledged" and f.severity != Severity.BLOCK)]

    @property
    def pending(self) -> list[str]:
        """The fields (``image:…``) whose picture's text is still being read."""
        return [part.field for part in self.parts if any(f.rule == PENDING_RULE for f in part.report.findings)]

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.open_findings)

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.field == name), None)


def image_report(image: ImageInput, lexicon: CompiledLexicon | None, allowlist: Iterable[str],
                 reader: Callable[[bytes], ImageText]) -> Report:
    read = ImageText(error=image.error or "the image file could not be opened") if image.data is None \
        else reader(image.data)
    if read.pending:  # never pass a picture unread: it holds the article until the worker has read it
        return Report.of("", (Finding(rule=PENDING_RULE, clause="2.4", severity=Severity.BLOCK, start=0, end=0,
                                      text="", message="图片中的文字正在识别（后台进行，通常几秒到二十秒）",
                                      suggestion="识别完成后本栏自动刷新，再提交审核"),))
    text = read.checkable_text
    report = check(text, lexicon, allowlist=allowlist)
    extra = []
    for payload in read.qr_codes:
        marker = f"[二维码 {payload}]"
        start = text.find(marker)
        extra.append(Finding(rule="image.qr_code", clause="2.2", severity=Severity.REVIEW, start=start,
                             end=start + len(marker), text=marker,
                             message=f"图片含二维码（附件一 2.2 站外引流）：{payload}",
                             suggestion="确认二维码指向可信，或换用不含二维码的图片"))
    if read.error:
        extra.append(Finding(rule="image.unreadable", clause="2.4", severity=Severity.REVIEW, start=0, end=0,
                             text="", message=f"图片无法识别，需人工审核（{read.error}）",
                             suggestion="人工检查图片内容，或换一张图片"))
    return Report.of(text, (*report.findings, *extra)) if extra else report


def check_document(document: Document, lexicon: CompiledLexicon | None = None, *, allowlist: Iterable[str] = (),
                   decisions: Mapping[tuple[str, str], str] | None = None,
                   reader: Callable[[bytes], ImageText] = read_image) -> DocumentReport:
    """Check every part of ``document``; see :class:`DocumentReport` for the verdict."""
    allowlist = tuple(allowlist)
    body = extract(document.body_html) if document.body_html else None
    parts = [
        Part("title", check(document.title, lexicon, allowlist=allowlist)),
        Part("author", check(document.author, lexicon, allowlist=allowlist)),
        Part("digest", check(document.digest, lexicon, allowlist=allowlist)),
        Part("body", check(body.text if body else "", lexicon, allowlist=allowlist)),
    ]
    for image in document.images:
        parts.append(Part(f"image:{image.name}", image_report(image, lexicon, allowlist, reader)))
    return DocumentReport(parts=tuple(parts), decisions=dict(decisions or {}))
