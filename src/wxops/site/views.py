"""Site-level views: the landing redirect, a health probe and friendly error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from wxops.core.models import Heartbeat


def home(request: HttpRequest) -> HttpResponse:
    return redirect("wagtailadmin_home")


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers, and when the worker last beat."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception:  # noqa: BLE001 — a probe reports, it never raises
        return JsonResponse({"database": "unreachable"}, status=503)
    return JsonResponse({"database": "ok", "worker_heartbeat": beat.beat_at.isoformat() if beat else None})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "site/error.html", {"code": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "site/error.html", {"code": 500}, status=500)
