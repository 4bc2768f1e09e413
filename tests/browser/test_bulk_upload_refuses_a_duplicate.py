"""The bulk picture uploader, in a real browser: a picture already in the library is refused with a
Chinese warning beside a real 仍然上传 (upload anyway) checkbox, and ticking it adds the picture.

Issue 16 saw the refusal tell the editor to tick "仍然上传" on a form that had no such checkbox.
"""

import pytest

from wxops.materials.models import Picture
from wxops.materials.models.picture import Licence
from wxops.materials.pictures.tests.test_library import saved
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene
from wxops.site.demo import load_demo

from .desk_screens import ScreenChecker, artefacts_folder
from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 45_000


def test_a_duplicate_is_refused_in_chinese_and_ticking_upload_anyway_adds_it(live_server, page, settings, tmp_path,
                                                                              request):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"
    screens = ScreenChecker(artefacts_folder(request.node.name))
    page.set_default_timeout(TIMEOUT_MS)
    load_demo()
    existing = saved("原图.png", encoded(scene(31), "PNG"))
    copy = tmp_path / "副本.jpg"
    copy.write_bytes(encoded(scene(31).resize((600, 400)), "JPEG", quality=75))  # smaller, recompressed

    log_in(page, live_server.url, "editor")

    page.goto(f"{live_server.url}/admin/images/multiple/add/")
    page.set_input_files("#fileupload", str(copy))
    form = page.locator("#upload-list li form")
    form.wait_for()
    anyway = form.get_by_label("仍然上传")
    assert anyway.get_attribute("type") == "checkbox" and anyway.is_visible() and not anyway.is_checked()
    warning = anyway.locator("xpath=ancestor::li[1]").inner_text()  # the checkbox's own field
    assert "原图.png" in warning and f"#{existing.pk}" in warning and "已" in warning  # Chinese, naming the original
    fields = form.locator("input:visible, select:visible, textarea:visible")
    assert fields.first.get_attribute("name").endswith("-upload_anyway")  # the first thing the editor reads
    row = form.locator("xpath=ancestor::li[1]")
    assert not row.locator(".status-msg.success").is_visible()  # no 上传成功
    assert "wxops-held" in row.get_attribute("class")  # hidden by a class on the row, not by CSS :has()
    screens.look(page, "duplicate-warned")

    form.locator("select[name$=-licence]").select_option(Licence.OWN)
    form.get_by_role("button", name="更新").click()
    refused = page.locator("#upload-list li form .error-message, #upload-list li form .help-critical",
                           has_text="仍然上传")
    refused.first.wait_for()  # refused again, the checkbox still there
    assert Picture.objects.count() == 1
    assert not page.locator("#upload-list > li .status-msg.success").is_visible()
    screens.look(page, "duplicate-refused")

    form = page.locator("#upload-list li form")
    form.locator("select[name$=-licence]").select_option(Licence.OWN)
    form.get_by_label("仍然上传").check()
    form.get_by_role("button", name="更新").click()
    page.locator(".messages li.success", has_text="图片已更新").wait_for()  # Wagtail's message; the form leaves
    page.locator("#upload-list > li").wait_for(state="detached")
    screens.look(page, "uploaded-anyway")
    assert Picture.objects.count() == 2
    added = Picture.objects.exclude(pk=existing.pk).get()
    assert added.licence == Licence.OWN
