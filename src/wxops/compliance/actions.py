"""The content rules as the rest of wxops uses them: check texts and articles, decide on findings,
import and export lexicons.

    from wxops.compliance import actions
    report = actions.check_text("稳赚不赔", account=account)      # → findings.Report
    result = actions.check_document(article)                      # → article_check.DocumentReport
    result.verdict                                                # Verdict.BLOCK / REVIEW / PASS
"""

from __future__ import annotations

import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, ProgrammingError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wxops.compliance import article_check
from wxops.compliance import lexicon as lexicon_data
from wxops.compliance.engine import check
from wxops.compliance.findings import Finding, Report, Severity
from wxops.compliance.html_text import extract
from wxops.compliance.images import ImageText, read_image
from wxops.compliance.models import (
    DECISION_TRANSITIONS,
    AllowedPhrase,
    Decision,
    FindingDecision,
    Lexicon,
    Term,
)
from wxops.core import audit, clock

logger = logging.getLogger("wxops.compliance")

AUDIT_ACKNOWLEDGE = "wxops.compliance.acknowledge"
AUDIT_OVERRIDE = "wxops.compliance.override"
AUDIT_REVOKE = "wxops.compliance.revoke"
AUDIT_IMPORT = "wxops.compliance.import"


# ---------------------------------------------------------------- lexicons in force


def _account_pk(account) -> int | None:
    return getattr(account, "pk", account)


def lexicons_for(account=None):
    """The active lexicons that apply to ``account``: the global ones and the account's own."""
    query = Q(account__isnull=True)
    if account is not None:
        query |= Q(account=_account_pk(account))
    return Lexicon.objects.filter(query, active=True).order_by("pk")


def effective_lexicon(account=None) -> lexicon_data.CompiledLexicon:
    """The compiled lexicon for ``account``, cached until any of its lexicons changes.

    With no active lexicon at all (every one deleted or switched off), the project's
    default rule set applies: an empty checker would pass everything silently.
    """
    try:
        lexicons = list(lexicons_for(account))
    except (OperationalError, ProgrammingError):
        # A database without wxops's tables (``wxops migrate`` not run yet): check with the
        # built-in rules rather than fail; inside a transaction the error must propagate.
        if transaction.get_connection().in_atomic_block:
            raise
        logger.warning("the compliance tables are missing (run wxops migrate); using the built-in rule set")
        return lexicon_data.default_lexicon()
    if not lexicons:
        logger.warning("no active lexicon for account %s; using the built-in default rule set", account)
        return lexicon_data.default_lexicon()
    key = "db:" + ",".join(lx.content_key() for lx in lexicons)

    def build() -> lexicon_data.CompiledLexicon:
        ids = [lx.pk for lx in lexicons]
        terms = [
            lexicon_data.Term(t.term, t.clause, Severity(t.severity), t.family, t.pinyin, t.suggestion)
            for t in Term.objects.filter(lexicon__in=ids).only("term", "clause", "severity", "family", "pinyin",
                                                                "suggestion")
        ]
        allowed = AllowedPhrase.objects.filter(lexicon__in=ids).values_list("phrase", flat=True)
        return lexicon_data.CompiledLexicon(terms, allowed)

    return lexicon_data.compiled(key, build)


# ---------------------------------------------------------------- checking


def check_text(text: str, account=None, *, html: bool = False) -> Report:
    """Check one text (or, with ``html=True``, the extracted text of an HTML fragment).

    Offsets are into ``text`` itself, or into the extracted text for HTML (``report.text``).
    """
    if html:
        text = extract(text).text
    return check(text, effective_lexicon(account))


