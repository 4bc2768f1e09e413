from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from wxops.site import admin_assets, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    # Before Wagtail's own: the same answers, cheap to ask again (site/admin_assets.py).
    path("admin/jsi18n/", admin_assets.javascript_catalog),
    path("admin/sprite/", admin_assets.icon_sprite),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("wechat/", include("wxops.interaction.urls")),
    path("sources/", include("wxops.sources.urls")),
    path("api/compliance/", include("wxops.compliance.urls")),
]

# Uploaded pictures are served by Django so that a single `wxops up` is a whole
# system; a deployment behind nginx serves /media/ itself and never reaches this.
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "wxops.site.views.not_found"
handler500 = "wxops.site.views.server_error"
