"""The check API over real HTTP: a token or an admin session is needed; answers as the CLI does."""

import httpx
import pytest

from wxops.compliance import actions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(live_server, settings):
    settings.ROOT_URLCONF = "wxops.compliance.tests.urls"
    return f"{live_server.url}/api/compliance/check"


def test_without_a_token_the_api_refuses_and_checks_nothing(api):
    response = httpx.post(api, json={"text": "稳赚不赔"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]
    assert "findings" not in response.json()
    assert httpx.post(api, json={"text": "x"}, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_token_gets_the_cli_json(api):
    _token, key = actions.create_api_token("crm")
    response = httpx.post(api, json={"text": "本品稳赚不赔"}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json() == actions.check_text("本品稳赚不赔").as_dict()
    assert response.json()["findings"][0]["start"] == 2


def test_html_offsets_are_into_the_extracted_text(api):
    _token, key = actions.create_api_token("cms")
    response = httpx.post(api, json={"html": "<p>你好</p><p>集赞有礼</p>"}, headers={"Authorization": f"Bearer {key}"})
    finding = response.json()["findings"][0]
    assert (finding["text"], finding["start"], finding["end"]) == ("集赞", 3, 5)


def test_bad_requests_say_what_to_fix(api, account):
    _token, key = actions.create_api_token("bad")
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.post(api, content=b"\xff\xfe", headers=headers).status_code == 400
    assert "只能给出其一" in httpx.post(api, json={"text": "a", "html": "b"}, headers=headers).json()["error"]
    assert "没有名为" in httpx.post(api, json={"text": "a", "account": "无此号"}, headers=headers).json()["error"]
    assert httpx.get(api, headers=headers).status_code == 405


def test_an_account_bound_token_cannot_check_for_another_account(api, account, other_account):
    _token, key = actions.create_api_token("bound", account)
    response = httpx.post(api, json={"text": "a", "account": other_account.name},
                          headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403


def test_a_logged_in_admin_session_may_use_it(api, live_server, administrator, client):
    client.force_login(administrator)
    cookie = client.cookies["sessionid"].value
    response = httpx.post(api, json={"text": "加微信"}, cookies={"sessionid": cookie}, timeout=120)
    assert response.status_code == 200
    assert response.json()["verdict"] == "review"
