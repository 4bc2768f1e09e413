"""The registry of rules every check runs, registered explicitly, in order."""

from wxops.compliance.rules.base import Rule, RuleRegistry, Subject
from wxops.compliance.rules.lexicon_terms import LexiconRule
from wxops.compliance.rules.links import ExternalLinkRule
from wxops.compliance.rules.offensive import OffensiveLanguageRule
from wxops.compliance.rules.phrasings import PhrasingRule
from wxops.compliance.rules.pii import PersonalInformationRule

RULES = RuleRegistry()
RULES.register(LexiconRule)
RULES.register(PhrasingRule)
RULES.register(PersonalInformationRule)
RULES.register(ExternalLinkRule)
RULES.register(OffensiveLanguageRule)

__all__ = ["RULES", "Rule", "RuleRegistry", "Subject"]