def _image_inputs(article) -> tuple[article_check.ImageInput, ...]:
    from wagtail.images import get_image_model

    pictures = []
    cover = getattr(article, "cover", None)
    if cover is not None:
        pictures.append(("cover", cover))
    body = getattr(article, "body", "") or ""
    embed_ids = [source.split(":", 1)[1] for source in extract(body).images if source.startswith("embed:")]
    if embed_ids:
        found = {str(p.pk): p for p in get_image_model().objects.filter(pk__in=[i for i in embed_ids if i.isdigit()])}
        for image_id in embed_ids:
            pictures.append((f"body-{image_id}", found.get(image_id)))
    inputs = []
    for name, picture in pictures:
        if picture is None:
            inputs.append(article_check.ImageInput(name, None, "正文中插入的图片已不存在"))
            continue
        try:
            with picture.file.open("rb") as handle:
                inputs.append(article_check.ImageInput(f"{name} {picture.title}", handle.read()))
        except OSError as error:
            inputs.append(article_check.ImageInput(f"{name} {picture.title}", None, f"无法打开图片文件（{error}）"))
    return tuple(inputs)


OCR_CACHE_SECONDS = 30 * 24 * 3600


def cached_read_image(data: bytes) -> ImageText:
    """:func:`images.read_image`, remembered by the image's content hash (OCR takes ~0.5 s an image).

    Failures are not cached: the next check tries again.
    """
    from django.core.cache import cache

    key = "wxops:compliance:image:" + hashlib.sha256(data).hexdigest()
    hit = cache.get(key)
    if isinstance(hit, dict):
        return ImageText(text=hit["text"], qr_codes=tuple(hit["qr_codes"]))
    read = read_image(data)
    if not read.error:
        cache.set(key, {"text": read.text, "qr_codes": list(read.qr_codes)}, OCR_CACHE_SECONDS)
    return read


def decisions_for(obj) -> dict[tuple[str, str], str]:
    content_type = ContentType.objects.get_for_model(obj)
    rows = FindingDecision.objects.filter(content_type=content_type, object_id=str(obj.pk)).exclude(decision=Decision.REVOKED)
    return {(row.field, row.fingerprint): row.decision for row in rows}


def check_document(article, account=None, *, images: bool = True, reader=cached_read_image) -> article_check.DocumentReport:
    """Check an article's title, author, digest, body and (unless ``images=False``) its pictures.

    Works on any object with ``title``, ``author``, ``digest``, ``body`` (rich text HTML),
    optionally ``cover`` and ``account``. Decisions on single findings are applied.
    """
    document = article_check.Document(
        title=getattr(article, "title", "") or "",
        author=getattr(article, "author", "") or "",
        digest=getattr(article, "digest", "") or "",
        body_html=getattr(article, "body", "") or "",
        images=_image_inputs(article) if images else (),
    )
    account = account if account is not None else getattr(article, "account", None)
    decisions = decisions_for(article) if getattr(article, "pk", None) else {}
    return article_check.check_document(document, effective_lexicon(account), decisions=decisions, reader=reader)


# ---------------------------------------------------------------- decisions on single findings


def can_override(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("compliance.override_finding")))


def can_acknowledge(user) -> bool:
    return bool(user and user.is_active and (can_override(user) or user.has_perm("compliance.change_findingdecision")))


