from wagtail.snippets.models import register_snippet

from wxops.materials.views import ArticleViewSet

register_snippet(ArticleViewSet)
