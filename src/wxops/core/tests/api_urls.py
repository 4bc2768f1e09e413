"""A JSON view behind the API token decorator, for the tests of :mod:`wxops.core.api_auth`."""

from django.http import JsonResponse
from django.urls import include, path

from wxops.core.api_auth import api_token_required

calls: list[str] = []


@api_token_required
def whoami(request):
    calls.append(request.user.get_username())
    return JsonResponse({"user": request.user.get_username(), "token": request.api_token.name})


@api_token_required(allow_session=True)
def whoami_or_session(request):
    calls.append(request.user.get_username())
    token = request.api_token.name if request.api_token else None
    return JsonResponse({"user": request.user.get_username(), "token": token})


urlpatterns = [
    path("api/whoami", whoami),
    path("api/whoami-or-session", whoami_or_session),
    path("", include("wxops.site.urls")),
]
