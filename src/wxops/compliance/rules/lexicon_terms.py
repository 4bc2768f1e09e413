"""Every lexicon-driven family (1.1–1.9, 2.1, 2.2, 2.4, 3): one scan of the compiled lexicon."""

from __future__ import annotations

from wxops.compliance.findings import clause_title
from wxops.compliance.lexicon import FAMILIES
from wxops.compliance.rules.base import Rule, Subject


class LexiconRule(Rule):
    """Terms of the lexicon in force; each finding carries its term's clause and severity.

    The finding's ``rule`` is the term's family (``ad_law``, ``inducing_share`` …), so a
    reader sees which kind of problem it is, not only that a word matched.
    """

    name = "lexicon"
    clause = "1.9"
    filtered_by_allowlist = False

    def find(self, subject: Subject):
        for entry, start, end in subject.lexicon.scan(subject.text):
            term = entry.term
            message, default_suggestion = FAMILIES.get(term.family, FAMILIES["custom"])
            yield self.finding(
                subject, start, end, severity=term.severity, clause=term.clause, rule=term.family,
                message=f"{message}：「{term.term}」（附件一 {term.clause} {clause_title(term.clause)}）",
                suggestion=term.suggestion or default_suggestion,
            )
