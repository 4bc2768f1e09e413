import pytest

from wxops.simulator.tests.conftest import JPEG, PNG, errcode


def test_uploadimg_accepts_jpg_and_png_up_to_1_mb_and_serves_the_picture(sim, api):
    answer = api.upload("/cgi-bin/media/uploadimg", PNG, "a.png")
    assert errcode(answer) == 0
    assert sim.http.get(answer["url"]).content == PNG
    assert errcode(api.upload("/cgi-bin/media/uploadimg", b"GIF89a" + b"\x00" * 10, "a.gif")) == 40005
    assert errcode(api.upload("/cgi-bin/media/uploadimg", JPEG + b"\x00" * (1024 * 1024), "big.jpg")) == 40009
    assert errcode(sim.http.post("/cgi-bin/media/uploadimg", params={"access_token": api.token}).json()) == 41005


def test_add_material_thumb_is_a_jpg_of_at_most_64_kb(api):
    assert "media_id" in api.upload("/cgi-bin/material/add_material", JPEG, type="thumb")
    assert errcode(api.upload("/cgi-bin/material/add_material", PNG, type="thumb")) == 40005
    assert errcode(api.upload("/cgi-bin/material/add_material", JPEG + b"\x00" * 65536, type="thumb")) == 40012
    image = api.upload("/cgi-bin/material/add_material", PNG, type="image")
    assert image["url"] and image["media_id"]
    assert errcode(api.upload("/cgi-bin/material/add_material", PNG, type="sticker")) == 40004


@pytest.mark.parametrize(("field", "value", "code"), [
    ("title", "标" * 33, 45003),
    ("author", "作" * 17, 45110),
    ("digest", "摘" * 129, 45004),
    ("content", "字" * 20000, 45002),
    ("content_source_url", "https://example.com/" + "a" * 1020, 45005),
    ("thumb_media_id", "not-a-media-id", 40007),
    ("title", "", 44003),
    ("title", 123, 47001),
    ("need_open_comment", 2, 40035),
])
def test_draft_field_limits(api, field, value, code):
    article = {"title": "标" * 32, "author": "作" * 16, "digest": "摘" * 128, "content": "字" * 19999,
               "thumb_media_id": api.thumb(), field: value}
    assert errcode(api.post("/cgi-bin/draft/add", {"articles": [article]})) == code
    assert api.get("/cgi-bin/draft/count")["total_count"] == 0


def test_draft_at_the_limits_is_accepted_and_scripts_and_foreign_images_are_stripped(api):
    own = api.upload("/cgi-bin/media/uploadimg", PNG, "a.png")["url"]
    content = (f'<p>正文</p><script>alert(1)</script><img src="{own}"><img src="https://example.com/x.png">')
    media_id = api.draft(title="标" * 32, author="作" * 16, digest="摘" * 128, content=content)
    item = api.post("/cgi-bin/draft/get", {"media_id": media_id})["news_item"][0]
    assert item["content"] == f'<p>正文</p><img src="{own}">'
    assert item["title"] == "标" * 32


def test_draft_lifecycle_count_batchget_update_delete(api):
    first, second = api.draft(title="一"), api.draft(title="二")
    assert api.get("/cgi-bin/draft/count") == {"total_count": 2}
    page = api.post("/cgi-bin/draft/batchget", {"offset": 0, "count": 20, "no_content": 1})
    assert page["total_count"] == 2 and page["item_count"] == 2
    assert "content" not in page["item"][0]["content"]["news_item"][0]
    changed = {"title": "改", "content": "<p>新</p>", "thumb_media_id": api.thumb()}
    assert errcode(api.post("/cgi-bin/draft/update", {"media_id": first, "index": 0, "articles": changed})) == 0
    assert api.post("/cgi-bin/draft/get", {"media_id": first})["news_item"][0]["title"] == "改"
    assert errcode(api.post("/cgi-bin/draft/update", {"media_id": first, "index": 3, "articles": changed})) == 40114
    assert errcode(api.post("/cgi-bin/draft/delete", {"media_id": second})) == 0
    assert errcode(api.post("/cgi-bin/draft/get", {"media_id": second})) == 40007
    assert api.get("/cgi-bin/draft/count") == {"total_count": 1}


def test_digest_defaults_to_the_first_54_characters(api):
    media_id = api.draft(content="<p>" + "正" * 80 + "</p>")
    assert api.post("/cgi-bin/draft/get", {"media_id": media_id})["news_item"][0]["digest"] == "正" * 54


def test_unverified_account_and_comment_privilege(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", comment_privilege=False)
    thumb = api.thumb()
    article = {"title": "t", "content": "c", "thumb_media_id": thumb, "need_open_comment": 1}
    assert errcode(api.post("/cgi-bin/draft/add", {"articles": [article]})) == 88000
    sim.control("POST", f"/accounts/{api.app_id}", verified=False)
    assert errcode(api.post("/cgi-bin/draft/add", {"articles": [{**article, "need_open_comment": 0}]})) == 48001


def test_temporary_material_is_not_a_thumb_and_the_library_can_be_managed(api):
    temporary = api.upload("/cgi-bin/media/upload", JPEG, type="thumb")
    assert temporary["type"] == "thumb" and temporary["media_id"]
    article = {"title": "t", "content": "c", "thumb_media_id": temporary["media_id"]}
    assert errcode(api.post("/cgi-bin/draft/add", {"articles": [article]})) == 40007
    thumb = api.thumb()
    api.upload("/cgi-bin/material/add_material", PNG, "p.png", type="image")
    assert api.get("/cgi-bin/material/get_materialcount")["image_count"] == 2
    listing = api.post("/cgi-bin/material/batchget_material", {"type": "image", "offset": 0, "count": 20})
    assert listing["total_count"] == 2 and {i["name"] for i in listing["item"]} == {"a.jpg", "p.png"}
    assert errcode(api.post("/cgi-bin/material/del_material", {"media_id": thumb})) == 0
    assert errcode(api.post("/cgi-bin/material/del_material", {"media_id": thumb})) == 40007
    assert errcode(api.post("/cgi-bin/material/del_material", {"media_id": temporary["media_id"]})) == 40007
