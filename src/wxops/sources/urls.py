"""Public (non-admin) URLs of sources. The site includes them with
``path("sources/", include("wxops.sources.urls"))``."""

from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from . import api

urlpatterns = [
    # The submission form lives in the admin (its layout, its login); the old address leads there.
    path("submit/", RedirectView.as_view(url=reverse_lazy("sources_admin_submit"), query_string=True),
         name="sources_submit"),
    path("api/submissions", api.submit_api, name="sources_submit_api"),
]
