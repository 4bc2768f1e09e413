"""The checkable text of a file: its encoding found (loudly when uncertain), HTML extracted, images read.

Pure Python, no Django: ``wxops compliance check`` starts without booting the site.

- UTF-8 (a leading BOM is an encoding mark, not text: offsets count from the character
  after it), else GB18030 when the bytes decode as it and the result reads as common
  Chinese (short GBK texts are often mistaken for cp949 or cp874 by statistical
  detectors), else the encoding ``charset_normalizer`` guesses — and then the report gets
  a ``review`` finding saying the encoding was guessed, so garbled text never passes
  silently. Binary data is refused.
- HTML: findings point into the extracted text, which the caller returns with them.
- Images: the OCR text and QR payloads (see :mod:`wxops.compliance.images`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wxops.compliance.findings import Finding, Report, Severity

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
MAX_FILE = 40 * 1024 * 1024
#: Share of Han characters that must be among the 3,755 most common (GB2312 level 1) for
#: a GB18030 reading to count as Chinese: real text is ~95 %, other encodings misread ~40 %.
COMMON_HAN_SHARE = 0.8


class InputError(ValueError):
    """A file that cannot be checked; the message names the file and says what to fix."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    #: True when the encoding was a statistical guess: the check adds a review finding.
    guessed: bool = False


def _is_common_han(char: str) -> bool:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


_SPACED_HAN = re.compile("[\u4e00-\u9fff] [\u4e00-\u9fff]")


def reads_as_chinese(text: str) -> bool:
    """Whether ``text`` looks like Chinese as written: mostly common Han characters, no stray symbols.

    Korean in EUC-KR reads as common Han characters too (its syllables sit where GB2312's
    most common characters do) but keeps the spaces between its words: Chinese does not
    put spaces between characters.
    """
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han or len(_SPACED_HAN.findall(text)) > len(han) / 20:
        return False
    odd = sum(1 for c in text if not (c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                                        or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·"))
    common = sum(1 for c in han if _is_common_han(c))
    return common / len(han) >= COMMON_HAN_SHARE and odd <= max(1, len(text) // 50)


def decode_text(data: bytes, name: str) -> Decoded:
    """Decode a text file's bytes (see the module docstring); raises :class:`InputError`."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} is not a text file (it contains NUL bytes); give a .txt, .md or .html file")
    try:
        decoded = Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        try:
            candidate = data.decode("gb18030")
        except UnicodeDecodeError:
            candidate = None
        if candidate is not None and reads_as_chinese(candidate[:200_000]):
            decoded = Decoded(candidate, "gb18030")
        else:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                raise InputError(f"{name} is not readable text in any known encoding; save it as UTF-8") from None
            decoded = Decoded(str(best), best.encoding, guessed=True)
    text = decoded.text
    controls = sum(1 for c in text[:100_000] if c < " " and c not in "\n\r\t\f")
    if text and controls / min(len(text), 100_000) > 0.01:
        raise InputError(f"{name} looks like binary data, not text; give a .txt, .md or .html file")
    return decoded


def encoding_finding(decoded: Decoded) -> Finding:
    """The ``review`` finding for a text whose encoding had to be guessed."""
    return Finding(rule="input.encoding", clause="2.4", severity=Severity.REVIEW, start=0, end=0, text="",
                   message=f"无法确定文件编码，已按 {decoded.encoding} 读取，内容可能是乱码，需人工核对",
                   suggestion="将文件另存为 UTF-8 后重新检查")


@dataclass(frozen=True, slots=True)
class FileReport:
    """The report of one file; ``extracted`` says the text is not the file's own (HTML, image)."""

    report: Report
    extracted: bool = False

    def as_dict(self) -> dict:
        """The CLI's JSON; the checked text is included when it is extracted or OCR text."""
        data = self.report.as_dict()
        if self.extracted:
            data["text"] = self.report.text
        return data


def read_bytes(path: Path, label: str) -> bytes:
    if not path.is_file():
        raise InputError(f"{label}: no such file")
    if path.stat().st_size > MAX_FILE:
        raise InputError(f"{label} is larger than 40 MB; split it")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{label}: cannot read it ({error.strerror})") from None


def check_file(path: Path, check: Callable[[str], Report], lexicon=None, *, label: str | None = None) -> FileReport:
    """Read and check the file at ``path`` with ``check(text)``; raises :class:`InputError`."""
    from wxops.compliance.engine import TextTooLong

    label = label or str(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | IMAGE_SUFFIXES:
        raise InputError(f"{path.name}: unsupported file type {suffix or '(none)'}; give .txt, .md, "
                         ".html or an image (.png, .jpg, .gif, .bmp, .webp)")
    data = read_bytes(path, label)
    try:
        if suffix in IMAGE_SUFFIXES:
            from wxops.compliance.article_check import ImageInput, image_report
            from wxops.compliance.images import read_image

            report = image_report(ImageInput(path.name, data), lexicon, (), read_image)
            if any(f.rule == "image.unreadable" for f in report.findings) and not report.text:
                raise InputError(f"{path.name}: {report.findings[-1].message}")
            return FileReport(report, extracted=True)
        decoded = decode_text(data, path.name)
        text = decoded.text
        return text_report(text, check, html=suffix in HTML_SUFFIXES or (suffix == ".md" and _looks_like_html(text)),
                           guessed=decoded if decoded.guessed else None)
    except TextTooLong as error:
        raise InputError(f"{path.name}: {error}") from None


def text_report(text: str, check: Callable[[str], Report], *, html: bool = False,
                guessed: Decoded | None = None) -> FileReport:
    """Check a text (or the extracted text of HTML), adding the encoding finding when it was guessed."""
    if html:
        from wxops.compliance.html_text import extract

        text = extract(text).text
    report = check(text)
    if guessed is not None:
        report = Report.of(report.text, (*report.findings, encoding_finding(guessed)))
    return FileReport(report, extracted=html)


def _looks_like_html(text: str) -> bool:
    from wxops.compliance.html_text import looks_like_html

    return looks_like_html(text)
