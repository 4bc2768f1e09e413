"""API tokens: one bearer mechanism for every JSON API, managed in the admin and with ``wxops apitoken``."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from wagtail.models import APIToken

from wxops.core.tests import api_urls

pytestmark = pytest.mark.urls("wxops.core.tests.api_urls")


@pytest.fixture(autouse=True)
def no_calls():
    api_urls.calls.clear()


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor1", "editor1@example.com", "pw-editor1-editor1")


def create(user: str, name: str) -> str:
    out = io.StringIO()
    call_command("apitoken", "create", "--user", user, "--name", name, stdout=out)
    return out.getvalue().strip()


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_made_with_the_command_authenticates_as_its_user(client, editor):
    key = create("editor1", "intranet form")
    response = client.get("/api/whoami", **bearer(key))
    assert (response.status_code, response.json()) == (200, {"user": "editor1", "token": "intranet form"})
    token = APIToken.objects.get()
    assert token.last_used_at is not None
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)


def test_the_command_lists_and_revokes_and_a_revoked_token_is_refused(client, editor):
    key = create("editor1", "intranet form")
    out = io.StringIO()
    call_command("apitoken", "list", stdout=out)
    assert "intranet form\teditor1" in out.getvalue()
    assert key not in out.getvalue()
    prefix = APIToken.objects.get().prefix
    call_command("apitoken", "revoke", "--user", "editor1", "--prefix", prefix, stdout=io.StringIO())
    response = client.get("/api/whoami", **bearer(key))
    assert response.status_code == 401
    assert api_urls.calls == []


def test_no_token_is_401_with_a_hint_and_the_view_does_not_run(client, db):
    response = client.get("/api/whoami")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="wxops"'
    assert "wxops apitoken create" in response.json()["error"]
    assert api_urls.calls == []


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer wagtail_" + "A" * 33, "Bearer ", "Basic ZWRpdG9yMTpwdw=="])
def test_a_bad_or_foreign_credential_is_401(client, editor, header):
    create("editor1", "real")
    response = client.get("/api/whoami", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert api_urls.calls == []


def test_an_inactive_users_token_is_refused(client, editor):
    key = create("editor1", "intranet form")
    editor.is_active = False
    editor.save()
    assert client.get("/api/whoami", **bearer(key)).status_code == 401
    assert api_urls.calls == []


def test_a_logged_in_session_is_not_enough_unless_the_view_allows_it(client, editor):
    client.force_login(editor)
    assert client.get("/api/whoami").status_code == 401
    assert client.get("/api/whoami-or-session").json() == {"user": "editor1", "token": None}


def test_a_session_caller_needs_the_csrf_token_and_a_token_caller_does_not(editor):
    key = create("editor1", "intranet form")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post("/api/whoami-or-session").status_code == 403
    assert api_urls.calls == []
    assert Client(enforce_csrf_checks=True).post("/api/whoami-or-session", **bearer(key)).status_code == 200
    assert api_urls.calls == ["editor1"]


def test_a_bad_token_never_falls_back_to_the_session(client, editor):
    client.force_login(editor)
    response = client.get("/api/whoami-or-session", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    assert api_urls.calls == []


def test_the_admin_creates_a_token_shown_once_and_revokes_it(client, editor):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-boss-boss")
    client.force_login(admin)
    assert client.get("/admin/api-tokens/").status_code == 200
    created = client.post("/admin/api-tokens/new/", {"name": "feed robot", "user": editor.pk})
    assert created.status_code == 200
    [key] = re.findall(r"wagtail_[0-9A-Za-z]{30,}", created.content.decode())
    token = APIToken.objects.get(name="feed robot")
    assert token.user == editor
    listing = client.get("/admin/api-tokens/").content.decode()
    assert "feed robot" in listing and key not in listing
    assert Client().get("/api/whoami", **bearer(key)).json()["user"] == "editor1"
    client.post(f"/admin/api-tokens/delete/{token.pk}/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/whoami", **bearer(key)).status_code == 401
