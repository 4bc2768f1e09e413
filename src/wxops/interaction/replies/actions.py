"""Business rules of the automatic replies: check every reply text against the content rules, save
keyword rules and knowledge-base entries (audited), and find the answer to a follower's text.

    from wxops.interaction.replies import actions
    actions.save_rule(rule, user=request.user)           # ValidationError naming a block finding
    actions.keyword_answer(account_id, "社保怎么交")      # → RuleView | None
    actions.knowledge_answer(account_id, "社保基数哪个月调整")  # → knowledge.Match | None (above the threshold)
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock, inbound

from ..models import AutoReply, KeywordRule, KnowledgeEntry, ReplySlot
from . import content, knowledge, matching
from .content import refuse_blocked  # noqa: F401 - comments and the inbox check their replies through it

logger = logging.getLogger(__name__)

AUDIT_RULE_SAVED = "wxops.replies.rule_saved"
AUDIT_ENTRY_SAVED = "wxops.replies.entry_saved"
AUDIT_AUTO_REPLY_SAVED = "wxops.replies.auto_reply_saved"
#: The knowledge base's threshold when the account has no auto-reply row yet.
DEFAULT_THRESHOLD = 0.5


# ---------------------------------------------------------------- the content rules


def check_rule(rule: KeywordRule) -> None:
    """Every problem of ``rule`` as a ``ValidationError`` keyed by field: bad expressions, refused reply,
    what its kind of reply lacks. When there is none, its picture (image or news reply) is uploaded
    to WeChat's material library — an HTTP call: call it outside a database transaction."""
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
    content.check_all(rule, ((KeywordRule.REPLY, _("reply text")),), text_required=True, errors=errors)


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
    """The welcome and the default reply, checked like a keyword rule's reply (empty text: no reply);
    when both are right, their pictures are uploaded (an HTTP call: outside a database transaction)."""
    content.check_all(auto_reply, ((AutoReply.WELCOME, _("welcome text")), (AutoReply.DEFAULT, _("reply to messages"))))


# ---------------------------------------------------------------- saving


