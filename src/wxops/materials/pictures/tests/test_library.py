"""The picture library with the database: duplicate warning on upload, stored renditions, licences, tags."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wxops.materials.models import Article, Picture
from wxops.materials.models.picture import Licence, WeChatRendition
from wxops.materials.pictures import library
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload_form(name: str, data: bytes, **extra):
    from wagtail.images.forms import get_image_form

    form_class = get_image_form(Picture)
    fields = {"title": name, "licence": Licence.OWN, "collection": "1", **extra}
    from wagtail.models import Collection

    fields["collection"] = str(Collection.get_first_root_node().pk)
    return form_class(data=fields, files={"file": SimpleUploadedFile(name, data, content_type="image/png")})


def saved(name: str, data: bytes, **extra) -> Picture:
    form = upload_form(name, data, **extra)
    assert form.is_valid(), form.errors
    return form.save()


def test_upload_stores_phash_and_makes_the_three_renditions(django_capture_on_commit_callbacks):
    form = upload_form("会议.png", encoded(scene(1), "PNG"))
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        picture = form.save()
    assert len(picture.phash) == 16
    kinds = {r.kind: r for r in WeChatRendition.objects.filter(picture=picture)}
    assert set(kinds) == {"cover", "thumb", "inline"}
    assert (kinds["cover"].width, kinds["cover"].height) == (900, 383)
    assert kinds["thumb"].size <= 64 * 1024 and kinds["inline"].size <= 1024 * 1024


def test_a_resized_copy_is_recognised_as_already_in_the_library():
    first = upload_form("原图.png", encoded(scene(2), "PNG"))
    assert first.is_valid()
    existing = first.save()
    copy = upload_form("副本.jpg", encoded(scene(2).resize((600, 400)), "JPEG", quality=70))
    assert not copy.is_valid()
    assert f"已在图片库中：“原图.png”（#{existing.pk}" in copy.errors["file"][0]
    assert Picture.objects.count() == 1
    anyway = upload_form("副本.jpg", encoded(scene(2).resize((600, 400)), "JPEG", quality=70), upload_anyway="on")
    assert anyway.is_valid(), anyway.errors
    anyway.save()
    assert Picture.objects.count() == 2


def test_a_different_picture_is_not_a_duplicate():
    saved("一.png", encoded(scene(5), "PNG"))
    assert upload_form("二.png", encoded(scene(6), "PNG")).is_valid()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored():
    form = upload_form("report.png", b"%PDF-1.4 not really a picture")
    assert not form.is_valid()
    assert "file" in form.errors
    assert Picture.objects.count() == 0 and WeChatRendition.objects.count() == 0


def test_rendition_is_remade_when_the_focal_point_moves():
    picture = saved("焦点.png", encoded(scene(7), "PNG"))
    first = library.wechat_rendition(picture, "cover")
    assert library.wechat_rendition(picture, "cover").pk == first.pk
    picture.focal_point_x, picture.focal_point_y, picture.focal_point_width, picture.focal_point_height = 1000, 100, 50, 50
    picture.save()
    moved = library.wechat_rendition(picture, "cover")
    assert moved.pk != first.pk and WeChatRendition.objects.filter(picture=picture, kind="cover").count() == 1


def test_unpublishable_pictures_of_an_article_are_flagged(account_with_category):
    account, category = account_with_category
    unknown = saved("来路不明.png", encoded(scene(8), "PNG"), licence=Licence.UNKNOWN)
    own = saved("自己拍的.png", encoded(scene(9), "PNG"))
    article = Article.objects.create(
        account=account, title="标题", cover=own, live=False,
        body=f'<p>正文</p><embed embedtype="image" id="{unknown.pk}" format="fullwidth" alt=""/>')
    [(picture, reason)] = library.unpublishable_pictures_of(article)
    assert picture == unknown and "来路不明.png" in reason
    article.body = "<p>正文</p>"
    assert library.unpublishable_pictures_of(article) == []


def test_tags_per_category(account_with_category):
    _, category = account_with_category
    picture = saved("财务.png", encoded(scene(10), "PNG"))
    library.tag_with_category(picture, category)
    assert list(library.for_category(category)) == [picture]


@pytest.fixture
def account_with_category(db):
    import secrets

    from wxops.accounts.models import Account, Category

    account = Account.objects.create(name="图片测试号", app_id="wx" + secrets.token_hex(8))
    return account, Category.objects.create(account=account, name="财务管理")


def test_a_picture_without_hash_has_no_duplicates():
    assert library.near_duplicates("") == []


def test_saving_an_article_tags_its_cover_and_warns_about_unknown_licences(account_with_category, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from wxops.materials import wagtail_hooks as hooks

    account, category = account_with_category
    cover = saved("封面.png", encoded(scene(11), "PNG"), licence=Licence.UNKNOWN)
    article = Article.objects.create(account=account, title="标题", cover=cover, category=category, live=False)
    request = rf.post("/admin/snippets/materials/article/add/")
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    hooks.after_create_article(request, article)
    assert list(cover.tags.names()) == ["财务管理"]
    warnings = [str(m) for m in get_messages(request)]
    assert len(warnings) == 1 and "封面.png" in warnings[0]
