from wagtail.snippets.models import register_snippet

import wxops.materials.pictures.hooks  # noqa: F401  (duplicate check, renditions, licence warnings)
from wxops.materials.views import ArticleViewSet

register_snippet(ArticleViewSet)
