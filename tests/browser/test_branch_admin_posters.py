"""A branch administrator logs in, downloads their branch's posters and reads their leaderboard."""

import io
import secrets

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from wxops.accounts.models import Account
from wxops.accounts.roles import ensure_roles
from wxops.core import clock
from wxops.promotion.actions import attribution
from wxops.promotion.models import Branch, CodeKind, CodeStatus, Employee, PromoCode

from .login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def branch_with_staff(account, code, name, staff):
    branch = Branch.objects.create(account=account, code=code, name=name)
    PromoCode.objects.create(account=account, scene_str=f"b:{code}", branch=branch, kind=CodeKind.PERMANENT,
                             status=CodeStatus.READY, url=f"http://weixin.qq.com/q/{code}")
    for number, person in staff:
        employee = Employee.objects.create(account=account, branch=branch, staff_number=number, name=person)
        PromoCode.objects.create(account=account, scene_str=f"b:{code}:e:{number}", branch=branch, employee=employee,
                                 kind=CodeKind.PERMANENT, status=CodeStatus.READY,
                                 url=f"http://weixin.qq.com/q/{code}{number}")
    return branch


def test_a_branch_administrator_downloads_posters_and_sees_the_leaderboard(live_server, page):
    account = Account.objects.create(name="中恒融智", app_id="wx" + secrets.token_hex(8), app_secret="x" * 32)
    shenzhen = branch_with_staff(account, "sz", "深圳分公司", [("S001", "张三"), ("S002", "李四")])
    branch_with_staff(account, "gz", "广州分公司", [("G001", "王五")])
    password = "pw-" + secrets.token_hex(8)
    admin = get_user_model().objects.create_user("szadmin", "sz@example.com", password)
    admin.groups.add(ensure_roles()["branch_admin"])
    shenzhen.administrators.add(admin)
    now = clock.now()
    for n, scene in enumerate(["b:sz:e:S001", "b:sz:e:S001", "b:sz:e:S002", "b:gz:e:G001"]):
        attribution.subscribed(account_id=account.pk, openid=f"o{n:03d}", scene=scene, at=now)

    log_in(page, live_server.url, "szadmin", password)

    page.goto(f"{live_server.url}/admin/promotion/")
    assert page.get_by_role("link", name="广州分公司").count() == 0
    page.get_by_role("link", name="深圳分公司").first.click()
    page.wait_for_url(f"{live_server.url}/admin/promotion/branches/{shenzhen.pk}/")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="全部海报（PDF）").click()
    download = waiting.value
    pdf = PdfReader(io.BytesIO(download.path().read_bytes()))
    assert len(pdf.pages) == 3
    assert "张三" in pdf.pages[1].extract_text() and "李四" in pdf.pages[2].extract_text()

    page.get_by_role("link", name="排行榜").click()
    page.select_option("select[name=by]", "employee")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url("**/leaderboard/?*by=employee*")
    rows = page.locator("tr.promotion-line")
    rows.first.wait_for()
    assert rows.count() == 2
    first = rows.nth(0).inner_text()
    assert "张三" in first and "2" in first
    assert "王五" not in page.content() and "广州" not in page.locator("table.listing").inner_text()
