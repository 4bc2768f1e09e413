"""Decode fetched bytes to text before any parser sees them.

Real Chinese sources lie about their encoding: feeds declare ``gb2312`` and use GBK
characters, pages declare ``gb2312`` and are UTF-8, some declare nothing. The XML parser
in the standard library rejects every multi-byte legacy encoding outright. So wxops
decides the encoding itself, in this order, and hands parsers Unicode text:

1. a byte-order mark;
2. strict UTF-8 (a legacy-encoded Chinese text almost never decodes as valid UTF-8,
   so a strict success beats any declaration);
3. the declared charsets (HTTP header, then ``<?xml encoding>``, then ``<meta charset>``),
   widened to their supersets (GB2312/GBK → GB18030, Big5 → CP950) and accepted only
   if they decode without errors;
4. charset-normalizer's best guess;
5. GB18030 with replacement characters, as a last resort that still yields text.

A legacy decoding that succeeds can still be wrong: Big5 bytes declared as gb2312 decode
"cleanly" as GB18030 into rare characters (mojibake). So a legacy decoding must also be
*plausible* — most of its Chinese characters common ones (:func:`plausible`) — or the
other candidates are tried; when none is plausible, :attr:`DecodedText.plausible` is False
and callers store nothing — :func:`decode_readable` raises :class:`UnreadableText` then.

No Django imports: this module is shared by the fetcher, the feed parser, the page
extractor and the benchmarks.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

import charset_normalizer

from .candidates import ExplainedError, gettext_noop

#: Legacy charsets replaced by the superset that decodes everything they can, and more.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "cp950",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "cp950",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the encoding used, how it was chosen, and whether it reads as text."""

    text: str
    encoding: str
    how: str  # "bom", "utf-8", "declared", "detected" or "fallback"
    declared: str | None = None
    plausible: bool = True
    tried: tuple[str, ...] = ()


#: Below this share of common characters among its Chinese characters, a text is mojibake.
#: Real Simplified or Traditional news text scores above 0.95; Big5 read as GBK about 0.5.
PLAUSIBLE_SHARE = 0.8
#: Texts with fewer Chinese characters than this are not judged (too little to tell).
MIN_HAN_TO_JUDGE = 20
#: Alternatives tried when the chosen legacy decoding is not plausible.
ALTERNATIVES = ("gb18030", "cp950", "big5hkscs", "utf-8")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The ~9,000 most used Chinese characters: GB2312 level 1 (simplified) and Big5 常用字 (traditional)."""
    found = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for code in range(0xA440, 0xC67F):
        high, low = divmod(code, 256)
        if 0x40 <= low <= 0x7E or 0xA1 <= low <= 0xFE:
            try:
                found.add(bytes([high, low]).decode("cp950"))
            except UnicodeDecodeError:
                continue
    return frozenset(found)


def common_share(text: str) -> float | None:
    """Share of common characters among the Chinese characters of ``text``; None with too few to judge."""
    han = [char for char in text if _is_han(char)]
    odd = text.count("\ufffd") + sum(1 for char in text if "\ue000" <= char <= "\uf8ff")
    if len(han) + odd < MIN_HAN_TO_JUDGE:
        return None
    common = common_han()
    return sum(1 for char in han if char in common) / (len(han) + odd)


def plausible(text: str) -> bool:
    """Does ``text`` read as Chinese (or as no Chinese at all), rather than mojibake?"""
    share = common_share(text)
    return share is None or share >= PLAUSIBLE_SHARE


def normalise_charset(name: str | None) -> str | None:
    """Return the Python codec to use for a declared charset name, or None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name if name not in SUPERSETS.values() else name
    except LookupError:
        return None


def declared_charsets(data: bytes, content_type: str | None = None) -> list[str]:
    """Every charset the bytes or their Content-Type claim, in order of precedence."""
    found: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            found.append(match.group(1))
    head = data[:4096]
    match = _XML_DECLARATION.search(head)
    if match:
        found.append(match.group(1).decode("ascii"))
    match = _META_CHARSET.search(head if len(data) <= 4096 else data[:16384])
    if match:
        found.append(match.group(1).decode("ascii"))
    return found


def decode(data: bytes, content_type: str | None = None) -> DecodedText:
    """Decode ``data`` to text, choosing the encoding as the module docstring explains.

    Never raises on undecodable bytes: the last resort replaces them.

    >>> decode("中文".encode("gbk"), "text/xml; charset=gb2312").encoding
    'gb18030'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return DecodedText(data.decode(codec, errors="replace"), codec.replace("-sig", ""), "bom")
    declared = declared_charsets(data, content_type)
    first_declared = declared[0].lower() if declared else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return DecodedText(text, "utf-8", "utf-8", first_declared)
    candidates: list[tuple[str, str]] = []
    for name in declared:
        codec = normalise_charset(name)
        if codec is not None and codec != "utf-8":
            candidates.append((codec, "declared"))
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        candidates.append((normalise_charset(best.encoding) or best.encoding, "detected"))
    candidates += [(codec, "detected") for codec in ALTERNATIVES]
    tried: list[str] = []
    for codec, how in candidates:
        if codec in tried:
            continue
        tried.append(codec)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if plausible(text):
            return DecodedText(text, codec, how, first_declared, True, tuple(tried))
    text = data.decode("gb18030", errors="replace")
    return DecodedText(text, "gb18030", "fallback", first_declared, plausible(text), tuple(tried))


class UnreadableText(ExplainedError, ValueError):
    """No charset reads these bytes as plausible text: storing them would store mojibake."""


def decode_readable(data: bytes, content_type: str | None = None, *, where: str = "") -> DecodedText:
    """:func:`decode`, refusing text no candidate charset reads plausibly.

    Raises :class:`UnreadableText` (its message says what was declared and tried) — for
    pages, WeChat articles and local files as for feeds: store nothing you cannot read.
    """
    decoded = decode(data, content_type)
    if not decoded.plausible:
        raise UnreadableText(gettext_noop(
            "Cannot read the text of %(where)s: it decodes to unreadable characters (declared %(declared)s, "
            "tried %(tried)s); nothing was stored"), where=where or "-", declared=decoded.declared or "-",
            tried=", ".join(decoded.tried) or decoded.encoding)
    return decoded


def strip_xml_prologue_noise(text: str) -> str:
    """Drop whitespace before ``<?xml`` and rewrite its encoding to utf-8.

    Feeds that start with a blank line are rejected by strict XML parsers ("XML
    declaration not at start of entity"); once decoded, the declared encoding is a lie
    for the UTF-8 bytes the parser will see.
    """
    text = text.lstrip("\ufeff \t\r\n")
    return re.sub(
        r"""^(<\?xml[^>]*?encoding\s*=\s*)["'][A-Za-z0-9._:-]+["']""", r'\1"utf-8"', text, count=1
    )
