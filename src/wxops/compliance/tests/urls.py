"""The site's URLs plus the check API, as the site will include it (until it does)."""

from django.urls import include, path

from wxops.site.urls import urlpatterns as site_patterns

urlpatterns = [path("api/compliance/", include("wxops.compliance.urls")), *site_patterns]
