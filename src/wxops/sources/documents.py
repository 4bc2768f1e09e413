"""The values that cross from the pure ingestion core into Django: frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Document:
    """One candidate piece of content, from a feed entry, a page, a file or a submission.

    ``text`` is plain text (paragraphs separated by blank lines); ``html`` is the body as
    the source gave it, when there was one. ``published`` is aware or None (unknown).
    """

    title: str
    text: str
    url: str = ""
    guid: str = ""
    html: str = ""
    author: str = ""
    source_name: str = ""
    published: datetime | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Problem:
    """Something in the input that could not be used, said in words (where + what to fix)."""

    where: str
    message: str
