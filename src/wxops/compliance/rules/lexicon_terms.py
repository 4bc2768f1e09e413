"""Every lexicon-driven family (1.1–1.9, 2.1, 2.2, 2.4, 3): one scan of the compiled lexicon."""

from __future__ import annotations

import re

import numpy

from wxops.compliance import char_classes
from wxops.compliance.findings import Finding
from wxops.compliance.rules.base import Found, Rule, Subject, findings_at

#: Three or more single letters, each apart by up to three separators.
#: (The look-behind comes after the first letter so that the regex engine can skip ahead to
#: letters: five times faster on Chinese text.)
SPACED_LETTERS = re.compile(r"[a-z](?<![a-z0-9][a-z])(?:[ .\-_*/·]{1,3}[a-z]){2,}(?![a-z0-9])")


class LexiconRule(Rule):
    """Terms of the lexicon in force; each finding carries its term's clause and severity.

    The finding's ``rule`` is the term's family (``ad_law``, ``inducing_share`` …), so a
    reader sees which kind of problem it is, not only that a word matched.
    """

    name = "lexicon"
    clause = "1.9"
    filtered_by_allowlist = False

    def find(self, subject: Subject) -> list[Finding]:
        found = self._found(subject, subject.lexicon.scan(subject.text))
        # Letters spaced out to dodge a filter (d u b o, f.a.k.e): the run is read without its
        # separators; only the lexicon's ASCII spellings (pinyin, Latin names) can match it.
        text = subject.text
        for match in spaced_letters(text, subject.characters):
            positions = [i for i in range(match.start(), match.end()) if "a" <= text[i] <= "z"]
            collapsed = "".join(text[i] for i in positions)
            found += self._found(subject, ((entry, positions[start], positions[end - 1] + 1)
                                           for entry, start, end in subject.lexicon.scan(collapsed)))
        return findings_at(subject, found)

    @staticmethod
    def _found(subject: Subject, matches) -> list[Found]:
        described = subject.lexicon.described
        return [(start, end, *described(entry)) for entry, start, end in matches]


def spaced_letters(text: str, characters: char_classes.CharIndex):
    """:data:`SPACED_LETTERS`'s matches in ``text``, the pattern run only where three letters follow
    each other 2–4 characters apart (every match has that; a Chinese page has few such places, and
    scanning the whole of it cost more than the rest of this rule)."""
    letters = characters.where(char_classes.LETTER)
    gaps = numpy.diff(letters)
    close = (gaps >= 2) & (gaps <= 4)
    chained = numpy.flatnonzero(close[:-1] & close[1:])  # letters i, i + 1 and i + 2, each close to the next
    windows: list[list[int]] = []
    # Up to the character after the third letter, which the pattern's look-ahead reads.
    for low, high in zip(letters[chained].tolist(), (letters[chained + 2] + 2).tolist(), strict=True):
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    for low, high in windows:
        yield from SPACED_LETTERS.finditer(text, low, min(high, len(text)))
