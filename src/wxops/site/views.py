"""Site-level views: the landing redirect, a health probe and friendly error pages."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from wxops.core import health as health_checks


def home(request: HttpRequest) -> HttpResponse:
    return redirect("wagtailadmin_home")


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime monitors: 200 when every check passes, else 503 with the reasons.

    Checks (see :mod:`wxops.core.health`): ``database`` answers; ``worker`` beat within
    ``WXOPS_HEALTH_HEARTBEAT_MAX_AGE`` seconds; ``queue`` (Redis or the SQLite queue file)
    answers; ``backlog``: the oldest waiting task waited less than ``WXOPS_HEALTH_BACKLOG_MAX_AGE``.
    Each check in the JSON has ``ok``, ``detail``, ``age_seconds`` and ``figure``.
    """
    result = health_checks.report()
    response = JsonResponse(result.as_json(), status=200 if result.ok else 503,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "site/error.html", {"code": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "site/error.html", {"code": 500}, status=500)
