"""Canonical URLs: the same article reached by different links is one item.

The fragment (``#top``) is dropped — except where it is what tells a feed's entries apart
(``archive.html#109424958546889584``): :func:`canonical_of` keeps it for documents the
feed parser marked ``fragment_identifies``. A link several entries of one feed share
identifies none of them: :func:`canonical_of` is then empty and the entry's guid decides.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only track the click, never change the page.
TRACKING_PARAMETERS = frozenset(
    {"spm", "from", "source", "share_token", "sharer_sharetime", "sharer_shareid", "scene", "clicktime",
     "enterid", "wfr", "isappinstalled", "nsukey", "ref", "fbclid", "gclid", "yclid", "_hsenc", "_hsmi",
     "mc_cid", "mc_eid", "share_from", "chksm", "sessionid"}
)


def canonical_of(document) -> str:
    """The canonical URL of a :class:`~wxops.sources.candidates.Document` (fragment kept when it
    identifies; empty when the link identifies nothing)."""
    if not document.link_identifies:
        return ""
    return canonical_url(document.url, keep_fragment=document.fragment_identifies)


def with_identity(document):
    """``document``, with a guid made of its title and text when it has neither link nor guid
    (a local file, a feed entry without ``<link>``): read again, it is then an exact duplicate,
    where before every poll of a file source stored another copy as a near-duplicate."""
    if document.url or document.guid:
        return document
    text = " ".join(document.text.split())
    key = hashlib.sha256(f"{' '.join(document.title.split())}\n{text}".encode()).hexdigest()
    return replace(document, guid=f"wxops:content:{key}")


def canonical_url(url: str, *, keep_fragment: bool = False) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    parameters sorted. WeChat article links keep ``__biz``, ``mid``, ``idx`` and ``sn``.

    >>> canonical_url("HTTP://Example.COM:80/a?utm_source=x&b=2&a=1#top")
    'http://example.com/a?a=1&b=2'
    """
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), parts.fragment if keep_fragment else ""))
