"""Links people bring — pasted into the pool or submitted by staff: queued, fetched safely by
the worker, and their outcome (or failure) recorded where the person can read it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from wxops.sources import actions, tasks
from wxops.sources.models import FetchAttempt, Item, PollState, SourceKind
from wxops.sources.tests.conftest import fixture_bytes, make_editor

urlpatterns = [path("sources/", include("wxops.sources.urls")), path("admin/", include(wagtailadmin_urls))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
PASSWORD = "pw-" + "5" * 12


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return get_user_model().objects.get(pk=user.pk)


def article_route(server, path="/news/1.html"):
    return server.route(path, body=fixture_bytes("article_gbk.html"), headers={"Content-Type": "text/html"})


def test_a_pasted_link_is_queued_then_fetched_by_the_worker_with_its_outcome(account, editor, server,
                                                                           django_capture_on_commit_callbacks):
    editor = make_editor(editor)
    route = article_route(server)
    with django_capture_on_commit_callbacks() as callbacks:
        attempt = actions.request_link(editor, account, server.url("/news/1.html"))
        again = actions.request_link(editor, account, server.url("/news/1.html"))
    assert again.pk == attempt.pk and attempt.state == PollState.QUEUED and len(callbacks) == 1
    assert route.hits == [] and Item.objects.count() == 0  # nothing fetched inside the request
    assert attempt.source.kind == SourceKind.SUBMISSION  # people bring links: the source is never polled
    tasks.fetch_link_task.call(attempt.pk)
    tasks.fetch_link_task.call(attempt.pk)  # a duplicate delivery does nothing
    attempt.refresh_from_db()
    assert attempt.state == PollState.FINISHED and attempt.new_count == 1 and len(route.hits) == 1
    item = Item.objects.get()
    assert (item.title, item.submitted_by, item.source) == ("企业如何应对社保新规", editor, attempt.source)


def test_a_pasted_link_to_an_internal_address_fails_in_words_on_its_attempt(account, editor, server, settings):
    # Before, the worker's result was thrown away: a refused or failed link vanished without a word.
    settings.WXOPS_FETCH_ALLOW = ()
    route = article_route(server)
    attempt = actions.request_link(make_editor(editor), account, server.url("/news/1.html"))
    tasks.fetch_link_task.call(attempt.pk)
    attempt.refresh_from_db()
    assert attempt.state == PollState.FAILED and "内部地址 127.0.0.1" in attempt.error
    assert route.hits == [] and Item.objects.count() == 0


def test_who_may_bring_a_link(account, editor, staff):
    with pytest.raises(PermissionDenied):
        actions.request_link(editor, account, "https://news.example.com/1.html")  # not a pool editor
    outsider = get_user_model().objects.create_user("outsider", password=PASSWORD)
    with pytest.raises(PermissionDenied):
        actions.request_link(outsider, account, "https://news.example.com/1.html", submitted=True)
    with pytest.raises(Exception, match="http"):
        actions.request_link(staff, account, "file:///etc/passwd", submitted=True)
    assert FetchAttempt.objects.count() == 0
    assert actions.request_link(staff, account, "https://news.example.com/1.html", submitted=True).url


def test_the_pool_s_fetch_button_answers_with_the_progress_page(account, server):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    client = Client()
    client.force_login(boss)
    article_route(server)
    response = client.post("/admin/sources/pool/link/", {"url": server.url("/news/1.html"), "account": account.pk})
    attempt = FetchAttempt.objects.get()
    assert response["Location"] == f"/admin/sources/sources/{attempt.source_id}/polls/{attempt.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and server.url("/news/1.html") in page
    refused = client.post("/admin/sources/pool/link/", {"url": "javascript:alert(1)", "account": account.pk})
    assert refused.status_code == 302 and FetchAttempt.objects.count() == 1


def test_a_staff_member_submits_a_link_alone_by_api_and_form_and_follows_only_their_own(account, staff, server):
    from wagtail.models import APIToken

    article_route(server)
    _token, plaintext = APIToken.create_token(user=staff, name="intranet")
    response = Client().post("/sources/api/submissions", data=json.dumps({
        "account": account.name, "url": server.url("/news/1.html")}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 202
    body = response.json()
    assert body["queued"] is True and body["state"] == "queued"
    tasks.fetch_link_task.call(body["attempt"])
    item = Item.objects.get()
    assert item.submitted_by == staff and item.category is not None  # brought by a person: relevant
    client = Client()
    client.force_login(staff)
    assert client.get(body["progress"]).status_code == 200
    form = client.post("/admin/sources/submit/", {"account": account.pk, "url": server.url("/news/2.html")})
    attempt = FetchAttempt.objects.get(url=server.url("/news/2.html"))
    assert form["Location"] == f"/admin/sources/sources/{attempt.source_id}/polls/{attempt.pk}/"
    from django.contrib.auth.models import Permission

    other = get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(other)
    refused = client.get(body["progress"])  # the admin answers a refusal by sending them home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
