"""The project's default rule set as a global lexicon in the database.

Used by the data migration (with historical models) and by anything that must restore it
(tests after a database flush): idempotent, it never touches an existing lexicon.
"""

from __future__ import annotations

from wxops.compliance.lexicon import default_allowlist, default_terms

DEFAULT_NAME = "wxops default"


def load_default_lexicon(Lexicon, Term, AllowedPhrase):  # noqa: N803 — model classes, possibly historical
    """Create the global ``wxops default`` lexicon unless it exists; return it."""
    existing = Lexicon.objects.filter(account=None, name=DEFAULT_NAME).first()
    if existing is not None:
        return existing
    lexicon = Lexicon.objects.create(name=DEFAULT_NAME, account=None,
                                     description="The default rule set written by the wxops project (附件一 内容规范).")
    Term.objects.bulk_create([
        Term(lexicon=lexicon, term=t.term, clause=t.clause, severity=t.severity.value, family=t.family,
             pinyin=t.pinyin, suggestion=t.suggestion)
        for t in default_terms()
    ])
    AllowedPhrase.objects.bulk_create([
        AllowedPhrase(lexicon=lexicon, phrase=phrase, note="default near-miss") for phrase in default_allowlist()
    ])
    return lexicon
