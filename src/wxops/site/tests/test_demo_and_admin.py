"""The demo account and the back office as its users see it (Django test client)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowContentType

from wxops.accounts.models import DEFAULT_CATEGORIES, Account
from wxops.materials.models import Article
from wxops.site.demo import DEMO_ACCOUNT_NAME, load_demo, read_logins


@pytest.fixture
def demo(db):
    return load_demo()


def login(client, username):
    password = {row.username: row.password for row in read_logins()}[username]
    assert client.login(username=username, password=password)


def test_demo_has_one_account_five_categories_and_a_user_per_role(demo):
    account, logins = demo
    assert account.name == DEMO_ACCOUNT_NAME
    assert list(account.categories.values_list("name", flat=True)) == list(DEFAULT_CATEGORIES)
    assert [(x.username, x.role) for x in logins] == [
        ("editor", "运营编辑"), ("reviewer", "审核人"), ("branch", "分公司管理员"),
        ("director", "总监"), ("admin", "管理员")]
    user = get_user_model().objects.get(username="reviewer")
    assert list(user.groups.values_list("name", flat=True)) == ["审核人"]


def test_demo_account_welcomes_new_followers(demo):
    account, _ = demo
    assert account.auto_reply.subscribe_text.startswith("感谢关注中恒融智")


def test_demo_twice_keeps_data_and_passwords(demo):
    account, logins = demo
    again_account, again_logins = load_demo()
    assert again_account.pk == account.pk and again_logins == logins
    assert Account.objects.count() == 1


def test_the_demo_command_plans_the_coming_slots_so_the_first_dashboard_shows_them(db, client):
    """The first dashboard after `make run` said 未来七天没有计划推送 until the hourly planner ran."""
    import io
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from wxops.core import clock
    from wxops.editorial.models import Push

    with clock.frozen(datetime(2026, 11, 28, 5, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):  # a Saturday
        out = io.StringIO()
        call_command("demo", stdout=out)
        slots = [push.local_slot.strftime("%m-%d %H:%M") for push in Push.objects.order_by("slot_at")[:3]]
        login(client, "editor")
        dashboard = client.get("/admin/").content.decode()
    assert slots == ["11-30 11:30", "12-02 11:30", "12-04 11:30"]  # Mon, Wed, Fri
    assert "push slots in the coming two weeks" in out.getvalue()
    assert "11月30日" in dashboard and "未来七天没有计划推送" not in dashboard


def test_articles_go_through_the_reviewers_workflow(demo):
    workflow = WorkflowContentType.objects.get(content_type__model="article").workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["审核人"]


def test_editor_sees_the_chinese_back_office_and_the_article_list(demo, client):
    account, _ = demo
    Article.objects.create(account=account, title="社保基数调整解读", category=account.categories.first())
    login(client, "editor")
    home = client.get("/admin/")
    assert home.status_code == 200
    assert 'lang="zh-hans"' in home.text
    listing = client.get("/admin/snippets/materials/article/")
    assert listing.status_code == 200
    assert "社保基数调整解读" in listing.text


def test_account_page_never_shows_the_secrets(demo, client):
    account, _ = demo
    login(client, "admin")
    page = client.get(f"/admin/snippets/accounts/account/edit/{account.pk}/")
    assert page.status_code == 200
    for secret in (account.app_secret, account.callback_token, account.encoding_aes_key):
        assert secret not in page.text
    assert "Stored — leave empty to keep it." in page.text or "已保存" in page.text


def test_saving_the_account_with_empty_secret_fields_keeps_them(demo, client):
    account, _ = demo
    login(client, "admin")
    response = client.post(f"/admin/snippets/accounts/account/edit/{account.pk}/", {
        "name": account.name, "app_id": account.app_id, "account_type": "subscription", "verified": "on",
        "time_zone": "Asia/Shanghai", "api_base": "", "app_secret": "", "message_mode": "safe",
        "callback_token": "", "encoding_aes_key": ""})
    assert response.status_code == 302
    stored = Account.objects.get(pk=account.pk)
    assert (stored.app_secret, stored.callback_token, stored.encoding_aes_key) == (
        account.app_secret, account.callback_token, account.encoding_aes_key)


def test_director_cannot_edit_articles(demo, client):
    account, _ = demo
    article = Article.objects.create(account=account, title="只读")
    login(client, "director")
    assert client.get("/admin/snippets/materials/article/").status_code == 200
    assert client.get(f"/admin/snippets/materials/article/edit/{article.pk}/").status_code in (302, 403)


def test_unknown_page_is_friendly_not_a_traceback(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_the_desk_speaks_chinese_even_to_an_english_browser(demo, client):
    login(client, "editor")
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in page.text


def test_a_user_who_prefers_english_gets_english(demo, client):
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.get(username="editor")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    login(client, "editor")
    page = client.get("/admin/")
    assert 'lang="en"' in page.text
