"""The shape every rule shares: the base owns orchestration, a rule implements :meth:`Rule.find`.

A rule that raises never lets a text pass silently: the base turns the error into a
``review`` finding that says which rule failed, and logs it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from wxops.compliance.char_classes import CharIndex
from wxops.compliance.findings import Finding, Severity
from wxops.compliance.lexicon import CompiledLexicon
from wxops.compliance.normalise import Normalised

logger = logging.getLogger("wxops.compliance")


@dataclass(frozen=True)
class Subject:
    """What a rule looks at: the original text, its normalised view, the lexicon in force."""

    normalised: Normalised
    lexicon: CompiledLexicon

    @cached_property
    def characters(self) -> CharIndex:
        """Where the digits, spaces, dots and ASCII runs of :attr:`text` are (computed once, shared)."""
        return CharIndex.of(self.normalised.code_points())

    @property
    def original(self) -> str:
        return self.normalised.original

    @property
    def text(self) -> str:
        return self.normalised.text


class Rule:
    """Base of all rules. Subclasses set ``name`` and ``clause`` and implement :meth:`find`."""

    name: ClassVar[str] = ""
    clause: ClassVar[str] = ""
    #: Whether the engine drops this rule's findings whose text is allowlisted; a rule that
    #: applies the allowlist itself (the lexicon) says False.
    filtered_by_allowlist: ClassVar[bool] = True

    def check(self, subject: Subject) -> list[Finding]:
        """Run the rule; never raises (a failure becomes a ``review`` finding)."""
        began = time.perf_counter()
        try:
            findings = list(self.find(subject))
        except Exception:
            logger.exception("compliance rule %s failed", self.name)
            return [Finding(rule=self.name, clause=self.clause, severity=Severity.REVIEW, start=0, end=0,
                            text="", message=f"规则 {self.name} 运行出错，需人工审核 (rule failed; review by hand)")]
        elapsed = time.perf_counter() - began
        if elapsed > 1:
            logger.info("compliance rule %s took %.2fs on %d characters", self.name, elapsed, len(subject.original))
        return findings

    def find(self, subject: Subject) -> Iterable[Finding]:
        """Yield the findings of this rule in ``subject``; offsets via :meth:`finding`."""
        raise NotImplementedError

    def finding(self, subject: Subject, start: int, end: int, *, severity: Severity, message: str,
                suggestion: str = "", clause: str | None = None, rule: str | None = None) -> Finding:
        """A finding at normalised ``[start, end)``, reported at its place in the original."""
        normalised = subject.normalised
        o_start, o_end = normalised.span(start, end)
        return Finding(rule or self.name, clause or self.clause, severity, o_start, o_end,
                       normalised.original[o_start:o_end], message, suggestion)


#: A finding before its offsets are mapped back: ``(start, end, rule, clause, severity, message,
#: suggestion)`` with ``[start, end)`` in the normalised text.
Found = tuple[int, int, str, str, Severity, str, str]


def findings_at(subject: Subject, found: list[Found]) -> list[Finding]:
    """The findings of ``found``, their offsets mapped back to the original all at once (what
    :meth:`Rule.finding` does one by one, for rules that find thousands)."""
    if not found:
        return []
    starts, ends = subject.normalised.spans([f[0] for f in found], [f[1] for f in found])
    original = subject.original
    return [Finding(rule, clause, severity, start, end, original[start:end], message, suggestion)
            for (_s, _e, rule, clause, severity, message, suggestion), start, end in zip(found, starts, ends, strict=True)]


class RuleRegistry:
    """The one explicit list of rules a check runs, in order."""

    def __init__(self) -> None:
        self._classes: dict[str, type[Rule]] = {}
        self._instances: tuple[Rule, ...] = ()

    def register(self, rule_class: type[Rule]) -> type[Rule]:
        if not rule_class.name or not rule_class.clause:
            raise ValueError(f"{rule_class.__name__} needs a name and a clause")
        if rule_class.name in self._classes:
            raise ValueError(f"a rule named {rule_class.name!r} is already registered")
        self._classes[rule_class.name] = rule_class
        self._instances = (*self._instances, rule_class())
        return rule_class

    def names(self) -> list[str]:
        return list(self._classes)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._instances)
