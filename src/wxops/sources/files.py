"""Read local files and folders for ``wxops ingest PATH``.

=============  =============================================================
``.xml .rss``  an RSS/Atom feed (any encoding)
``.atom``
``.html .htm`` one web page: the article is extracted
``.txt .md``   first line = title, the rest = text
``.csv``       one article a row; header with ``title`` and ``text`` (or
               ``body``/``content``), optional ``url``, ``author``, ``source``,
               ``published`` (ISO date); UTF-8, UTF-8 with BOM or GB18030
=============  =============================================================

Bad rows and unreadable files come back as :class:`Problem` values that say where and
what to fix; the good rows still come back. No Django imports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from .candidates import Document, Problem, gettext_noop
from .charsets import UnreadableText, decode_readable
from .extraction import CHINA, NotAnArticle, extract_page
from .feeds import FeedError, parse_feed

SUFFIXES = {".xml", ".rss", ".atom", ".html", ".htm", ".txt", ".md", ".csv"}
MAX_FILE_BYTES = 20 * 1024 * 1024
_TEXT_COLUMNS = ("text", "body", "content", "正文")
_TITLE_COLUMNS = ("title", "标题")


def read_path(path: Path, *, within: list[Path] | None = None) -> Iterator[Document | Problem]:
    """Documents (and problems) from a file, or from every known file under a folder.

    With ``within`` (resolved folders), a file whose real path — links followed — lies
    outside all of them is refused with a problem instead of read.
    """
    if not path.exists():
        yield Problem(str(path), gettext_noop("No such file or folder"))
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES) if path.is_dir() else [path]
    for file in files:
        if within is not None and not _inside(file, within):
            yield Problem(str(file), gettext_noop("Refused: this file leads outside the import folders "
                                                  "(a link to elsewhere on the server)"))
            continue
        for result in read_file(file):
            if isinstance(result, Document) and not result.source_name:
                result = replace(result, source_name=file.name)  # say where an import came from
            yield result


def _inside(file: Path, folders: list[Path]) -> bool:
    real = file.resolve()
    return any(real == folder or real.is_relative_to(folder) for folder in folders)


def read_file(path: Path) -> Iterator[Document | Problem]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield Problem(str(path), gettext_noop("Unsupported file type %(suffix)s; use one of %(known)s"),
                      {"suffix": suffix or "(none)", "known": ", ".join(sorted(SUFFIXES))})
        return
    if path.stat().st_size > MAX_FILE_BYTES:
        yield Problem(str(path), gettext_noop("The file is larger than the %(limit)d MB cap"),
                      {"limit": MAX_FILE_BYTES // 1024 // 1024})
        return
    data = path.read_bytes()
    if suffix in {".xml", ".rss", ".atom"}:
        try:
            feed = parse_feed(data, url=path.resolve().as_uri())
        except FeedError as error:
            yield error.problem(str(path))
            return
        yield from feed.documents
        yield from feed.warnings
    elif suffix in {".html", ".htm"}:
        try:
            yield extract_page(data, url="")
        except (NotAnArticle, UnreadableText) as error:
            yield error.problem(str(path))
        return
    try:
        text = decode_readable(data, where=path.name).text
    except UnreadableText as error:
        yield error.problem(str(path))
        return
    if suffix == ".csv":
        yield from read_csv(text, where=str(path))
    else:
        text = text.strip()
        title, _, body = text.partition("\n")
        if not body.strip():
            yield Problem(str(path), gettext_noop("A text file needs a title line and a body"))
            return
        yield Document(title=title.strip().lstrip("# "), text=body.strip())


def read_csv(text: str, *, where: str) -> Iterator[Document | Problem]:
    """One document per good row; one problem per bad row (with its line number)."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    title_column = next((columns[c] for c in _TITLE_COLUMNS if c in columns), None)
    text_column = next((columns[c] for c in _TEXT_COLUMNS if c in columns), None)
    if title_column is None or text_column is None:
        yield Problem(where, gettext_noop("The CSV needs a header row with 'title' and 'text' columns; "
                                          "found %(columns)s"), {"columns": ", ".join(columns) or "-"})
        return
    for row in reader:
        line = f"{where}:{reader.line_num}"
        if None in row:
            yield Problem(line, gettext_noop("This row has more fields than the header (an unquoted comma?)"))
            continue
        title = (row.get(title_column) or "").strip()
        body = (row.get(text_column) or "").strip()
        if not title or not body:
            yield Problem(line, gettext_noop("The title or the text is empty"))
            continue
        published = None
        raw_date = (row.get(columns.get("published", ""), "") or "").strip()
        if raw_date:
            try:
                published = datetime.fromisoformat(raw_date)
            except ValueError:
                yield Problem(line, gettext_noop("Cannot read the date %(date)s; use 2026-11-26 or 2026-11-26T09:30"),
                              {"date": raw_date})
                continue
            if published.tzinfo is None:
                published = published.replace(tzinfo=CHINA)
        yield Document(
            title=title,
            text=body,
            url=(row.get(columns.get("url", ""), "") or "").strip(),
            author=(row.get(columns.get("author", ""), "") or "").strip(),
            source_name=(row.get(columns.get("source", ""), "") or "").strip(),
            published=published,
        )
