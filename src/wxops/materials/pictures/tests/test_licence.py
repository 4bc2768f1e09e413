"""The licence rule: unknown is a conscious choice, 已获授权 names who granted it, publishing asks one function."""

from __future__ import annotations

import pytest
from django.utils import translation

from wxops.materials.models import Picture
from wxops.materials.models.picture import Licence
from wxops.materials.pictures.licence import unpublishable_reason
from wxops.materials.pictures.tests.test_library import media, upload_form  # noqa: F401  (fixture)
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

pytestmark = pytest.mark.django_db


def picture(**fields) -> Picture:
    return Picture(title="会场.jpg", width=10, height=10, **fields)


@pytest.mark.parametrize("licence", [Licence.OWN, Licence.PUBLIC_DOMAIN])
def test_own_and_public_domain_pictures_may_be_published(licence):
    assert unpublishable_reason(picture(licence=licence)) is None


def test_a_licensed_picture_with_its_licensor_may_be_published():
    assert unpublishable_reason(picture(licence=Licence.LICENSED, licensor="视觉中国 合同 2026-118")) is None


@pytest.mark.parametrize(("fields", "words"), [
    ({"licence": Licence.UNKNOWN}, "授权情况未知"),
    ({"licence": ""}, "尚未登记授权"),
    ({"licence": Licence.LICENSED}, "授权方"),
    ({"licence": Licence.LICENSED, "licensor": "   "}, "授权方"),
    ({"licence": "stolen"}, "无法识别"),
])
def test_unpublishable_pictures_say_why_in_chinese(fields, words):
    with translation.override("zh-hans"):
        reason = unpublishable_reason(picture(**fields))
    assert reason is not None and words in reason and "会场.jpg" in reason


def test_a_picture_created_without_the_form_has_no_licence_and_is_not_publishable():
    # A bulk upload or a picture taken from a story: nobody chose a licence yet.
    assert Picture().licence == ""
    assert unpublishable_reason(picture()) is not None


def test_the_upload_form_preselects_no_licence_and_requires_one():
    form = upload_form("无授权.png", encoded(scene(20), "PNG"), licence="")
    field = form.fields["licence"]
    assert field.choices[0][0] == "" and field.required
    assert not form.is_valid()
    assert "licence" in form.errors
    assert Picture.objects.count() == 0


def test_unknown_is_accepted_when_chosen_consciously():
    form = upload_form("来路不明.png", encoded(scene(21), "PNG"), licence=Licence.UNKNOWN)
    assert form.is_valid(), form.errors


def test_licensed_without_a_licensor_is_refused_on_the_form_and_nothing_is_stored():
    form = upload_form("授权图.png", encoded(scene(22), "PNG"), licence=Licence.LICENSED)
    assert not form.is_valid()
    assert list(form.errors) == ["licensor"]
    assert Picture.objects.count() == 0
    form = upload_form("授权图.png", encoded(scene(22), "PNG"), licence=Licence.LICENSED, licensor="新华社图片")
    assert form.is_valid(), form.errors
    assert unpublishable_reason(form.save()) is None


def test_the_form_warns_that_image_search_photos_are_usually_someone_s_copyright():
    form = upload_form("x.png", encoded(scene(23), "PNG"))
    with translation.override("zh-hans"):
        assert "版权" in str(form.fields["licence"].help_text)
