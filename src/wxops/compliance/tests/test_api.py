"""The check API over real HTTP: core's bearer API token or an admin session; answers as the CLI does."""

import functools

import httpx
import pytest
from wagtail.models import APIToken

from wxops.compliance import actions

pytestmark = pytest.mark.django_db(transaction=True)
# The first check in the server loads the rules and the model: give a busy machine time.
post = functools.partial(httpx.post, timeout=120)
get = functools.partial(httpx.get, timeout=120)


@pytest.fixture
def api(live_server, settings):
    settings.ROOT_URLCONF = "wxops.compliance.tests.urls"
    return f"{live_server.url}/api/compliance/check"


@pytest.fixture
def key(administrator):
    _token, plaintext = APIToken.create_token(user=administrator, name="crm")
    return plaintext


def test_without_a_token_the_api_refuses_and_checks_nothing(api):
    response = post(api, json={"text": "稳赚不赔"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]
    assert "findings" not in response.json()
    assert post(api, json={"text": "x"}, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_token_gets_the_cli_json(api, key):
    response = post(api, json={"text": "本品稳赚不赔"}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json() == actions.check_text("本品稳赚不赔").as_dict()
    assert response.json()["findings"][0]["start"] == 2


def test_a_revoked_token_is_refused(api, key):
    APIToken.objects.get().revoke()
    assert post(api, json={"text": "x"}, headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_token_of_a_user_without_admin_access_is_refused(api, django_user_model):
    user = django_user_model.objects.create_user("outsider", "o@example.com", "pw-outsider-1")
    _token, plaintext = APIToken.create_token(user=user, name="x")
    response = post(api, json={"text": "稳赚不赔"}, headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 403
    assert "findings" not in response.json()


def test_html_offsets_are_into_the_extracted_text_which_is_returned(api, key):
    response = post(api, json={"html": "<p>你好</p><p>集赞有礼</p>"}, headers={"Authorization": f"Bearer {key}"})
    data = response.json()
    finding = data["findings"][0]
    assert (finding["text"], finding["start"], finding["end"]) == ("集赞", 3, 5)
    assert data["text"][finding["start"]:finding["end"]] == "集赞"


def test_bad_requests_say_what_to_fix(api, account, key):
    headers = {"Authorization": f"Bearer {key}"}
    assert post(api, content=b"\xff\xfe", headers=headers).status_code == 400
    assert "只能给出其一" in post(api, json={"text": "a", "html": "b"}, headers=headers).json()["error"]
    assert "没有名为" in post(api, json={"text": "a", "account": "无此号"}, headers=headers).json()["error"]
    assert get(api, headers=headers).status_code == 405


def test_a_logged_in_admin_session_may_use_it(api, administrator, client):
    """A browser session works too (Django's test client passes the CSRF check, as a form would)."""
    client.force_login(administrator)
    response = client.post("/api/compliance/check", {"text": "加微信"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["verdict"] == "review"
