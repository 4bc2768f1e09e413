"""The project's default rule set as a global lexicon in the database.

Used by the data migration (with historical models) and by anything that must restore it
(tests after a database flush): idempotent, it never touches an existing lexicon.
"""

from __future__ import annotations

from wxops.compliance.lexicon import default_allowlist, default_terms

DEFAULT_NAME = "wxops default"  # a handle people type (wxops compliance export --lexicon), kept as is
#: What the default rule set's rows say, read by editors in the admin's lists (in Chinese, as the desk is).
DEFAULT_DESCRIPTION = "wxops 项目编写的默认规则集（附件一 内容规范）。"
NEAR_MISS_NOTE = "默认：与禁用词相近的正常说法"


def load_default_lexicon(Lexicon, Term, AllowedPhrase):  # noqa: N803 — model classes, possibly historical
    """Create the global ``wxops default`` lexicon unless it exists; return it."""
    existing = Lexicon.objects.filter(account=None, name=DEFAULT_NAME).first()
    if existing is not None:
        return existing
    lexicon = Lexicon.objects.create(name=DEFAULT_NAME, account=None,
                                     description=DEFAULT_DESCRIPTION)
    Term.objects.bulk_create([
        Term(lexicon=lexicon, term=t.term, clause=t.clause, severity=t.severity.value, family=t.family,
             pinyin=t.pinyin, suggestion=t.suggestion)
        for t in default_terms()
    ])
    AllowedPhrase.objects.bulk_create([
        AllowedPhrase(lexicon=lexicon, phrase=phrase, note=NEAR_MISS_NOTE) for phrase in default_allowlist()
    ])
    return lexicon
