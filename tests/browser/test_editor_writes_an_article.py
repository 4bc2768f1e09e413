"""An editor logs in, writes an article with a cover picture and finds it in the list."""

import io

import pytest
from PIL import Image

from wxops.materials.models import Article, Picture
from wxops.site.demo import load_demo

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cover_png(path):
    image = Image.new("RGB", (900, 383), (30, 110, 180))
    for x in range(0, 900, 60):
        for y in range(0, 383, 60):
            image.paste((240, 200, 40), (x, y, x + 30, y + 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_editor_creates_an_article_with_a_cover_and_sees_it_listed(live_server, page, tmp_path):
    account, _ = load_demo()
    cover = cover_png(tmp_path / "封面.png")

    log_in(page, live_server.url, "editor")

    page.goto(f"{live_server.url}/admin/snippets/materials/article/add/")
    page.select_option("#id_account", str(account.pk))
    page.fill("#id_title", "社保基数调整，企业要注意什么")
    page.fill("#id_author", "小王")
    page.select_option("#id_category", label="人力资源管理")
    page.fill("#id_digest", "今年社保基数调整的三个要点。")

    page.click("#id_cover-chooser button.action-choose, [data-chooser-action-choose]")
    page.get_by_role("tab", name="上传").click()
    page.set_input_files("#id_image-chooser-upload-file", str(cover))
    # Wagtail fills the title from the file name; wait for it, or typing races it ("封面社保封面")
    page.wait_for_function("document.querySelector('#id_image-chooser-upload-title').value === '封面'")
    page.fill("#id_image-chooser-upload-title", "社保封面")
    page.select_option("#id_image-chooser-upload-licence", "own")  # no licence is pre-selected
    page.locator(".modal-content button[type=submit]", has_text="上传").click()
    page.wait_for_selector(".modal-content", state="detached")
    assert page.locator("#id_cover-chooser").inner_text().count("社保封面") == 1

    page.get_by_role("button", name="保存草稿").first.click()
    page.wait_for_url(f"{live_server.url}/admin/snippets/materials/article/edit/*/")

    page.goto(f"{live_server.url}/admin/snippets/materials/article/")
    assert page.get_by_role("link", name="社保基数调整，企业要注意什么").is_visible()

    article = Article.objects.get(title="社保基数调整，企业要注意什么")
    assert (article.author, article.category.name, article.cover.title) == ("小王", "人力资源管理", "社保封面")
    assert article.live is False  # a draft, waiting for review
    assert Picture.objects.count() == 1
