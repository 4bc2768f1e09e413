"""The admin pages: each role sees its own branches; another branch answers 404 and leaks
nowhere (lists, search, downloads, exports); changes go through the actions."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from wxops.promotion.models import Branch, CodeKind, CodeStatus, Employee, PromoCode, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(account, branches):
    """Codes as WeChat would have made them (the simulator tests cover the asking)."""
    made = {}
    for branch in branches.values():
        rows = [(f"b:{branch.code}", None)] + [(f"b:{branch.code}:e:{e.staff_number}", e)
                                               for e in branch.employees.all()]
        for scene, employee in rows:
            made[scene] = PromoCode.objects.create(
                account=account, scene_str=scene, kind=CodeKind.PERMANENT, branch=branch, employee=employee,
                status=CodeStatus.READY, ticket="gQ" + scene, url=f"http://weixin.qq.com/q/{scene.replace(':', '')}")
    return made


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect home and a message."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def login(client, user):
    client.force_login(user)
    return client


def test_a_branch_administrator_sees_only_their_branch(client, people, branches, ready):
    login(client, people["shenzhen"])
    index = client.get(reverse("promotion_index")).content.decode()
    assert "深圳分公司" in index and "广州分公司" not in index
    assert client.get(reverse("promotion_branch", args=[branches["sz"].pk])).status_code == 200
    assert client.get(reverse("promotion_branch", args=[branches["gz"].pk])).status_code == 404
    gz_code = ready["b:gz:e:G001"]
    for kind in ("png", "svg", "poster.pdf", "poster.png"):
        assert client.get(reverse("promotion_code_download", args=[gz_code.pk, kind])).status_code == 404
    assert client.get(reverse("promotion_branch_download", args=[branches["gz"].pk, "pdf"])).status_code == 404
    assert client.get(reverse("promotion_guide") + f"?branch={branches['gz'].pk}").status_code == 404
    found = client.get(reverse("promotion_index"), {"q": "王五"}).content.decode()
    assert "王五" not in found.split("promotion-found")[1]
    wang = Employee.objects.get(staff_number="G001")
    assert client.post(reverse("promotion_employee_status", args=[wang.pk, "leave"])).status_code == 404
    assert client.get(reverse("promotion_employee_edit", args=[wang.pk])).status_code == 404
    assert Employee.objects.get(pk=wang.pk).active
    board = client.get(reverse("promotion_leaderboard"), {"by": "employee"}).content.decode()
    assert "张三" in board and "王五" not in board and "广州" not in board
    export = client.get(reverse("promotion_leaderboard"), {"by": "employee", "format": "xlsx"})
    cells = {str(c.value) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row}
    assert "张三" in cells and "王五" not in cells and "广州分公司" not in cells
    growth = client.get(reverse("promotion_growth")).content.decode()
    assert "深圳分公司" in growth and "广州分公司" not in growth
    assert refused(client.get(reverse("promotion_branch_add")))


def test_without_a_branch_or_the_permission_there_is_nothing_to_see(client, people, branches, django_user_model):
    login(client, people["editor"])
    assert "深圳" not in client.get(reverse("promotion_index")).content.decode()
    assert client.get(reverse("promotion_branch", args=[branches["sz"].pk])).status_code == 404
    login(client, django_user_model.objects.create_user("nobody", "n@example.com", "pw-nobody-123"))
    answer = client.get(reverse("promotion_leaderboard"))  # no admin access at all: the login page
    assert answer.status_code == 302 and answer.url.startswith(reverse("wagtailadmin_login"))


def test_the_director_sees_all_but_changes_nothing(client, people, branches, ready):
    login(client, people["director"])
    index = client.get(reverse("promotion_index")).content.decode()
    assert "深圳分公司" in index and "广州分公司" in index
    zhang = Employee.objects.get(staff_number="S001")
    assert refused(client.post(reverse("promotion_employee_status", args=[zhang.pk, "leave"])))
    assert Employee.objects.get(pk=zhang.pk).active


def test_posters_download_as_pdf_png_svg_and_a_branch_bundle(client, people, branches, ready):
    login(client, people["shenzhen"])
    zhang = ready["b:sz:e:S001"]
    pdf = client.get(reverse("promotion_code_download", args=[zhang.pk, "poster.pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert all(part in text for part in ("中恒融智", "深圳分公司", "张三", "S001"))
    assert client.get(reverse("promotion_code_download", args=[zhang.pk, "svg"])).content.startswith(b"<?xml")
    assert client.get(reverse("promotion_code_download", args=[zhang.pk, "png"])).content.startswith(b"\x89PNG")
    bundle = client.get(reverse("promotion_branch_download", args=[branches["sz"].pk, "pdf"]))
    assert len(PdfReader(io.BytesIO(bundle.content)).pages) == 3  # the branch, 张三, 李四
    names = zipfile.ZipFile(io.BytesIO(client.get(
        reverse("promotion_branch_download", args=[branches["sz"].pk, "zip"])).content)).namelist()
    assert sorted(names) == ["b-sz-e-S001-poster.png", "b-sz-e-S001.svg", "b-sz-e-S002-poster.png",
                             "b-sz-e-S002.svg", "b-sz-poster.png", "b-sz.svg"]


def test_a_code_not_ready_answers_409_with_the_reason(client, people, branches, ready):
    code = ready["b:sz"]
    PromoCode.objects.filter(pk=code.pk).update(status=CodeStatus.FAILED, last_error="errcode 45009: 今日额度已用完")
    login(client, people["shenzhen"])
    answer = client.get(reverse("promotion_code_download", args=[code.pk, "poster.png"]))
    assert answer.status_code == 409 and "45009" in answer.content.decode()


def test_an_administrator_adds_a_branch_and_sets_a_target(client, people, account, branches):
    login(client, people["admin"])
    answer = client.post(reverse("promotion_branch_add"), {"account": account.pk, "code": "hz", "name": "杭州分公司",
                                                           "welcome_kind": "text", "active": "on",
                                                           "administrators": [people["guangzhou"].pk]})
    assert answer.status_code == 302
    hangzhou = account.branches.get(code="hz")
    assert list(hangzhou.administrators.all()) == [people["guangzhou"]]
    bad = client.post(reverse("promotion_branch_add"), {"account": account.pk, "code": "杭 州", "name": "x"})
    assert bad.status_code == 200 and not account.branches.filter(name="x").exists()
    client.post(reverse("promotion_set_target", args=[hangzhou.pk]), {
        "period_start": "2026-03-01", "period_end": "2026-03-31", "new_followers": 200})
    assert Target.objects.get(branch=hangzhou).new_followers == 200


def branch_form(branch, people, **fields) -> dict:
    """The branch edit form as the page posts it: a text welcome unless given."""
    return {"name": branch.name, "welcome_kind": "text", "welcome_text": branch.welcome_text, "welcome_news_title": "",
            "welcome_news_url": "", "slogan": "", "active": "on", "administrators": [people["shenzhen"].pk], **fields}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"welcome_kind": "news"}, "welcome_news_title", "请填写图文标题。"),
    ({"welcome_kind": "news", "welcome_news_title": "欢迎"}, "welcome_news_url", "请填写图文卡片的链接"),
    ({"welcome_kind": "image"}, "welcome_picture", "请选择要回复的图片。"),
    ({"welcome_text": "本产品稳赚不赔，保证收益！"}, "welcome_text", "内容规范不允许此文字"),
])
def test_a_branch_welcome_lacking_what_it_needs_is_refused_and_the_branch_stays(
        client, people, branches, fields, field, message):
    shenzhen = branches["sz"]
    before = Branch.objects.filter(pk=shenzhen.pk).values().get()
    login(client, people["admin"])
    refused = client.post(reverse("promotion_branch_edit", args=[shenzhen.pk]), branch_form(shenzhen, people, **fields))
    assert refused.status_code == 200
    assert message in str(refused.context["form"].errors[field])
    assert Branch.objects.filter(pk=shenzhen.pk).values().get() == before


def test_the_branch_form_offers_the_welcome_as_text_image_or_news_in_chinese(client, people, branches):
    login(client, people["admin"])
    page = client.get(reverse("promotion_branch_edit", args=[branches["sz"].pk])).content.decode()
    for words in ("欢迎语", "回复类型", "图文标题", "图文链接"):
        assert words in page
    assert 'data-chooser-url="/admin/images/chooser/"' in page  # the image library's chooser, as in the admin


def test_the_import_page_reports_rows_to_fix(client, people, account, branches, monkeypatch):
    from wxops.promotion.actions import codes

    monkeypatch.setattr(codes, "_create_after_commit", lambda account_id: None)  # no WeChat here
    login(client, people["shenzhen"])
    upload = io.BytesIO("工号,姓名,分公司编码\nS010,钱十一,sz\nS011,,sz\n".encode())
    upload.name = "名单.csv"
    page = client.post(reverse("promotion_import"), {"account": account.pk, "file": upload}).content.decode()
    assert Employee.objects.filter(staff_number="S010", branch=branches["sz"]).exists()
    assert not Employee.objects.filter(staff_number="S011").exists()
    row_three = page.split("promotion-report")[1]
    assert "<td>3</td>" in row_three


def test_the_staff_guide_prints(client, people, branches, ready):
    login(client, people["shenzhen"])
    page = client.get(reverse("promotion_guide"), {"branch": branches["sz"].pk}).content.decode()
    assert "<svg" in page
    pdf = client.get(reverse("promotion_guide_pdf"), {"branch": branches["sz"].pk})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "深圳分公司" in text and "中恒融智" in text