@transaction.atomic
def decide(user, obj, field: str, finding: Finding, decision: str, reason: str) -> FindingDecision:
    """Record ``decision`` (acknowledged / overridden / revoked) on one finding of ``obj``, with a reason.

    Acknowledging needs the reviewer's permission and applies to review and advisory
    findings; overriding (the only way past a ``block``) needs an administrator. Both are
    written to the audit log of ``obj``.
    """
    reason = (reason or "").strip()
    if decision not in Decision.values:
        raise ValidationError(_("Unknown decision %(decision)s.") % {"decision": decision})
    if decision == Decision.OVERRIDDEN and not can_override(user):
        raise PermissionDenied(_("Only an administrator may override a finding."))
    if not can_acknowledge(user):
        raise PermissionDenied(_("You may not decide on content-rule findings."))
    if decision == Decision.ACKNOWLEDGED and finding.severity == Severity.BLOCK:
        raise ValidationError(_("A blocking finding cannot be acknowledged; an administrator must override it."))
    if len(reason) < 4:
        raise ValidationError(_("Write the reason for this decision (at least a few words)."))
    content_type = ContentType.objects.get_for_model(obj)
    row = FindingDecision.objects.select_for_update().filter(
        content_type=content_type, object_id=str(obj.pk), field=field, fingerprint=finding.fingerprint).first()
    if row is not None and decision not in DECISION_TRANSITIONS[row.decision]:
        raise ValidationError(_("This finding is already %(state)s.") % {"state": row.get_decision_display()})
    if row is None:
        if decision == Decision.REVOKED:
            raise ValidationError(_("There is no decision on this finding to revoke."))
        row = FindingDecision(content_type=content_type, object_id=str(obj.pk), field=field, fingerprint=finding.fingerprint)
    row.rule, row.clause, row.severity, row.text = finding.rule, finding.clause, finding.severity.value, finding.text[:500]
    row.decision, row.reason, row.decided_by, row.decided_at = decision, reason, user, clock.now()
    row.save()
    action = {Decision.ACKNOWLEDGED: AUDIT_ACKNOWLEDGE, Decision.OVERRIDDEN: AUDIT_OVERRIDE,
              Decision.REVOKED: AUDIT_REVOKE}[decision]
    audit.record(obj, action, user=user, data={
        "field": field, "rule": finding.rule, "clause": finding.clause, "severity": finding.severity.value,
        "text": finding.text[:200], "reason": reason,
    })
    return row


# ---------------------------------------------------------------- versions


def lexicons_changed(lexicon_ids) -> None:
    """Raise the version of each lexicon whose terms or allowlist were edited (admin, import)."""
    from django.db.models import F

    Lexicon.objects.filter(pk__in=set(lexicon_ids)).update(version=F("version") + 1, updated_at=clock.now())


# ---------------------------------------------------------------- import / export


@transaction.atomic
def import_terms(user, lexicon: Lexicon, data: str, *, clause: str = "3", severity: str = Severity.REVIEW.value,
                 family: str = "custom", replace: bool = False) -> int:
    """Import terms (CSV or one per line, see :func:`lexicon.parse_terms`) into ``lexicon``.

    Existing terms are updated, new ones added; ``replace=True`` first removes the rest.
    Raises ValidationError naming the bad line. Returns how many terms were read.
    """
    try:
        terms = lexicon_data.parse_terms(data, clause=clause, severity=Severity(severity), family=family)
    except (lexicon_data.LexiconError, ValueError) as error:
        raise ValidationError(str(error)) from None
    unknown = sorted({t.family for t in terms} - set(lexicon_data.FAMILIES))
    if unknown:
        raise ValidationError(_("Unknown family %(family)s; use one of %(known)s.")
                              % {"family": ", ".join(unknown), "known": ", ".join(lexicon_data.FAMILIES)})
    too_long = [t.term for t in terms if len(t.term) > 100]
    if too_long:
        raise ValidationError(_("Term too long (at most 100 characters): %(term)s") % {"term": too_long[0][:40]})
    if replace:
        lexicon.terms.exclude(term__in=[t.term for t in terms]).delete()
    existing = {t.term: t for t in lexicon.terms.all()}
    new, changed = [], []
    for t in {t.term: t for t in terms}.values():
        row = existing.get(t.term) or Term(lexicon=lexicon, term=t.term)
        row.clause, row.severity, row.family, row.pinyin, row.suggestion = (
            t.clause, t.severity.value, t.family, t.pinyin, t.suggestion)
        (changed if row.pk else new).append(row)
    Term.objects.bulk_create(new, batch_size=1000)
    for row in changed:
        row.save()
    lexicon.version += 1
    lexicon.save(update_fields=["version", "updated_at"])
    audit.record(lexicon, AUDIT_IMPORT, user=user, data={"terms": len(terms), "replace": replace,
                                                         "version": lexicon.version})
    return len(terms)


def export_terms(lexicon: Lexicon, *, as_csv: bool = True) -> str:
    terms = [lexicon_data.Term(t.term, t.clause, Severity(t.severity), t.family, t.pinyin, t.suggestion)
             for t in lexicon.terms.order_by("clause", "term")]
    return lexicon_data.format_terms(terms, as_csv=as_csv)
