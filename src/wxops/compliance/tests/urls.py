"""The check API mounted as the site will mount it (``api/compliance/``), for the tests."""

from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("api/compliance/", include("wxops.compliance.urls")),
    path("admin/", include(wagtailadmin_urls)),
]
