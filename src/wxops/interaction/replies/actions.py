"""Business rules of the automatic replies: check every reply text against the content rules, save
keyword rules and knowledge-base entries (audited), and find the answer to a follower's text.

    from wxops.interaction.replies import actions
    actions.save_rule(rule, user=request.user)           # ValidationError naming a block finding
    actions.keyword_answer(account_id, "社保怎么交")      # → RuleView | None
    actions.knowledge_answer(account_id, "社保基数哪个月调整")  # → knowledge.Match | None (above the threshold)
"""

from __future__ import annotations

import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from wxops.compliance import actions as compliance
from wxops.compliance.findings import Severity, summary_line
from wxops.core import audit, clock

from ..models import AutoReply, KeywordRule, KnowledgeEntry
from . import knowledge, matching

AUDIT_RULE_SAVED = "wxops.replies.rule_saved"
AUDIT_ENTRY_SAVED = "wxops.replies.entry_saved"
#: The knowledge base's threshold when the account has no auto-reply row yet.
DEFAULT_THRESHOLD = 0.5


# ---------------------------------------------------------------- the content rules


def refuse_blocked(text: str, account, *, label: str) -> None:
    """``ValidationError`` naming the block findings of the content rules in ``text``; nothing when none.

    Review and advisory findings do not stop an automatic reply's save (the text is the
    account's own, checked once here, and a person wrote it).
    """
    if not (text or "").strip():
        return
    report = compliance.check_text(text, account=account)
    blocked = [(label, f) for f in report.findings if f.severity == Severity.BLOCK]
    if blocked:
        raise ValidationError(_("The content rules refuse this text: %(findings)s. Change it and save again.")
                              % {"findings": summary_line(blocked, limit=5)})


def check_rule(rule: KeywordRule) -> None:
    """Every problem of ``rule`` as a ``ValidationError`` keyed by field: bad expressions, refused reply."""
    errors: dict[str, list[str]] = {}
    if not rule.keyword_list():
        errors.setdefault("keywords", []).append(_("Give at least one keyword."))
    if rule.match_type == "regex":
        for pattern in rule.keyword_list():
            try:
                matching.compile_expression(pattern)
            except ValueError as error:
                errors.setdefault("keywords", []).append(
                    _("“%(pattern)s” is not a valid regular expression (%(error)s).")
                    % {"pattern": pattern[:60], "error": error})
    try:
        refuse_blocked(rule.reply_text, rule.account_id, label=_("reply text"))
    except ValidationError as error:
        errors.setdefault("reply_text", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def check_entry(entry: KnowledgeEntry) -> None:
    """Every problem of ``entry`` as a ``ValidationError`` keyed by field."""
    errors: dict[str, list[str]] = {}
    if not entry.question_list():
        errors.setdefault("questions", []).append(_("Give at least one question."))
    try:
        refuse_blocked(entry.answer, entry.account_id, label=_("answer"))
    except ValidationError as error:
        errors.setdefault("answer", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def check_auto_reply(auto_reply: AutoReply) -> None:
    """The welcome and the default reply, checked like every automatic reply."""
    errors: dict[str, list[str]] = {}
    for name, label in (("subscribe_text", _("welcome text")), ("message_text", _("reply to messages"))):
        try:
            refuse_blocked(getattr(auto_reply, name), auto_reply.account_id, label=label)
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- saving


def can_edit_replies(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_keywordrule")))


def can_edit_knowledge(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_knowledgeentry")))


def save_rule(rule: KeywordRule, *, user) -> KeywordRule:
    """Check and save a keyword rule; audited. ``ValidationError`` (nothing saved) when refused."""
    if not can_edit_replies(user):
        raise PermissionDenied
    check_rule(rule)
    with transaction.atomic():
        rule.save()
        audit.record(rule, AUDIT_RULE_SAVED, user=user)
    return rule


def save_entry(entry: KnowledgeEntry, *, user) -> KnowledgeEntry:
    """Check and save a knowledge-base entry; saving approves its answer (who and when kept); audited."""
    if not can_edit_knowledge(user):
        raise PermissionDenied
    check_entry(entry)
    entry.approved_by, entry.approved_at = user, clock.now()
    with transaction.atomic():
        entry.save()
        audit.record(entry, AUDIT_ENTRY_SAVED, user=user)
    return entry



# ---------------------------------------------------------------- answering


def keyword_answer(account_id: int, text: str) -> matching.RuleView | None:
    """The first active keyword rule of the account (by priority) that matches ``text``."""
    if not (text or "").strip():
        return None
    rows = KeywordRule.objects.filter(account_id=account_id, active=True).values_list(
        "pk", "match_type", "keywords", "reply_text", "priority")
    rules = [matching.RuleView(pk, kind, tuple(k.strip() for k in words.splitlines() if k.strip()), reply, priority)
             for pk, kind, words, reply, priority in rows]
    return matching.first_match(rules, text)


_indexes: dict[int, tuple[tuple, knowledge.Index]] = {}
_indexes_lock = threading.Lock()


def knowledge_index(account_id: int) -> knowledge.Index:
    """The account's index of active entries, rebuilt when they change (cached per process)."""
    stamp_row = KnowledgeEntry.objects.filter(account_id=account_id, active=True).aggregate(
        n=Count("pk"), changed=Max("updated_at"), last=Max("pk"))
    stamp = (stamp_row["n"], stamp_row["changed"], stamp_row["last"])
    cached = _indexes.get(account_id)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rows = KnowledgeEntry.objects.filter(account_id=account_id, active=True).values_list("pk", "questions", "answer")
    index = knowledge.Index.build(knowledge.Candidate(pk, question.strip(), answer)
                                  for pk, questions, answer in rows
                                  for question in questions.splitlines() if question.strip())
    with _indexes_lock:
        _indexes[account_id] = (stamp, index)
    return index


def threshold_for(account_id: int) -> float:
    value = AutoReply.objects.filter(account_id=account_id).values_list("knowledge_threshold", flat=True).first()
    return DEFAULT_THRESHOLD if value is None else value


def knowledge_answer(account_id: int, text: str, *, threshold: float | None = None) -> knowledge.Match | None:
    """The best entry for ``text`` when its confidence reaches the threshold (the account's by default), else None."""
    if not (text or "").strip():
        return None
    match = knowledge_index(account_id).best(text)
    wanted = threshold_for(account_id) if threshold is None else threshold
    return match if match is not None and match.confidence >= wanted else None
