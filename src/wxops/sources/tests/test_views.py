"""The admin pool, story and source actions, the submission form and the JSON endpoint."""

from __future__ import annotations

import base64
import json
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from wxops.sources import actions, synthetic
from wxops.sources.models import Item, Source, SourceKind, SourceStatus, Story

# Mounted here as the site mounts them (a lower layer may not import wxops.site).
urlpatterns = [path("sources/", include("wxops.sources.urls")), path("admin/", include(wagtailadmin_urls))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
PASSWORD = "pw-" + "9" * 12


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_pool_lists_ranked_stories_with_filters(account, admin_client):
    rng = random.Random(8)
    originals = [synthetic.article(rng, n) for n in range(3)]
    actions.ingest(account, [*originals, synthetic.reprint(rng, originals[0], 1)])
    response = admin_client.get("/admin/sources/pool/")
    assert response.status_code == 200
    page = response.content.decode()
    for original in originals:
        assert original.title in page
    category = Story.objects.first().category
    filtered = admin_client.get(f"/admin/sources/pool/?category={category.pk}").content.decode()
    assert filtered.count("转为图文") == Story.objects.filter(category=category).count()


def test_turn_into_article_from_the_pool(account, admin_client):
    actions.ingest(account, [synthetic.article(random.Random(1), 1)])
    story = Story.objects.get()
    response = admin_client.post(f"/admin/sources/stories/{story.pk}/article/")
    story.refresh_from_db()
    assert response.status_code == 302 and story.article is not None
    assert response["Location"].endswith(f"/edit/{story.article.pk}/")


def test_the_reprint_status_is_set_in_the_pool_logged_and_a_quoted_text_warns_when_used(account, admin_client):
    from django.contrib.messages import get_messages
    from wagtail.models import ModelLogEntry

    from wxops.sources.models import ReprintStatus

    actions.ingest(account, [synthetic.article(random.Random(1), 1), synthetic.article(random.Random(2), 2)])
    quoted, licensed = Story.objects.order_by("pk")
    item = licensed.items.get()
    assert "来源引用" in admin_client.get("/admin/sources/pool/").content.decode()
    admin_client.post(f"/admin/sources/stories/{licensed.pk}/reprint/",
                      {"item": item.pk, "reprint": ReprintStatus.LICENSED})
    item.refresh_from_db()
    assert item.reprint == ReprintStatus.LICENSED
    [entry] = ModelLogEntry.objects.filter(action="wxops.sources.reprint_status")
    assert entry.data == {"item": item.pk, "from": "quoted", "to": "licensed"}
    response = admin_client.post(f"/admin/sources/stories/{licensed.pk}/article/")
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    response = admin_client.post(f"/admin/sources/stories/{quoted.pk}/article/")
    [warning] = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "来源引用" in warning and "示例资讯" in warning
    admin_client.post(f"/admin/sources/stories/{licensed.pk}/reprint/", {"item": item.pk, "reprint": "stolen"})
    item.refresh_from_db()
    assert item.reprint == ReprintStatus.LICENSED  # an unknown status changes nothing (and is no 500)


def test_source_listing_and_pause_resume(account, admin_client):
    source = Source.objects.create(account=account, name="财政部", kind=SourceKind.FEED, location="http://127.0.0.1:9/x")
    assert "财政部" in admin_client.get("/admin/snippets/sources/source/").content.decode()
    admin_client.post(f"/admin/sources/sources/{source.pk}/pause/")
    source.refresh_from_db()
    assert source.status == SourceStatus.PAUSED and "boss" in source.paused_reason
    admin_client.post(f"/admin/sources/sources/{source.pk}/resume/")
    source.refresh_from_db()
    assert source.status == SourceStatus.ACTIVE


def test_submission_form_for_staff_in_the_admin_layout(account, staff):
    client = Client()
    assert client.get("/sources/submit/")["Location"] == "/admin/sources/submit/"  # the old address leads there
    assert "/admin/login/" in client.get("/admin/sources/submit/")["Location"]
    client.force_login(staff)
    page = client.get("/admin/sources/submit/").content.decode()
    assert 'class="w-header' in page or "w-header" in page  # Wagtail's admin layout, its menu and styles
    response = client.post("/admin/sources/submit/", {
        "account": account.pk, "title": "本月社保基数调整提醒",
        "text": "各位同事：本月起社保缴费基数按上一年度月平均工资调整，请人事专员核对员工工资数据。"})
    assert response.status_code == 200
    assert "已收录到候选池" in response.content.decode()
    item = Item.objects.get()
    assert item.submitted_by == staff and item.category.name == "人力资源管理"


def bearer(user) -> str:
    from wagtail.models import APIToken

    _token, plaintext = APIToken.create_token(user=user, name="intranet form")
    return f"Bearer {plaintext}"


def test_json_endpoint_with_a_bearer_token(account, staff):
    response = Client().post("/sources/api/submissions", data=json.dumps({
        "account": account.name, "title": "融智财税管家服务升级",
        "text": "融智财税管家服务升级：每月出具经营分析简报，季度上门走访，年度汇算清缴全程代办。"}),
        content_type="application/json", HTTP_AUTHORIZATION=bearer(staff))
    assert response.status_code == 201
    body = response.json()
    assert body["item"]["category"] == "公司融智综合服务体系"
    assert set(body) == {"blocked", "duplicate", "findings", "item"} and body["duplicate"] is False


def test_json_endpoint_refuses_anonymous_basic_auth_bad_json_and_bad_fields(account, staff):
    anonymous = Client().post("/sources/api/submissions", data="{}", content_type="application/json")
    assert anonymous.status_code == 401
    basic = base64.b64encode(f"staff:{PASSWORD}".encode()).decode()  # the old HTTP Basic way is gone
    assert Client().post("/sources/api/submissions", data="{}", content_type="application/json",
                         HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 401
    client = Client(HTTP_AUTHORIZATION=bearer(staff))
    assert client.post("/sources/api/submissions", data="not json", content_type="application/json").status_code == 400
    bad = client.post("/sources/api/submissions", data=json.dumps({"account": account.pk, "title": "", "text": "短"}),
                      content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"title", "text"}
    assert Item.objects.count() == 0


def test_json_endpoint_with_a_session_needs_the_csrf_token(account, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/sources/api/submissions", data=json.dumps({"title": "x", "text": "y" * 30}),
                           content_type="application/json")
    assert response.status_code == 403
    assert Item.objects.count() == 0


def test_the_same_submission_twice_is_answered_200_duplicate_and_stored_once(account, staff):
    payload = json.dumps({"account": account.pk, "title": "年终奖个税计算提醒",
                          "text": "年终奖可以选择单独计税或并入综合所得，财务部门请在发放前为员工测算两种方式的税额。"})
    client = Client(HTTP_AUTHORIZATION=bearer(staff))
    first = client.post("/sources/api/submissions", data=payload, content_type="application/json")
    again = client.post("/sources/api/submissions", data=payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True and again.json()["item"]["id"] == first.json()["item"]["id"]
    assert Item.objects.count() == 1


def test_a_token_of_someone_who_is_not_staff_is_refused(account):
    outsider = get_user_model().objects.create_user("outsider", password=PASSWORD)
    response = Client().post("/sources/api/submissions", data=json.dumps({
        "account": account.pk, "title": "不是员工", "text": "这段文字来自一个不是员工的账号，不应进入候选池。"}),
        content_type="application/json", HTTP_AUTHORIZATION=bearer(outsider))
    assert response.status_code == 403 and Item.objects.count() == 0


def test_json_endpoint_answers_422_with_findings_when_the_rules_block(account, staff):
    response = Client().post("/sources/api/submissions", data=json.dumps({
        "account": account.pk, "title": "内部活动", "text": "参加活动请转发到朋友圈，集满三十个赞即可领取礼品一份。"}),
        content_type="application/json", HTTP_AUTHORIZATION=bearer(staff))
    assert response.status_code == 422
    body = response.json()
    assert body["blocked"] is True and "转发到朋友圈" in {f["text"] for f in body["findings"]}
    assert Item.objects.count() == 0


def test_source_form_explains_a_missing_or_wrong_address(account):
    from django.core.exceptions import ValidationError as DjangoValidationError

    source = Source(account=account, name="错地址", kind=SourceKind.FEED, location="www.example.com/rss")
    with pytest.raises(DjangoValidationError) as caught:
        source.full_clean()
    assert "http(s)" in caught.value.message_dict["location"][0]
    assert Source.objects.count() == 0


def test_admin_submission_page_and_source_add_form(account, admin_client):
    submit = admin_client.get("/admin/sources/submit/")
    assert submit.status_code == 200
    assert re.search(rf'<option value="{account.pk}" selected>', submit.content.decode()), "the only account is preset"
    form = admin_client.get("/admin/snippets/sources/source/add/").content.decode()
    assert 'name="location"' in form and 'name="etag"' not in form
    assert re.search(rf'name="account" value="{account.pk}"', form), "the only account is preset"


def test_source_inspect_page_shows_the_error_history(account, admin_client, server):
    source = Source.objects.create(account=account, name="历史", kind=SourceKind.FEED, location=server.url("/none.xml"))
    actions.poll_source(source)
    page = admin_client.get(f"/admin/snippets/sources/source/inspect/{source.pk}/").content.decode()
    assert "HTTP 404" in page


def test_next_must_stay_on_this_site(account, admin_client):
    actions.ingest(account, [synthetic.article(random.Random(2), 1)])
    story = Story.objects.get()
    for evil in ("//evil.example/phish", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = admin_client.post(f"/admin/sources/stories/{story.pk}/dismiss/", {"next": evil})
        assert response["Location"] == "/admin/sources/pool/", evil
        admin_client.post(f"/admin/sources/stories/{story.pk}/restore/")
    response = admin_client.post(f"/admin/sources/stories/{story.pk}/dismiss/", {"next": "/admin/sources/pool/?q=x"})
    assert response["Location"] == "/admin/sources/pool/?q=x"
    source = Source.objects.create(account=account, name="源", kind=SourceKind.FEED, location="https://x.example/f")
    response = admin_client.post(f"/admin/sources/sources/{source.pk}/pause/", {"next": "//evil.example"})
    assert response["Location"] == "/admin/snippets/sources/source/"


def test_poll_now_answers_with_a_progress_page_without_fetching(account, admin_client, server):
    route = server.route("/feed.xml", body=b"<rss/>")
    source = Source.objects.create(account=account, name="快", kind=SourceKind.FEED, location=server.url("/feed.xml"))
    response = admin_client.post(f"/admin/sources/sources/{source.pk}/poll/")
    attempt = source.attempts.get()
    assert response["Location"] == f"/admin/sources/sources/{source.pk}/polls/{attempt.pk}/"
    assert route.hits == [] and attempt.state == "queued"
    page = admin_client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page


def test_the_source_list_shows_what_came_in(account, admin_client, server):
    from wxops.sources.tests.conftest import fixture_bytes

    server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    source = Source.objects.create(account=account, name="进货", kind=SourceKind.FEED, location=server.url("/feed.xml"))
    actions.poll_source(source)
    page = admin_client.get("/admin/snippets/sources/source/").content.decode()
    assert "近 24 小时新增" in page and "上次成功抓取" in page and "新增 2" in page


def test_the_pool_menu_item_is_hidden_from_whom_the_pool_would_refuse(account):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("branch", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/sources/pool/" not in dashboard
    assert client.get("/admin/sources/pool/").status_code in (302, 403)


def test_submission_form_shows_blocking_findings_and_stores_nothing(account, staff):
    client = Client()
    client.force_login(staff)
    page = client.post("/admin/sources/submit/", {
        "account": account.pk, "title": "年会通知",
        "text": "本周五年会，转发到朋友圈集满三十个赞即可领取礼品，请大家积极参与。"}).content.decode()
    assert "未收录" in page and "[阻止]" in page and "转发到朋友圈" in page  # compliance's one Severity label
    assert Item.objects.count() == 0
