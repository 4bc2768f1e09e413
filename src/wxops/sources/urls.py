"""Public (non-admin) URLs of sources. The site includes them with
``path("sources/", include("wxops.sources.urls"))``."""

from django.urls import path

from . import views

urlpatterns = [
    path("submit/", views.submit, name="sources_submit"),
    path("api/submissions", views.submit_api, name="sources_submit_api"),
]
