"""Lexicons as data: terms tied to a clause and a severity, their file formats, and the
compiled automaton that matches them all in one pass.

A lexicon is compiled once (normalising every term the way texts are normalised, adding
pinyin spellings for terms flagged for it, and the allowlist phrases) into one
ahocorasick-rs automaton, leftmost-longest. Allowlist phrases compete in the same scan: a
text's 第一季度 is matched as the longer allowlisted phrase, so a shorter term inside it
never fires. Compiled lexicons are cached by a key (the lexicon's version), so checks
after the first pay nothing for compilation.
"""

from __future__ import annotations

import csv
import io
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import ahocorasick_rs

from wxops.compliance.findings import CLAUSES, Severity, clause_title
from wxops.compliance.normalise import normalise

FAMILIES: dict[str, tuple[str, str]] = {
    # family: (message, default suggestion)
    "politics": ("涉及危害国家安全、统一或荣誉的表述", "删除该表述"),
    "ethnic": ("涉及煽动民族仇恨或歧视的表述", "删除该表述"),
    "cult": ("涉及邪教或封建迷信", "删除该表述"),
    "rumour": ("疑似谣言或煽动传播的表述", "核实信息来源，删除未经证实的内容"),
    "obscenity": ("涉及淫秽色情", "删除该内容"),
    "gambling": ("涉及赌博", "删除该内容"),
    "violence": ("涉及暴力、凶杀或恐怖", "删除该内容"),
    "crime": ("涉及违法犯罪或教唆犯罪", "删除该内容"),
    "insult": ("涉及侮辱、诽谤他人", "改用中性、客观的表述"),
    "ad_law": ("广告法第九条禁止的绝对化用语", "改用可证实的客观描述"),
    "finance_promise": ("金融营销中禁止的收益或保本承诺", "删除收益承诺，并提示「投资有风险」"),
    "prohibited": ("法律法规禁止的其他内容", "删除该内容"),
    "sexual": ("色情或性暗示内容", "删除或改写该表述"),
    "spam": ("垃圾广告用语", "删除营销引导语"),
    "contact_lure": ("引导添加联系方式（骚扰、垃圾广告）", "删除私下联系方式的引导"),
    "inducing_share": ("诱导分享（微信平台明令禁止）", "删除转发、集赞、分享换取奖励的要求"),
    "interference": ("干扰平台正常运营的内容", "删除该内容"),
    "company": ("公司禁止对外发布的内容", "删除或改用对外口径"),
    "custom": ("词库命中", "删除或改写该表述"),
}


class LexiconError(ValueError):
    """A lexicon file or term is malformed; the message says which line and what to fix."""


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    clause: str
    severity: Severity
    family: str = "custom"
    pinyin: bool = False
    suggestion: str = ""

    def __post_init__(self):
        if not self.term.strip():
            raise LexiconError("a term cannot be empty")
        if self.clause not in CLAUSES:
            raise LexiconError(f"clause {self.clause!r} of term {self.term!r} is not one of {', '.join(CLAUSES)}")
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", parse_severity(self.severity, self.term))


def parse_severity(value: str, term: str = "") -> Severity:
    try:
        return Severity(str(value).strip().lower())
    except ValueError:
        raise LexiconError(f"severity {value!r} of term {term!r} must be block, review or advisory") from None


def parse_terms(data: str, *, clause: str = "3", severity: Severity = Severity.REVIEW,
                family: str = "custom") -> list[Term]:
    """Read terms from one-term-per-line text or CSV (``term,clause,severity[,family,pinyin,suggestion]``).

    Lines starting with ``#`` and blank lines are skipped. A one-term-per-line file takes
    ``clause``, ``severity`` and ``family`` for every term. Raises :class:`LexiconError`
    naming the line on a malformed row.
    """
    terms: list[Term] = []
    rows = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    for number, row in enumerate(rows, start=1):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if row[0].strip().lower() == "term":
            continue  # header
        cells = [cell.strip() for cell in row]
        try:
            terms.append(_term_from_cells(cells, clause, severity, family))
        except LexiconError as error:
            raise LexiconError(f"line {number}: {error}") from None
    return terms


def _term_from_cells(cells: list[str], clause: str, severity: Severity, family: str) -> Term:
    def cell(index: int) -> str:
        return cells[index] if len(cells) > index else ""

    return Term(
        term=cells[0],
        clause=cell(1) or clause,
        severity=parse_severity(cell(2), cells[0]) if cell(2) else severity,
        family=cell(3) or family,
        pinyin=cell(4).lower() in {"1", "true", "yes", "y", "pinyin"},
        suggestion=cell(5),
    )


def format_terms(terms: Iterable[Term], *, as_csv: bool = True) -> str:
    """The inverse of :func:`parse_terms` (CSV with a header, or one term per line)."""
    if not as_csv:
        return "".join(f"{t.term}\n" for t in terms)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["term", "clause", "severity", "family", "pinyin", "suggestion"])
    for t in terms:
        writer.writerow([t.term, t.clause, t.severity.value, t.family, "1" if t.pinyin else "0", t.suggestion])
    return out.getvalue()


def default_terms() -> list[Term]:
    """The project's own default rule set (``compliance/data/default_terms.csv``)."""
    text = resources.files("wxops.compliance").joinpath("data/default_terms.csv").read_text("utf-8")
    return parse_terms(text)


