"""In a real browser: the findings panel appears on the article's edit screen, highlighted,
and the submit action is replaced while something blocks."""

import os
import secrets
from pathlib import Path

import pytest

from wxops.accounts.models import Account
from wxops.materials.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()


def test_the_editor_sees_the_findings_in_context(live_server, page, django_user_model):
    from django.contrib.auth.models import Group

    from wxops.editorial.workflow import ensure_review_workflow

    ensure_review_workflow(Group.objects.get_or_create(name="审核人")[0])
    password = secrets.token_urlsafe(12)
    django_user_model.objects.create_superuser("boss", "boss@example.com", password)
    account = Account.objects.create(name="中恒财务", app_id="wx" + secrets.token_hex(8))
    article = Article.objects.create(account=account, title="理财观察", body="<p>本基金稳赚不赔，欢迎咨询。</p>")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/snippets/materials/article/edit/{article.pk}/")

    mark = page.locator("#wxops-findings mark.wxops-block")
    mark.wait_for()
    assert mark.inner_text() == "稳赚不赔"
    assert "本基金" in page.locator("#wxops-findings .wxops-context").first.inner_text()
    assert page.locator("button[name='action-submit']").count() == 0
    assert page.locator("button[disabled]", has_text="内容规范问题").count() == 1
