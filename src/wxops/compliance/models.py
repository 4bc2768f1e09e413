"""Lexicons, their terms and allowlists, and decisions on single findings.

A lexicon belongs to one account or, with no account, is a global default that applies to
every account. The default rule set written by the project is loaded into a global
lexicon by a data migration, so it is edited like any other.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from wxops.compliance.findings import CLAUSES, Severity
from wxops.compliance.lexicon import FAMILIES

CLAUSE_CHOICES = [(clause, f"{clause} {title}") for clause, title in CLAUSES.items()]
FAMILY_CHOICES = [(family, family) for family in FAMILIES]
#: The choices of :class:`wxops.compliance.findings.Severity`, the one severity of wxops.
SEVERITY_CHOICES = [(severity.value, _(severity.description)) for severity in Severity]


class Lexicon(models.Model):
    """A named, versioned list of terms; global (no account) or one account's own."""

    name = models.CharField(_("name"), max_length=100)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="lexicons", verbose_name=_("account"),
                                help_text=_("Empty: a global lexicon that applies to every account."))
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False,
                                          help_text=_("Raised by every change to its terms or allowlist; each change is in the history."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lexicon")
        verbose_name_plural = _("lexicons")
        ordering = ["account__name", "name"]
        constraints = [models.UniqueConstraint(fields=["account", "name"], name="lexicon_unique_name_per_account")]

    def __str__(self) -> str:
        return f"{self.name} ({self.account or _('global')})"

    def content_key(self) -> str:
        """Changes whenever the lexicon's terms or allowlist change: the compiled-cache key."""
        terms = self.terms.aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"))
        allowed = self.allowed_phrases.aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"))
        raw = (f"{self.pk}:{self.version}:{self.updated_at}:{terms['n']}:{terms['last']}:{terms['ids']}:"
               f"{allowed['n']}:{allowed['last']}:{allowed['ids']}")
        return hashlib.sha256(raw.encode()).hexdigest()[:20]


class Term(models.Model):
    lexicon = models.ForeignKey(Lexicon, on_delete=models.CASCADE, related_name="terms", verbose_name=_("lexicon"))
    term = models.CharField(_("term"), max_length=100)
    clause = models.CharField(_("clause"), max_length=4, choices=CLAUSE_CHOICES, default="3")
    severity = models.CharField(_("severity"), max_length=8, choices=SEVERITY_CHOICES,
                                default=Severity.REVIEW.value)
    family = models.CharField(_("family"), max_length=32, choices=FAMILY_CHOICES, default="custom")
    pinyin = models.BooleanField(_("match pinyin too"), default=False,
                                 help_text=_("Also match the term written in pinyin (dubo, du bo, 赌bo)."))
    suggestion = models.CharField(_("suggestion"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["lexicon", "clause", "term"]
        constraints = [models.UniqueConstraint(fields=["lexicon", "term"], name="term_unique_per_lexicon")]

    def __str__(self) -> str:
        return self.term


class AllowedPhrase(models.Model):
    """A known false positive: a phrase that contains a term but must not fire (第一季度)."""

    lexicon = models.ForeignKey(Lexicon, on_delete=models.CASCADE, related_name="allowed_phrases",
                                verbose_name=_("lexicon"))
    phrase = models.CharField(_("phrase"), max_length=200)
    note = models.CharField(_("why it is allowed"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("allowed phrase")
        verbose_name_plural = _("allowlist")
        ordering = ["lexicon", "phrase"]
        constraints = [models.UniqueConstraint(fields=["lexicon", "phrase"], name="allowed_phrase_unique_per_lexicon")]

    def __str__(self) -> str:
        return self.phrase


class Decision(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("acknowledged by a reviewer")
    OVERRIDDEN = "overridden", _("overridden by an administrator")
    REVOKED = "revoked", _("revoked")


#: Allowed transitions of a finding decision; nothing else assigns ``Finding.decision``.
DECISION_TRANSITIONS: dict[str, set[str]] = {
    Decision.ACKNOWLEDGED: {Decision.OVERRIDDEN, Decision.REVOKED},
    Decision.OVERRIDDEN: {Decision.REVOKED},
    Decision.REVOKED: {Decision.ACKNOWLEDGED, Decision.OVERRIDDEN},
}


class FindingDecision(models.Model):
    """A decision on one finding of one object (an article): acknowledged or overridden.

    Findings themselves (:class:`wxops.compliance.findings.Finding`) are computed on every
    check and never stored; only decisions on them are. A decision
    matches a finding by its fingerprint (rule, clause, text), so it survives edits that
    move the text around, and stops matching when the text itself changes.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.CharField(_("object id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=64)
    fingerprint = models.CharField(_("fingerprint"), max_length=32)
    rule = models.CharField(_("rule"), max_length=64)
    clause = models.CharField(_("clause"), max_length=4, choices=CLAUSE_CHOICES)
    severity = models.CharField(_("severity"), max_length=8, choices=SEVERITY_CHOICES)
    text = models.CharField(_("text found"), max_length=500)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("finding decision")
        verbose_name_plural = _("finding decisions")
        ordering = ["-decided_at"]
        permissions = [("override_finding", "Can override a blocking finding")]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "field", "fingerprint"],
                                               name="one_decision_per_finding")]

    def __str__(self) -> str:
        return f"{self.clause} {self.text} → {self.get_decision_display()}"
