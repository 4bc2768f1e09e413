"""Admin viewset for articles (图文)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from wxops.materials.models import Article


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("Articles")
    menu_name = "articles"
    menu_order = 100
    add_to_admin_menu = True
    list_display = ["title", "category", "author", "account", "updated_at"]
    list_filter = ["account", "category"]
    search_fields = ["title", "digest", "body"]
    ordering = ["-updated_at"]
