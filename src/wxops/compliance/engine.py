"""Check a text against the content rules: normalise once, run every registered rule.

Pure Python, no Django: the CLI, the API, the admin and the benchmarks all end here.

    >>> from wxops.compliance.engine import check
    >>> report = check("本产品稳赚不赔，转发到朋友圈领红包")
    >>> report.verdict.value, [f.clause for f in report.findings]
    ('block', ['1.9', '2.2'])
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter

import numpy

from wxops.compliance.context import lower_in_context
from wxops.compliance.findings import Finding, Report, Severity
from wxops.compliance.lexicon import CompiledLexicon, default_lexicon
from wxops.compliance.normalise import normalise
from wxops.compliance.rules import RULES, Rule, Subject

#: Beyond this many characters a text is refused rather than checked (about 30 MB of Chinese).
MAX_CHARACTERS = 10_000_000


class TextTooLong(ValueError):
    """The text is longer than :data:`MAX_CHARACTERS`; split it."""


def check(text: str, lexicon: CompiledLexicon | None = None, *, rules: Iterable[Rule] | None = None,
          allowlist: Iterable[str] = ()) -> Report:
    """Check ``text``; findings carry offsets into ``text`` itself.

    ``lexicon`` defaults to the project's default rule set. ``allowlist`` drops findings
    whose text (normalised) is listed, for non-lexicon rules such as a company's own email
    address. Raises :class:`TextTooLong` past :data:`MAX_CHARACTERS`; any other input,
    binary garbage included, gets a report.
    """
    if not isinstance(text, str):
        raise TypeError(f"check() takes text (str), not {type(text).__name__}; decode bytes first")
    if len(text) > MAX_CHARACTERS:
        raise TextTooLong(f"the text has {len(text):,} characters; at most {MAX_CHARACTERS:,} can be checked at once")
    if not text.strip():
        return Report.of(text, ())
    lexicon = lexicon or default_lexicon()
    with collector_paused():
        subject = Subject(normalised=normalise(text), lexicon=lexicon)
        allowed = set(lexicon.allowed) | {normalise(a).text for a in allowlist if a.strip()}
        findings: list[Finding] = []
        for rule in RULES if rules is None else rules:
            found = rule.check(subject)
            if allowed and rule.filtered_by_allowlist and found:
                found = [f for f, key in zip(found, _normalised_texts(found), strict=True) if key not in allowed]
            findings.extend(found)
        return Report.of(text, lower_in_context(text, without_repeats(findings)))


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a check runs, back as it was when the last check ends.

    A dense page makes tens of thousands of findings and the tuples and lists that build them,
    none in a reference cycle: reference counting frees them. With the collector on, those
    allocations set off collections that walk every young object and, about once a check, the
    whole heap (a fifth of a dense 10 MB check's time, measured with ``gc.callbacks``). Counted
    across threads, so concurrent checks never turn it on under each other, and a collector an
    application switched off stays off."""
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


def without_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding where two rules found the same thing (the lexicon's 稳赚不赔 and a phrasing
    of it): of overlapping findings with the same rule and clause, the most severe, then the longest.
    A model finding on a sentence whose words already gave a 1.4/1.8 finding goes: the word says more."""
    findings = _without_worded_sentences(findings)
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.clause)
        group = groups.get(key)
        if group is None:
            groups[key] = [finding]
        else:
            group.append(finding)
    kept: list[Finding] = []
    for group in groups.values():
        if len(group) == 1 or _none_overlap(group):
            kept += group
            continue
        group.sort(key=_repeat_order)
        last = None
        for finding in group:
            if last is not None and finding.start < last.end and finding.end > last.start and finding.end > finding.start:
                if (_RANK[finding.severity], finding.end - finding.start) > (_RANK[last.severity], last.end - last.start):
                    kept[-1] = last = finding
                continue
            kept.append(finding)
            last = finding
    return kept


_RANK = {severity: severity.rank for severity in Severity}


def _repeat_order(finding: Finding) -> tuple[int, int, int]:
    return finding.start, -_RANK[finding.severity], finding.start - finding.end


_START, _END = attrgetter("start"), attrgetter("end")


def _none_overlap(group: list[Finding]) -> bool:
    """Whether no two findings of ``group`` overlap (then the pass below keeps them all): the
    usual case, told with array operations instead of a sort key and a comparison in Python each."""
    starts = numpy.fromiter(map(_START, group), dtype=numpy.int64, count=len(group))
    ends = numpy.fromiter(map(_END, group), dtype=numpy.int64, count=len(group))
    spans = ends > starts  # an empty finding never overlaps
    starts, ends = starts[spans], ends[spans]
    order = numpy.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    return bool((starts[1:] >= numpy.maximum.accumulate(ends)[:-1]).all())


def _without_worded_sentences(findings: list[Finding]) -> list[Finding]:
    """``findings`` without the model's findings on a sentence that holds a worded 1.4/1.8 finding
    (sorted and bisected: a long text with many of both stays linear)."""
    worded = sorted((f.start, f.end) for f in findings if f.clause in ("1.4", "1.8") and f.rule != "model.offensive")
    if not worded:
        return findings
    starts = [start for start, _end in worded]

    def holds_a_worded_finding(finding: Finding) -> bool:
        index = bisect_left(starts, finding.start)
        while index < len(worded) and worded[index][0] <= finding.end:
            if worded[index][1] <= finding.end:
                return True
            index += 1
        return False

    return [f for f in findings if f.rule != "model.offensive" or not holds_a_worded_finding(f)]


def _normalised_texts(found: list[Finding]) -> list[str]:
    """Each finding's text normalised, in one pass (one call per finding cost ~1 ms each).

    An ASCII text only changes case when normalised (nothing else in ASCII folds or goes), so
    numbers, addresses and links skip the normaliser."""
    keys = [f.text.lower() if f.text.isascii() else None for f in found]
    others = [i for i, key in enumerate(keys) if key is None]
    if not others:
        return keys
    texts = [found[i].text for i in others]
    if any("\n" in t for t in texts):
        normalised = [normalise(t).text for t in texts]
    else:  # newlines survive normalisation, so the joined text splits back one for one
        normalised = normalise("\n".join(texts)).text.split("\n")
    for i, text in zip(others, normalised, strict=True):
        keys[i] = text
    return keys
