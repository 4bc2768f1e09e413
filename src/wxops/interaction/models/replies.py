"""Automatic replies beyond the welcome: keyword rules and the account's Q&A knowledge base (知识库).

Both are edited in the admin (互动 → 关键词回复, 知识库); every reply text passes the
content rules before it is saved (:mod:`wxops.interaction.replies.actions`). The order in
which they answer a follower is documented in ``docs/interaction.md`` (keyword rules, then
the knowledge base, then the account's default reply).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reply_content import (
    REPLY_MAX_LENGTH,
    ReplySlot,
    media_id_field,
    news_title_field,
    news_url_field,
    pic_url_field,
    reply_kind_field,
    reply_picture_field,
)


class MatchType(models.TextChoices):
    """How a keyword rule compares its keywords with a follower's text (after normalising both)."""

    EXACT = "exact", _("Exact (the whole message)")
    CONTAINS = "contains", _("Contains")
    REGEX = "regex", _("Regular expression")


class KeywordRule(models.Model):
    """A keyword rule: when a follower's text matches one of ``keywords``, its reply answers at once —
    text (``reply_text``), an image (``reply_picture``) or a news card (title, description, link, picture).

    Rules of an account are tried by ascending ``priority`` (then by id); the first active
    rule that matches answers. Keywords are one per line; exact and contains ignore case,
    full-width forms and spaces; a regular expression is searched in the text as sent.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="keyword_rules",
                                verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=64, help_text=_("For you, e.g. “社保问答”."))
    match_type = models.CharField(_("match"), max_length=12, choices=MatchType.choices, default=MatchType.CONTAINS)
    keywords = models.TextField(_("keywords"), max_length=2000,
                                help_text=_("One per line; any of them matches. "
                                            "For a regular expression, one expression per line."))
    reply_kind = reply_kind_field()
    reply_text = models.TextField(_("reply text"), max_length=REPLY_MAX_LENGTH, blank=True,
                                  help_text=_("The text; for a news card, its description."))
    reply_picture = reply_picture_field()
    news_title = news_title_field()
    news_url = news_url_field()
    reply_media_id = media_id_field()
    reply_pic_url = pic_url_field()
    priority = models.PositiveSmallIntegerField(_("priority"), default=100,
                                                help_text=_("Lower numbers are tried first."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    #: Its reply's fields (:mod:`wxops.interaction.models.reply_content`).
    REPLY = ReplySlot("reply_kind", "reply_text", "reply_picture", "news_title", "news_url", "reply_media_id",
                      "reply_pic_url")

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        ordering = ["account", "priority", "id"]
        indexes = [models.Index(fields=["account", "active", "priority"], name="keyword_rule_lookup")]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class KnowledgeEntry(models.Model):
    """One entry of the account's Q&A knowledge base: the ways followers ask, and the approved answer.

    A follower's question is compared with every active entry's ``questions`` (char n-gram
    TF-IDF, :mod:`wxops.interaction.replies.knowledge`); the best above the account's
    threshold is answered with ``answer``. Saving an entry is approving its answer:
    ``approved_by`` and ``approved_at`` say who and when (and the audit log keeps it).
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="knowledge_entries",
                                verbose_name=_("account"))
    questions = models.TextField(_("questions"), max_length=4000,
                                 help_text=_("How followers ask it, one question per line."))
    answer = models.TextField(_("answer"), max_length=REPLY_MAX_LENGTH)
    active = models.BooleanField(_("active"), default=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    source_message = models.ForeignKey("interaction.InboundMessage", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+", editable=False,
                                       verbose_name=_("from the message"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge base entry")
        verbose_name_plural = _("knowledge base")
        ordering = ["account", "-updated_at", "-id"]

    def __str__(self) -> str:
        first = self.question_list()
        return first[0][:60] if first else str(self.pk)

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]
