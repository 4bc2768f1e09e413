"""What enters the candidate pool, before Django sees it: documents, problems and explained errors.

These values cross from the pure ingestion core (feeds, pages, files — no Django) into the
Django side, so they are frozen dataclasses. Messages are English msgids with their
parameters apart: the pure core cannot translate, the Django side shows them in the
reader's language with :meth:`Problem.translated` / :meth:`ExplainedError.translated`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


def gettext_noop(message: str) -> str:
    """Marks a msgid for ``makemessages`` without importing Django; translated where shown."""
    return message


def _format(msgid: str, params: Mapping) -> str:
    return msgid % dict(params) if params else msgid


@dataclass(frozen=True)
class Document:
    """One candidate piece of content, from a feed entry, a page, a file or a submission.

    ``text`` is plain text (paragraphs separated by blank lines); ``html`` is the body as
    the source gave it, when there was one. ``published`` is aware or None (unknown).
    ``fragment_identifies`` says the URL's ``#fragment`` is what tells this entry from its
    feed's other entries (``archive.html#id`` links), so canonical URLs keep it.
    ``link_identifies`` is False when other entries of the same feed share this link (a
    feed that links every entry to its homepage): the entry is then known by its ``guid``
    alone, never merged into another by its URL.
    ``pictures`` are the addresses of the pictures the original shows (offered to the
    picture library when the story becomes an article). ``reprint`` is the reprint status
    the source states (see ``sources.models.ReprintStatus``), empty when it says nothing.
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
    fragment_identifies: bool = False
    link_identifies: bool = True
    pictures: tuple[str, ...] = field(default_factory=tuple)
    reprint: str = ""


@dataclass(frozen=True)
class Problem:
    """Something in the input that could not be used: where, and what to fix (an English msgid).

    A ``warning`` lost nothing for certain (a feed read only partly, say) and is not
    counted as a failure; it is recorded with the poll.
    """

    where: str
    msgid: str
    params: Mapping = field(default_factory=lambda: MappingProxyType({}))
    warning: bool = False

    @property
    def message(self) -> str:
        return _format(self.msgid, self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return _format(gettext(self.msgid), self.params)


class ExplainedError(Exception):
    """An error whose message is an English msgid and parameters, translated where it is shown."""

    def __init__(self, msgid: str, **params):
        super().__init__(_format(msgid, params))
        self.msgid = msgid
        self.params = params

    def translated(self, gettext: Callable[[str], str]) -> str:
        return _format(gettext(self.msgid), self.params)

    def problem(self, where: str) -> Problem:
        return Problem(where, self.msgid, MappingProxyType(dict(self.params)))
