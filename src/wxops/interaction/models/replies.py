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

#: WeChat shows a passive text reply up to 2048 bytes; 600 characters of Chinese stay under it.
REPLY_MAX_LENGTH = 600


class MatchType(models.TextChoices):
    """How a keyword rule compares its keywords with a follower's text (after normalising both)."""

    EXACT = "exact", _("Exact (the whole message)")
    CONTAINS = "contains", _("Contains")
    REGEX = "regex", _("Regular expression")


class ReplyKind(models.TextChoices):
    """What a keyword rule answers with: WeChat's passive replies."""

    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    NEWS = "news", _("News card (图文)")


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
    reply_kind = models.CharField(_("reply with"), max_length=8, choices=ReplyKind.choices, default=ReplyKind.TEXT)
    reply_text = models.TextField(_("reply text"), max_length=REPLY_MAX_LENGTH, blank=True,
                                  help_text=_("The text; for a news card, its description."))
    reply_picture = models.ForeignKey("materials.Picture", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("picture"),
                                      help_text=_("The image sent, or the news card's picture. Uploaded to "
                                                  "WeChat's material library when the rule is saved."))
    news_title = models.CharField(_("news card title"), max_length=64, blank=True)
    news_url = models.URLField(_("news card link"), max_length=500, blank=True,
                               help_text=_("Where the card leads, e.g. a published article's link."))
    # Set when saved (replies.media): the picture as the account's permanent image material.
    reply_media_id = models.CharField(max_length=128, blank=True, editable=False)
    reply_pic_url = models.URLField(max_length=500, blank=True, editable=False)
    priority = models.PositiveSmallIntegerField(_("priority"), default=100,
                                                help_text=_("Lower numbers are tried first."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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