def can_edit_replies(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_keywordrule")))


def can_edit_knowledge(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_knowledgeentry")))


def can_edit_auto_reply(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("interaction.change_autoreply")))


def save_rule(rule: KeywordRule, *, user) -> KeywordRule:
    """Check and save a keyword rule; audited. ``ValidationError`` (nothing saved) when refused."""
    return _checked_save(rule, check_rule, AUDIT_RULE_SAVED, allowed=can_edit_replies(user), user=user)


def save_auto_reply(auto_reply: AutoReply, *, user) -> AutoReply:
    """Check and save the account's welcome and default reply; audited. ``ValidationError`` (nothing
    saved, the saved replies unchanged) when refused or when WeChat does not take a picture."""
    return _checked_save(auto_reply, check_auto_reply, AUDIT_AUTO_REPLY_SAVED,
                         allowed=can_edit_auto_reply(user), user=user)


def save_entry(entry: KnowledgeEntry, *, user) -> KnowledgeEntry:
    """Check and save a knowledge-base entry; saving approves its answer (who and when kept); audited."""

    def check_and_approve(entry: KnowledgeEntry) -> None:
        check_entry(entry)
        entry.approved_by, entry.approved_at = user, clock.now()

    return _checked_save(entry, check_and_approve, AUDIT_ENTRY_SAVED, allowed=can_edit_knowledge(user), user=user)


def _checked_save(thing, check, action: str, *, allowed: bool, user):
    """What saving a reply's owner is: permission, ``check`` (outside the transaction: it may upload a
    picture to WeChat), then the save and its audit entry in one transaction."""
    if not allowed:
        raise PermissionDenied
    check(thing)
    with transaction.atomic():
        thing.save()
        audit.record(thing, action, user=user)
    return thing



# ---------------------------------------------------------------- answering


@dataclass(frozen=True)
class _Stamps:
    """What one cheap query says of an account's replies: has anything changed, the threshold, the default reply."""

    rules: tuple
    knowledge: tuple
    threshold: float
    default: inbound.Reply | None

    @property
    def has_rules(self) -> bool:
        return bool(self.rules[1])

    @property
    def has_knowledge(self) -> bool:
        return bool(self.knowledge[1])


#: One statement for both handlers of a message (the callback's hot path): per table the rows, the
#: active rows, the last change and the last id — a change, an addition, a deletion or a switch
#: moves one of them — and the account's threshold and default reply.
_STAMPS_SQL = """
SELECT r.n, r.a, r.u, r.i, k.n, k.a, k.u, k.i, t.threshold, {default}
FROM (SELECT MAX(knowledge_threshold) AS threshold, {default_columns}
      FROM {autoreply} WHERE account_id = %s) AS t,
     (SELECT COUNT(*) AS n, SUM(CASE WHEN active THEN 1 ELSE 0 END) AS a, MAX(updated_at) AS u, MAX(id) AS i
      FROM {rules} WHERE account_id = %s) AS r,
     (SELECT COUNT(*) AS n, SUM(CASE WHEN active THEN 1 ELSE 0 END) AS a, MAX(updated_at) AS u, MAX(id) AS i
      FROM {knowledge} WHERE account_id = %s) AS k
"""


def _stamps_sql() -> str:
    """:data:`_STAMPS_SQL` with the default reply's columns (one row per account: ``MAX`` is its value,
    NULL when the account has no auto-reply)."""
    columns = AutoReply.DEFAULT.columns()
    return _STAMPS_SQL.format(
        default=", ".join(f"t.{name}" for name in columns),
        default_columns=", ".join(f"MAX({name}) AS {name}" for name in columns),
        autoreply=AutoReply._meta.db_table, rules=KeywordRule._meta.db_table,
        knowledge=KnowledgeEntry._meta.db_table)


_local = threading.local()
_cache_lock = threading.Lock()
_rules: dict[int, tuple[tuple, list[matching.RuleView]]] = {}
_indexes: dict[int, tuple[tuple, knowledge.Index]] = {}


#: account id → (generation, when read, stamps): a message needs no query to know its replies did not change.
_known_stamps: dict[int, tuple[bytes, float, _Stamps]] = {}
#: A change not made through the models' save or delete (a bulk update, a restore, another host
#: sharing the database) is seen after this many seconds at most.
STAMPS_CHECKED_EVERY = 10.0
STAMP_FILE = "cache/replies.stamp"


def _generation() -> bytes:
    """The site's generation of the replies: the stamp file's content, rewritten after every committed change.

    Reading a small file costs microseconds; the query it spares cost a round trip to the
    database on each of a burst's messages. Every process of the site shares the data folder.
    """
    try:
        stamp = os.open(os.path.join(settings.DATA_DIR, STAMP_FILE), os.O_RDONLY)  # no file object: 1 µs, not 6
    except OSError:
        return b""
    try:
        return os.read(stamp, 64)
    except OSError:
        return b""
    finally:
        os.close(stamp)


def _new_generation() -> None:
    path = settings.DATA_DIR / STAMP_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        spare = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        spare.write_bytes(f"{time.time_ns()}-{secrets.token_hex(8)}".encode())
        os.replace(spare, path)  # atomic: a reader sees the old generation or the new one
    except OSError as error:  # a read-only data folder: other processes see the change within the interval
        logger.warning("replies changed, but the stamp file could not be written (%s); other processes "
                       "see the change within %.0f s", error, STAMPS_CHECKED_EVERY)


def replies_changed(**_kwargs) -> None:
    """A rule, an entry or the auto-reply was saved or deleted: this process forgets its stamps now, the
    others when the change is committed (before the commit they would read the old rows again)."""
    _known_stamps.clear()
    transaction.on_commit(_new_generation)


def forget_cached_replies() -> None:
    """Forget every cached stamp of this process (tests: a rolled-back test leaves no delete behind)."""
    _known_stamps.clear()
    _local.__dict__.clear()


def _stamps(account_id: int, item_key: object | None = None) -> _Stamps:
    """The account's stamps: cached per process while the site's generation stays and for
    ``STAMPS_CHECKED_EVERY`` seconds at most; read then with one small query.

    ``item_key`` is the message's own object (the handlers' ``InboundItem``): the handlers of one
    message share one look-up. The generation is read before the query, so a change committed
    while the query runs moves the generation and the next message reads again.
    """
    cached = getattr(_local, "stamps", None)
    if item_key is not None and cached is not None and cached[0] == account_id and cached[1] is item_key:
        return cached[2]
    generation, now = _generation(), time.monotonic()
    known = _known_stamps.get(account_id)
    if known is not None and known[0] == generation and now - known[1] < STAMPS_CHECKED_EVERY:
        stamps = known[2]
    else:
        stamps = _read_stamps(account_id)
        _known_stamps[account_id] = (generation, now, stamps)
    _local.stamps = (account_id, item_key, stamps)
    return stamps


def _read_stamps(account_id: int) -> _Stamps:
    with connection.cursor() as cursor:
        cursor.execute(_stamps_sql(), [account_id, account_id, account_id])
        row = cursor.fetchone()
    default = content.reply(ReplySlot.from_row(row[9:]), source="default reply")
    return _Stamps(rules=tuple(row[0:4]), knowledge=tuple(row[4:8]),
                   threshold=DEFAULT_THRESHOLD if row[8] is None else float(row[8]), default=default)


def _account_rules(account_id: int, stamps: _Stamps) -> list[matching.RuleView]:
    cached = _rules.get(account_id)
    if cached is not None and cached[0] == stamps.rules:
        return cached[1]
    rules = [_view(rule) for rule in KeywordRule.objects.filter(account_id=account_id, active=True)]
    with _cache_lock:
        _rules[account_id] = (stamps.rules, rules)
    return rules


def _view(rule: KeywordRule) -> matching.RuleView:
    answer = content.reply(KeywordRule.REPLY.values(rule), source="")  # an image never uploaded answers nothing
    if answer is None:
        return matching.RuleView(rule.pk, rule.match_type, tuple(rule.keyword_list()), "", rule.priority)
    return matching.RuleView(rule.pk, rule.match_type, tuple(rule.keyword_list()), answer.text, rule.priority,
                             media_id=answer.media_id, news=answer.news)


def keyword_answer(account_id: int, text: str, *, item_key: object | None = None) -> matching.RuleView | None:
    """The first active keyword rule of the account (by priority) that matches ``text``.

    The rules are cached per process and read again when they change (one small query per
    message tells); ``item_key`` lets the handlers of one message share that query.
    """
    if not (text or "").strip():
        return None
    stamps = _stamps(account_id, item_key)
    if not stamps.has_rules:
        return None
    return matching.first_match(_account_rules(account_id, stamps), text)


def knowledge_index(account_id: int, stamps: _Stamps | None = None) -> knowledge.Index:
    """The account's index of active entries, rebuilt when they change (cached per process)."""
    stamps = stamps or _stamps(account_id)
    cached = _indexes.get(account_id)
    if cached is not None and cached[0] == stamps.knowledge:
        return cached[1]
    rows = KnowledgeEntry.objects.filter(account_id=account_id, active=True).values_list("pk", "questions", "answer")
    index = knowledge.Index.build(knowledge.Candidate(pk, question.strip(), answer)
                                  for pk, questions, answer in rows
                                  for question in questions.splitlines() if question.strip())
    with _cache_lock:
        _indexes[account_id] = (stamps.knowledge, index)
    return index


def default_answer(account_id: int, *, item_key: object | None = None) -> inbound.Reply | None:
    """The account's reply to a message when nothing more specific answered (text, image or news card), or None."""
    return _stamps(account_id, item_key).default


def threshold_for(account_id: int) -> float:
    return _stamps(account_id).threshold


def knowledge_answer(account_id: int, text: str, *, threshold: float | None = None,
                     item_key: object | None = None) -> knowledge.Match | None:
    """The best entry for ``text`` when its confidence reaches the threshold (the account's by default), else None."""
    if not (text or "").strip():
        return None
    stamps = _stamps(account_id, item_key)
    if not stamps.has_knowledge:
        return None
    match = knowledge_index(account_id, stamps).best(text)
    wanted = stamps.threshold if threshold is None else threshold
    return match if match is not None and match.confidence >= wanted else None