def default_allowlist() -> list[str]:
    """Ordinary words that contain a term's characters and must not fire (最近, 第一季度 …)."""
    text = resources.files("wxops.compliance").joinpath("data/near_misses.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def pinyin_spellings(term: str) -> list[str]:
    """Spellings of ``term`` in pinyin: dubo, du bo, and for short terms the mixed 赌bo, du博."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(term)
    if len(syllables) != len(term) or not any("\u4e00" <= c <= "\u9fff" for c in term):
        return []
    spellings = {"".join(syllables), " ".join(syllables)}
    if len(term) <= 4:
        for choice in itertools.product((0, 1), repeat=len(term)):
            if 0 < sum(choice) < len(term):
                spellings.add("".join(s if pick else c for c, s, pick in zip(term, syllables, choice, strict=True)))
    return sorted(spellings)


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True, slots=True)
class Entry:
    """What one pattern of the automaton stands for, and whether an ASCII edge needs a word boundary."""

    term: Term
    needs_left_boundary: bool
    needs_right_boundary: bool


class CompiledLexicon:
    """Terms and allowlist compiled for matching normalised text.

    Terms go into one leftmost-longest automaton. Allowlisted phrases go into a second,
    small one that is only run on a short window around each term found: a term is dropped
    when an allowlisted phrase overlaps it and is not strictly inside it (全国第一次 drops
    全国第一 because of 第一次; 最后上车机会 keeps firing although it contains 最后; a phrase
    equal to the term silences it).
    """

    def __init__(self, terms: Iterable[Term], allowlist: Iterable[str] = ()):
        terms = list(terms)
        terms = [t for t in terms if "\n" not in t.term]
        # One normalise() call for all terms: newlines survive normalisation, so the
        # joined text splits back into exactly one normalised pattern per term.
        normalised = normalise("\n".join(t.term.strip() for t in terms)).text.split("\n") if terms else []
        chosen: dict[str, Term] = {}
        for term, pattern in zip(terms, normalised, strict=True):
            patterns = [pattern] if pattern else []
            if term.pinyin and pattern:
                patterns += pinyin_spellings(pattern)
            for candidate in patterns:
                held = chosen.get(candidate)
                if held is None or term.severity.rank > held.severity.rank:
                    chosen[candidate] = term
        patterns = list(chosen)
        self.entries = [Entry(chosen[p], _is_ascii_word(p[0]), _is_ascii_word(p[-1])) for p in patterns]
        self.size = len(patterns)
        self.automaton = (
            ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
            if patterns else None
        )
        allowed = sorted({normalise(phrase.strip()).text for phrase in allowlist} - {""})
        self.allowed = frozenset(allowed)
        self._reach = max((len(p) for p in allowed), default=0)
        self._allow = ahocorasick_rs.AhoCorasick(allowed) if allowed else None
        self._allowed_characters = frozenset("".join(allowed))
        self._patterns = patterns
        # Per pattern index: can an allowlisted phrase overlap it at all? Only if they share a
        # character (the overlap is made of the pattern's own characters); asked once per pattern.
        self._may_be_allowed: dict[int, bool] = {}
        self._described: dict[int, tuple[str, str, Severity, str, str]] = {}

    def described(self, entry: Entry) -> tuple[str, str, Severity, str, str]:
        """``(rule, clause, severity, message, suggestion)`` of a finding of ``entry`` — the rule is
        the term's family — written once per term, not once per finding."""
        said = self._described.get(id(entry))
        if said is None:
            term = entry.term
            message, default_suggestion = FAMILIES.get(term.family, FAMILIES["custom"])
            said = (term.family, term.clause, term.severity,
                    f"{message}：「{term.term}」（附件一 {term.clause} {clause_title(term.clause)}）",
                    term.suggestion or default_suggestion)
            self._described[id(entry)] = said
        return said

    def _allowlisted(self, text: str, start: int, end: int) -> bool:
        offset = max(0, start - self._reach)
        window = text[offset:end + self._reach]
        for _index, a_start, a_end in self._allow.find_matches_as_indexes(window, overlapping=True):
            a_start += offset
            a_end += offset
            strictly_inside = a_start >= start and a_end <= end and a_end - a_start < end - start
            if a_start < end and a_end > start and not strictly_inside:
                return True
        return False

    def scan(self, text: str):
        """Yield ``(entry, start, end)`` for every term found in normalised ``text``."""
        if self.automaton is None:
            return
        size = len(text)
        for index, start, end in self.automaton.find_matches_as_indexes(text):
            entry = self.entries[index]
            if entry.needs_left_boundary and start > 0 and _is_ascii_word(text[start - 1]):
                continue
            if entry.needs_right_boundary and end < size and _is_ascii_word(text[end]):
                continue
            if self._allow is not None:
                may = self._may_be_allowed.get(index)
                if may is None:
                    may = self._may_be_allowed[index] = not self._allowed_characters.isdisjoint(self._patterns[index])
                if may and self._allowlisted(text, start, end):
                    continue
            yield entry, start, end


_cache: OrderedDict[str, CompiledLexicon] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 32


def compiled(key: str, build) -> CompiledLexicon:
    """The compiled lexicon cached under ``key``; ``build()`` makes it on a miss.

    Give a key that changes whenever the content does (a version number, a content hash).
    """
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    lexicon = build()
    with _cache_lock:
        _cache[key] = lexicon
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return lexicon


def default_lexicon() -> CompiledLexicon:
    """The project's default rule set, compiled once per process."""
    return compiled("default", lambda: CompiledLexicon(default_terms(), default_allowlist()))
