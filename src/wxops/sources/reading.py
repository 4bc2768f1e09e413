"""Read one source into documents: one reader per kind of source, one registry.

A reader turns a source's location into :class:`Document` values (and :class:`Problem`
values for the parts it could not use); it decides nothing about storing, statuses or
permissions — :mod:`wxops.sources.actions` does. Every network fetch goes through
:func:`wxops.sources.fetching.fetch` with the policy the caller passes (public addresses
only, a total deadline).

=============  ==============================================================
feed           RSS/Atom (any encoding; partial parses come back as warnings)
page           one web page; mp.weixin.qq.com articles with account, author, time
list page      the same-site article links of a page, each extracted (at most 30)
file           a file or folder inside the administrator's import folders
=============  ==============================================================
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .candidates import Document, Problem, gettext_noop
from .charsets import UnreadableText, decode_readable
from .extraction import NotAnArticle, absolute_links, extract_page
from .feeds import parse_feed
from .fetching import FetchError, FetchPolicy, fetch
from .files import read_path
from .wechat_articles import is_wechat_article, parse_wechat_article

#: A list page yields at most this many article links per poll.
LIST_PAGE_LIMIT = 30
#: A list-page poll follows links for at most this many fetch deadlines in all (2 min by
#: default): 30 links of 30 s each would hold a worker for a quarter of an hour.
LIST_PAGE_BUDGET = 4


@dataclass(frozen=True)
class Reading:
    """What a reader found: documents and problems, plus the conditional-GET validators to keep."""

    documents: list = field(default_factory=list)
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Target:
    """What a reader needs to know of a source (no model: readers stay free of the database)."""

    name: str
    location: str
    etag: str = ""
    last_modified: str = ""
    known_urls: frozenset[str] = frozenset()
    import_folders: tuple[Path, ...] | None = None


Reader = Callable[[Target, FetchPolicy], Reading]


def read_page(data: bytes, *, url: str, content_type: str | None = None) -> Document:
    """One fetched page as a document: a WeChat article by its own rules, else the general extractor."""
    if is_wechat_article(url):
        return parse_wechat_article(data, url=url)
    return extract_page(data, url=url, content_type=content_type)


def _named(document: Document, target: Target) -> Document:
    return replace(document, source_name=target.name) if target.name else document


def read_feed(target: Target, policy: FetchPolicy) -> Reading:
    result = fetch(target.location, etag=target.etag or None, last_modified=target.last_modified or None,
                   policy=policy)
    if result.not_modified:
        return Reading(not_modified=True, etag=target.etag, last_modified=target.last_modified)
    feed = parse_feed(result.content, url=result.url, content_type=result.content_type)
    return Reading([*(_named(d, target) for d in feed.documents), *feed.warnings],
                   etag=result.etag or "", last_modified=result.last_modified or "")


def read_single_page(target: Target, policy: FetchPolicy) -> Reading:
    result = fetch(target.location, etag=target.etag or None, last_modified=target.last_modified or None,
                   policy=policy)
    if result.not_modified:
        return Reading(not_modified=True, etag=target.etag, last_modified=target.last_modified)
    document = read_page(result.content, url=result.url, content_type=result.content_type)
    return Reading([_named(document, target)], etag=result.etag or "", last_modified=result.last_modified or "")


def read_list_page(target: Target, policy: FetchPolicy) -> Reading:
    ends_at = time.monotonic() + policy.deadline * LIST_PAGE_BUDGET
    result = fetch(target.location, policy=policy)
    html = decode_readable(result.content, result.content_type, where=result.url).text
    host = result.url.split("/")[2]
    links = [link for link in absolute_links(html, result.url) if link.split("/")[2:3] == [host]]
    documents: list = []
    todo = [link for link in links if link not in target.known_urls][:LIST_PAGE_LIMIT]
    for done, link in enumerate(todo):
        remaining = ends_at - time.monotonic()
        if remaining <= 0:
            # Not stored, so not known: the next poll starts with these links.
            documents.append(Problem(target.location, gettext_noop(
                "This poll's time ran out after %(done)d of %(count)d links; the other %(left)d wait for "
                "the next poll"), {"done": done, "count": len(todo), "left": len(todo) - done}, warning=True))
            break
        try:
            page = fetch(link, policy=replace(policy, deadline=min(policy.deadline, remaining)))
            documents.append(_named(read_page(page.content, url=page.url, content_type=page.content_type), target))
        except NotAnArticle:
            continue  # navigation links on a list page are expected, not failures
        except (FetchError, UnreadableText) as error:
            documents.append(error.problem(link))
    return Reading(documents)


def read_files(target: Target, policy: FetchPolicy) -> Reading:
    return Reading(list(read_path(Path(target.location).expanduser(), within=target.import_folders)))


def read_url(url: str, policy: FetchPolicy) -> list:
    """One URL given by a person: a feed or a page, decided by its content."""
    from .feeds import FeedError

    result = fetch(url, policy=policy)
    if not is_wechat_article(result.url):
        try:
            feed = parse_feed(result.content, url=result.url, content_type=result.content_type)
            return [*feed.documents, *feed.warnings]
        except FeedError:
            pass
    return [read_page(result.content, url=result.url, content_type=result.content_type)]


#: kind (``SourceKind`` value) → reader. Submissions have no reader: people bring them.
READERS: dict[str, Reader] = {
    "feed": read_feed,
    "page": read_single_page,
    "list_page": read_list_page,
    "file": read_files,
}


__all__ = ["READERS", "Problem", "Reading", "Target", "read_page", "read_url"]
