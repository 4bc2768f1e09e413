"""Pictures from the web into the library: by URL or a pool story's own, safely fetched, licence asked."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from wxops.materials.actions import DuplicatePicture
from wxops.materials.models import Picture
from wxops.materials.models.picture import Licence
from wxops.materials.pictures.licence import unpublishable_reason
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene
from wxops.sources import actions
from wxops.sources.candidates import Document
from wxops.sources.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"


@pytest.fixture
def boss(db):
    return get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-" + "8" * 12)


def test_a_picture_by_url_is_stored_with_its_provenance(server, boss):
    server.route("/p/hall.jpg",
                 body=encoded(scene(51), "JPEG"), headers={"Content-Type": "image/jpeg"})
    picture = actions.add_picture_from_url(boss, server.url("/p/hall.jpg"), licence=Licence.LICENSED,
                                           licensor="新华社图片 合同 2026-31")
    assert picture.source_url == server.url("/p/hall.jpg") and picture.source_page == ""
    assert picture.source_site == "127.0.0.1" and picture.retrieved_at is not None
    assert unpublishable_reason(picture) is None and len(picture.phash) == 16


def test_a_page_s_main_picture_is_taken_with_the_page_as_provenance(server, boss):
    server.route("/news/1.html", body=b'<html><head><meta property="og:image" content="/img/lead.png"></head>'
                                     b'<body><p>news</p></body></html>', headers={"Content-Type": "text/html"})
    server.route("/img/lead.png", body=encoded(scene(52), "PNG"), headers={"Content-Type": "image/png"})
    picture = actions.add_picture_from_url(boss, server.url("/news/1.html"), licence=Licence.UNKNOWN)
    assert (picture.source_url, picture.source_page) == (server.url("/img/lead.png"), server.url("/news/1.html"))
    assert unpublishable_reason(picture) is not None  # unknown: kept, but not publishable


def test_the_licence_is_asked_before_anything_is_fetched(server, boss):
    route = server.route("/p.jpg", body=encoded(scene(53), "JPEG"), headers={"Content-Type": "image/jpeg"})
    for licence, licensor in (("", ""), (Licence.LICENSED, "")):
        with pytest.raises(ValidationError):
            actions.add_picture_from_url(boss, server.url("/p.jpg"), licence=licence, licensor=licensor)
    assert route.hits == [] and Picture.objects.count() == 0


def test_a_picture_on_an_internal_address_is_refused(server, boss, settings):
    settings.WXOPS_FETCH_ALLOW = ()
    route = server.route("/p.jpg", body=encoded(scene(54), "JPEG"), headers={"Content-Type": "image/jpeg"})
    with pytest.raises(ValidationError) as caught:
        actions.add_picture_from_url(boss, server.url("/p.jpg"), licence=Licence.OWN)
    assert "内部地址" in caught.value.message_dict["url"][0]
    assert route.hits == [] and Picture.objects.count() == 0


def test_the_same_picture_twice_is_a_duplicate_unless_added_anyway(server, boss):
    server.route("/a.jpg", body=encoded(scene(55), "JPEG"), headers={"Content-Type": "image/jpeg"})
    server.route("/b.jpg", body=encoded(scene(55).resize((600, 400)), "JPEG"), headers={"Content-Type": "image/jpeg"})
    first = actions.add_picture_from_url(boss, server.url("/a.jpg"), licence=Licence.OWN)
    with pytest.raises(DuplicatePicture) as caught:
        actions.add_picture_from_url(boss, server.url("/b.jpg"), licence=Licence.OWN)
    assert caught.value.duplicates[0].picture == first
    actions.add_picture_from_url(boss, server.url("/b.jpg"), licence=Licence.OWN, allow_duplicate=True)
    assert Picture.objects.count() == 2


def test_the_form_warns_about_image_search_copyright_and_asks_the_licence(boss):
    client = Client()
    client.force_login(boss)
    page = client.get("/admin/sources/pictures/from-url/").content.decode()
    assert "百度图库" in page and "版权" in page and 'name="licence"' in page
    options = page.split('name="licence"')[1].split("</select>")[0]
    assert 'value="" selected' in options and options.count("selected") == 1  # nothing chosen for the editor


def test_turning_a_story_into_an_article_offers_its_pictures_into_the_library(account, server, boss):
    server.route("/img/1.jpg", body=encoded(scene(56), "JPEG"), headers={"Content-Type": "image/jpeg"})
    server.route("/img/2.jpg", body=encoded(scene(57), "JPEG"), headers={"Content-Type": "image/jpeg"})
    actions.ingest(account, [Document(
        title="展会现场", url=server.url("/news/expo.html"), source_name="会展网",
        text="本届企业服务博览会吸引了三百余家机构参展，现场发布了多项财税服务新产品，观众人数创历史新高。",
        pictures=(server.url("/img/1.jpg"), server.url("/img/2.jpg")))])
    story = Story.objects.get()
    client = Client()
    client.force_login(boss)
    response = client.post(f"/admin/sources/stories/{story.pk}/article/")
    assert response["Location"] == f"/admin/sources/stories/{story.pk}/pictures/"
    page = client.get(response["Location"]).content.decode()
    assert server.url("/img/1.jpg") in page and "版权" in page
    done = client.post(response["Location"], {"p0-add": "1", "p0-licence": Licence.LICENSED, "p0-licensor": "会展网授权"})
    story.refresh_from_db()
    assert done["Location"] == f"/admin/snippets/materials/article/edit/{story.article_id}/"
    [picture] = Picture.objects.all()
    assert (picture.source_url, picture.source_page, picture.source_site) == (
        server.url("/img/1.jpg"), server.url("/news/expo.html"), "会展网")
    assert "<img" not in story.article.body  # nothing hot-linked into the article


def test_asking_who_may_add_a_picture_prints_no_deprecation(django_user_model):
    """Wagtail's old permission_policy import warned into make run's log on the first page that asked."""
    import warnings

    from wagtail.utils.deprecation import RemovedInWagtail90Warning

    from wxops.materials.actions import can_add_picture

    editor = django_user_model.objects.create_user("editor-of-pictures", password="x" * 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInWagtail90Warning)
        assert can_add_picture(editor) is False
        editor.is_superuser = True
        assert can_add_picture(editor) is True
