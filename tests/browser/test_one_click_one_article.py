"""One click on 保存草稿 makes one article, and the last edit typed before it is kept.

Under load a click once made two articles: Wagtail 8's autosave had already created the
article from the create view, and the click posted the create form a second time. The
desk saves only when the editor says so (``WAGTAIL_AUTOSAVE_INTERVAL = 0``).
"""

import pytest

from wxops.materials.models import Article
from wxops.site.demo import load_demo

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "年末个税汇算，五个常见问题"


def test_a_double_click_on_save_draft_makes_one_article_with_the_last_edit(live_server, page):
    account, _ = load_demo()
    log_in(page, live_server.url, "editor")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    page.goto(f"{live_server.url}/admin/snippets/materials/article/add/")
    # Nothing posts the form behind the editor's back (Wagtail's w-autosave controller is off).
    assert page.locator("form[data-edit-form]").get_attribute("data-controller").split() == ["w-unsaved"]
    page.select_option("#id_account", str(account.pk))
    page.fill("#id_title", "草稿标题")
    page.fill("#id_digest", "汇算清缴前要准备的材料。")
    page.wait_for_load_state("networkidle")
    assert posts == []

    page.fill("#id_title", TITLE)  # the last edit, typed just before the click
    page.get_by_role("button", name="保存草稿").first.dblclick()
    page.wait_for_url(f"{live_server.url}/admin/snippets/materials/article/edit/*/")
    page.wait_for_load_state("networkidle")

    assert list(Article.objects.values_list("title", flat=True)) == [TITLE]


def test_an_edit_typed_just_before_saving_is_kept(live_server, page):
    account, _ = load_demo()
    article = Article.objects.create(account=account, title="初稿", digest="")
    log_in(page, live_server.url, "editor")

    page.goto(f"{live_server.url}/admin/snippets/materials/article/edit/{article.pk}/")
    assert "w-autosave" not in page.locator("form[data-edit-form]").get_attribute("data-controller")
    page.fill("#id_title", TITLE)
    page.get_by_role("button", name="保存草稿").first.click()
    page.locator(".messages .success").wait_for()

    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == TITLE
    assert Article.objects.count() == 1
