"""Uploads through Wagtail's own views: the bulk uploader's duplicate warning has its checkbox,
flat pictures are not refused as duplicates of each other, the text is read once at upload."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wxops.materials.models import Picture, PictureText
from wxops.materials.models.picture import Licence
from wxops.materials.pictures.tests.test_flat_and_animated import text_card
from wxops.materials.pictures.tests.test_library import media, saved, upload_form  # noqa: F401  (fixture)
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(db):
    user = get_user_model().objects.create_superuser("pic", "pic@example.com", "pw-" + "5" * 12)
    client = Client()
    client.force_login(user)
    return client


def test_a_different_text_card_is_not_refused_as_a_duplicate():
    saved("讲堂.png", encoded(text_card("本周六融智大讲堂：股权设计"), "PNG"))
    form = upload_form("截止.png", encoded(text_card("年度汇算清缴截止提醒"), "PNG"))
    assert form.is_valid(), form.errors
    again = upload_form("讲堂副本.jpg", encoded(text_card("本周六融智大讲堂：股权设计").resize((600, 333)), "JPEG"))
    assert not again.is_valid() and "讲堂.png" in again.errors["file"][0]


def test_the_bulk_uploader_asks_the_licence_and_offers_upload_anyway_beside_the_duplicate_warning(client):
    existing = saved("原图.png", encoded(scene(31), "PNG"))
    copy = encoded(scene(31).resize((600, 400)), "JPEG", quality=75)
    first = client.post("/admin/images/multiple/add/", {"files[]": SimpleUploadedFile("copy.jpg", copy, "image/jpeg")})
    body = first.json()
    assert body["success"] and "uploaded_file_id" in body, body  # kept aside: a form per picture follows
    assert f"#{existing.pk}" in body["form"] and "upload_anyway" in body["form"]  # the warning beside its checkbox
    assert "data-wxops-duplicate" in body["form"]  # marked: the uploader hides its 上传成功 line above it
    upload_id = body["uploaded_file_id"]
    url = f"/admin/images/multiple/create_from_uploaded_image/{upload_id}/"
    prefix = f"uploaded-image-{upload_id}"
    refused = client.post(url, {f"{prefix}-title": "副本", f"{prefix}-licence": Licence.OWN}).json()
    assert not refused["success"] and "仍然上传" in refused["form"] and "data-wxops-duplicate" in refused["form"]
    assert Picture.objects.count() == 1
    no_licence = client.post(url, {f"{prefix}-title": "副本", f"{prefix}-upload_anyway": "on"}).json()
    assert not no_licence["success"] and Picture.objects.count() == 1
    accepted = client.post(url, {f"{prefix}-title": "副本", f"{prefix}-licence": Licence.OWN,
                                 f"{prefix}-upload_anyway": "on"}).json()
    assert accepted["success"], accepted
    assert Picture.objects.count() == 2


def test_the_bulk_uploader_hides_its_success_line_by_a_class_on_a_refused_duplicate_s_row(client):
    page = client.get("/admin/images/multiple/add/").content.decode()
    assert "li.wxops-held .status-msg.success { display: none; }" in page
    assert '"#upload-list [data-wxops-duplicate]"' in page and ":has(" not in page  # browsers without :has() too


def test_the_bulk_uploader_adds_a_new_picture_once_its_licence_is_chosen(client):
    first = client.post("/admin/images/multiple/add/", {
        "files[]": SimpleUploadedFile("new.png", encoded(scene(32), "PNG"), "image/png")}).json()
    assert first["success"] and "仍然上传" not in first["form"].split("upload_anyway")[0][-200:]
    assert "data-wxops-duplicate" not in first["form"]  # a new picture: the uploader's 上传成功 stays
    upload_id = first["uploaded_file_id"]
    prefix = f"uploaded-image-{upload_id}"
    done = client.post(f"/admin/images/multiple/create_from_uploaded_image/{upload_id}/",
                       {f"{prefix}-title": "新图", f"{prefix}-licence": Licence.PUBLIC_DOMAIN}).json()
    assert done["success"], done
    assert Picture.objects.get().licence == Licence.PUBLIC_DOMAIN


def test_the_text_of_a_picture_is_read_at_upload_and_an_article_check_reuses_it(
        django_capture_on_commit_callbacks, monkeypatch):
    from wxops.compliance import images
    from wxops.materials.pictures import ocr

    reads = []
    real = images.read_image

    def counted(data):
        reads.append(len(data))
        return real(data)

    monkeypatch.setattr(ocr, "read_image", counted)
    card = encoded(text_card("扫码领取礼品"), "PNG")
    form = upload_form("活动.png", card)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        picture = form.save()
    assert len(reads) == 1 and PictureText.objects.count() == 1
    with picture.open_file() as handle:
        again = ocr.picture_text(handle.read())
    assert len(reads) == 1  # from the store: no OCR when an article using it is checked
    assert again.text == PictureText.objects.get().text
