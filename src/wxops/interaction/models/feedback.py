"""The tables of the 24-hour feedback (七 沟通互动): comments, windows, their items, core issues, documents.

Statuses are written only by the actions in :mod:`wxops.interaction.feedback`, along the tables below.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage() -> FileSystemStorage:
    """Director documents are not public media: kept beside it, served only through a permission-checked view."""
    return FileSystemStorage(location=settings.DATA_DIR / "private")


class CommentState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    DELETED = "deleted", _("Deleted")


#: Allowed changes of ``Comment.state``; only :func:`wxops.interaction.feedback.comments.delete_comment` writes it.
COMMENT_TRANSITIONS = {CommentState.VISIBLE: {CommentState.DELETED}, CommentState.DELETED: set()}


class Comment(models.Model):
    """A follower's comment (留言) under an article of a sent push, as synced from ``comment/list``.

    One row per WeChat comment (account, ``msg_data_id``, article ``index``, ``user_comment_id``),
    however often it is synced. ``created_at`` is WeChat's create_time.
    """

    wagtail_reference_index_ignore = True

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="comments",
                                verbose_name=_("account"))
    push = models.ForeignKey("editorial.Push", on_delete=models.CASCADE, related_name="comments",
                             verbose_name=_("push"))
    article = models.ForeignKey("materials.Article", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("article"))
    msg_data_id = models.BigIntegerField(_("msg_data_id"))
    index = models.PositiveSmallIntegerField(_("article index"), default=0)
    user_comment_id = models.BigIntegerField(_("comment id"))
    openid = models.CharField(_("from (openid)"), max_length=64, blank=True)
    content = models.TextField(_("content"))
    created_at = models.DateTimeField(_("written"), db_index=True)
    is_featured = models.BooleanField(_("featured (精选)"), default=False, editable=False)
    reply_content = models.TextField(_("our reply"), blank=True, editable=False)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=CommentState.choices, default=CommentState.VISIBLE,
                             editable=False, db_index=True)
    synced_at = models.DateTimeField(_("last synced"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["account", "msg_data_id", "index", "user_comment_id"],
                                               name="comment_once_per_account")]

    def __str__(self) -> str:
        return self.content[:40]


class WindowState(models.TextChoices):
    OPEN = "open", _("Collecting")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


#: Allowed changes of ``FeedbackWindow.state``. CLOSING → CLOSING is a sweep re-claiming a window
#: whose worker died; only :mod:`wxops.interaction.feedback.windows` writes it.
WINDOW_TRANSITIONS = {
    WindowState.OPEN: {WindowState.CLOSING},
    WindowState.CLOSING: {WindowState.CLOSING, WindowState.CLOSED},
    WindowState.CLOSED: set(),
}


class FeedbackWindow(models.Model):
    """The 24 hours after a push was sent, in which its comments and followers' messages are its feedback."""

    push = models.OneToOneField("editorial.Push", on_delete=models.CASCADE, related_name="feedback_window",
                                verbose_name=_("push"))
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="feedback_windows",
                                verbose_name=_("account"))
    msg_data_id = models.BigIntegerField(_("msg_data_id"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=WindowState.choices, default=WindowState.OPEN,
                             editable=False, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    last_synced_at = models.DateTimeField(_("comments last synced"), null=True, blank=True, editable=False)
    sync_problem = models.TextField(_("sync problem"), blank=True, editable=False)
    reach = models.PositiveIntegerField(_("followers reached"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback window")
        verbose_name_plural = _("feedback windows")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return str(self.push)


class FeedbackSource(models.TextChoices):
    COMMENT = "comment", _("Comment")
    MESSAGE = "message", _("Message")


class FeedbackItem(models.Model):
    """A comment or a follower's message that fell in a push's feedback window, linked to that push."""

    wagtail_reference_index_ignore = True

    window = models.ForeignKey(FeedbackWindow, on_delete=models.CASCADE, related_name="items",
                               verbose_name=_("feedback window"))
    push = models.ForeignKey("editorial.Push", on_delete=models.CASCADE, related_name="feedback_items",
                             verbose_name=_("push"))
    article = models.ForeignKey("materials.Article", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("article"))
    source = models.CharField(_("source"), max_length=12, choices=FeedbackSource.choices)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="feedback_item")
    inbound = models.OneToOneField("interaction.InboundMessage", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="feedback_item")
    text = models.TextField(_("text"))
    openid = models.CharField(_("from (openid)"), max_length=64, blank=True)
    written_at = models.DateTimeField(_("written"))
    core_issue = models.ForeignKey("interaction.CoreIssue", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="items", verbose_name=_("core issue"))

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class CoreIssue(models.Model):
    """One core issue (核心问题) of a closed window: similar feedback grouped, ranked, with quotes."""

    window = models.ForeignKey(FeedbackWindow, on_delete=models.CASCADE, related_name="core_issues",
                               verbose_name=_("feedback window"))
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("account"))
    push = models.ForeignKey("editorial.Push", on_delete=models.CASCADE, related_name="core_issues",
                             verbose_name=_("push"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    title = models.CharField(_("issue"), max_length=200)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    volume = models.PositiveIntegerField(_("volume"))
    tone = models.FloatField(_("tone"), help_text=_("-1 negative … +1 positive"))
    questions = models.PositiveIntegerField(_("questions"), default=0)
    unanswered = models.PositiveIntegerField(_("unanswered questions"), default=0)
    quotes = models.JSONField(_("quotes"), default=list)
    article = models.ForeignKey("materials.Article", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("article that drew it"))
    suggested_action = models.TextField(_("suggested action"), blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("core issue")
        verbose_name_plural = _("core issues")
        ordering = ["window", "rank"]

    def __str__(self) -> str:
        return self.title


class DirectorSetting(models.Model):
    """Who gets an account's feedback documents: the director (the plan names 刘总监)."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="feedback_director",
                                   verbose_name=_("account"))
    director_name = models.CharField(_("director"), max_length=60, default="刘总监")
    director_email = models.EmailField(_("director's e-mail"), blank=True,
                                       help_text=_("Each document is sent here. Empty: kept in the admin only."))
    director_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("director's admin user"),
                                      help_text=_("Sees the documents in the admin (and on the dashboard)."))

    class Meta:
        verbose_name = _("feedback director")
        verbose_name_plural = _("feedback directors")

    def __str__(self) -> str:
        return f"{self.account}: {self.director_name}"


class DocumentKind(models.TextChoices):
    FEEDBACK = "feedback", _("推送反馈核心问题")
    QA = "qa", _("Q&A compilation")


class DirectorDocument(models.Model):
    """A document made for the director; every one is kept (never overwritten)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("account"))
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.FEEDBACK)
    window = models.ForeignKey(FeedbackWindow, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="documents", verbose_name=_("feedback window"))
    title = models.CharField(_("title"), max_length=200)
    recipient = models.CharField(_("for"), max_length=60, blank=True)
    recipient_email = models.EmailField(_("sent to"), blank=True)
    docx = models.FileField(_("DOCX"), storage=private_storage, upload_to="feedback/%Y/%m/")
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="feedback/%Y/%m/", blank=True)
    xlsx = models.FileField(_("XLSX"), storage=private_storage, upload_to="feedback/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The outbox's claim, committed before the mail server is called: a second round never sends it
    # again. Claimed without ``emailed_at`` past MAIL_CLAIM_LEASE: the process died during the send, and
    # whether the server took it is not known (see documents.email_document).
    mail_claimed_at = models.DateTimeField(_("e-mail claimed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("director document")
        verbose_name_plural = _("director documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def message_id(self) -> str:
        """The e-mail's Message-ID, the same however often it is sent: a copy sent by hand after an
        uncertain send is recognised by mail clients as the same message."""
        return f"<wxops.director-document.{self.pk}.{self.created_at:%Y%m%d%H%M%S}@wxops.local>"

    def filename(self, kind: str) -> str:
        """The name a reader gets for the ``docx``/``pdf``/``xlsx`` file (storage names carry a random suffix)."""
        stem = re.sub(r'[\\/:*?"<>|\s]+', "_", self.title).strip("_")[:80]
        return f"{stem}_{self.created_at:%Y%m%d-%H%M}.{kind}"
