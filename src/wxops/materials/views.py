"""Admin viewset for articles (图文): the list shows where each article stands, and filters by it;
the edit page shows what higher layers register above its form (the ``ABOVE_ARTICLE_FORM`` hook)."""

import django_filters
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.models import WorkflowState
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from wxops.materials import article_status
from wxops.materials.article_status import ArticleStatus
from wxops.materials.models import Article


class StatusColumn(Column):
    """The article's status (set on each row by :class:`ArticleIndexView`) as a tag."""

    def get_value(self, instance):
        status = getattr(instance, "desk_status", None)
        if status is None:
            return ""
        return format_html('<span class="w-status{}" data-article-status="{}">{}</span>',
                           " w-status--primary" if status in (ArticleStatus.SCHEDULED, ArticleStatus.SENT) else "",
                           status.value, status.label)


class ArticleFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ArticleStatus.choices, method="by_status",
                                         empty_label=_("All"))

    class Meta:
        model = Article
        fields = ["status", "account", "category"]

    def by_status(self, queryset, name, value):
        return queryset.filter(pk__in=article_status.ids_with(value)) if value else queryset


class ArticleIndexView(IndexView):
    def get_table(self, object_list):
        rows = list(object_list)
        found = article_status.statuses(row.pk for row in rows)
        for row in rows:
            row.desk_status = found.get(row.pk)
        return super().get_table(rows)


#: Wagtail hook: each function registered under this name is given the request and the article and
#: returns safe HTML (or ""), shown above the article's edit form. Higher layers register there
#: (editorial's findings panel), so the page arrives whole instead of fetching its parts after it has loaded.
ABOVE_ARTICLE_FORM = "wxops_above_article_form"


class ArticleEditView(EditView):
    """The article's edit page, its workflow state read once instead of a dozen times, and what
    is registered under :data:`ABOVE_ARTICLE_FORM` rendered into the page.

    Wagtail asks the article for its workflow state from the view, the action menu, the side
    panels and the lock, each a query (18 of the page's 55). A GET changes nothing, so the
    state is prefetched as Wagtail's own listings do (``_current_workflow_states``); a POST
    (which may start or move the workflow) reads it afresh as before.
    """

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if self.request.method == "GET" and article is not None:
            states = list(WorkflowState.objects.for_instance(article).active()
                          .select_related("current_task_state__task")[:1])
            for shown in {id(article): article, id(self.live_object): self.live_object}.values():
                shown._current_workflow_states = states
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["above_the_form"] = format_html_join("", "{}", ((render(self.request, self.object),)
                                                                 for render in hooks.get_hooks(ABOVE_ARTICLE_FORM)))
        return context


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("Articles")
    menu_name = "articles"
    menu_order = 100
    add_to_admin_menu = True
    index_view_class = ArticleIndexView
    edit_view_class = ArticleEditView
    edit_template_name = "materials/article_edit.html"
    list_display = ["title", StatusColumn("status", label=_("Status")), "category", "author", "account",
                    "updated_at"]
    filterset_class = ArticleFilterSet
    search_fields = ["title", "digest", "body"]
    ordering = ["-updated_at"]
