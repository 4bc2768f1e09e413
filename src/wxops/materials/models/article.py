"""The article (图文): what an editor writes and a push carries."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from wxops.materials.forms import ArticleForm

#: WeChat's own limits for a draft article (draft/add); the editor sees them before WeChat says no.
TITLE_MAX = 64
AUTHOR_MAX = 16
DIGEST_MAX = 120


class Article(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed,
              models.Model):
    """One 图文 article, edited in the Wagtail admin with drafts, revisions, locking and review."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="articles",
                                verbose_name=_("account"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    author = models.CharField(_("author"), max_length=AUTHOR_MAX, blank=True)
    digest = models.TextField(_("digest"), max_length=DIGEST_MAX, blank=True,
                              help_text=_("Shown under the title in the chat; at most 120 characters."))
    cover = models.ForeignKey("materials.Picture", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("cover image"))
    body = RichTextField(_("body"), blank=True)
    category = models.ForeignKey("accounts.Category", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="articles", verbose_name=_("category"))
    # A context: the attribution (来源) of an article, not a sources.Source (信息来源).
    source_name = models.CharField(pgettext_lazy("article", "source"), max_length=200, blank=True)
    source_url = models.URLField(_("original link"), max_length=1000, blank=True)
    open_comments = models.BooleanField(_("open comments"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("account", widget=forms.Select),
        FieldPanel("title"),
        FieldPanel("author"),
        FieldPanel("category", widget=forms.Select),
        FieldPanel("cover"),
        FieldPanel("digest"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("source_name"), FieldPanel("source_url")],
                        heading=pgettext_lazy("article", "Source")),
        FieldPanel("open_comments"),
    ]

    base_form_class = ArticleForm

    search_fields = [
        index.SearchField("title"),
        index.SearchField("digest"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("account"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        permissions = [("choose_article", "Can choose article")]

    def __str__(self) -> str:
        return self.title

    def get_workflow(self):
        """The review workflow, looked up once per instance: Wagtail asks for it four times a page."""
        if "_wxops_workflow" not in self.__dict__:
            self._wxops_workflow = super().get_workflow()
        return self._wxops_workflow

    def get_preview_template(self, request, mode_name):
        return "materials/article_preview.html"
