"""URL patterns of the check API; included by the site as ``path("api/compliance/", include(...))``."""

from django.urls import path

from wxops.compliance import api

app_name = "compliance"

urlpatterns = [
    path("check", api.check_view, name="check"),
]
