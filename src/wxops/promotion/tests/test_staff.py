"""Branches and staff: actions check who may do what, imports keep good rows and say what is wrong."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook

from wxops.promotion import access
from wxops.promotion.actions import staff
from wxops.promotion.models import Branch, Employee, PromoCode
from wxops.promotion.staff_import import ImportFileError, read_staff_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The messages are checked by their msgids (the zh_Hans catalogue has its own test)."""
    with translation.override("en"):
        yield


def csv_file(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.encode(encoding)


STAFF_CSV = ("分公司编码,分公司名称,工号,姓名,状态\n"
             "sz,深圳分公司,S001,张三,在职\n"
             "sz,深圳分公司,S003,赵六,\n"
             "hz,杭州分公司,H001,孙七,在职\n"
             "gz,,G002,,在职\n"
             "xx,,X001,周八,在职\n"
             "sz,深圳分公司,S003,赵六重复,在职\n"
             "sz,深圳分公司,S004,吴九,休假\n")


def test_each_role_sees_its_own_branches(people, branches):
    assert set(access.visible_branches(people["admin"])) == {branches["sz"], branches["gz"]}
    assert set(access.visible_branches(people["director"])) == {branches["sz"], branches["gz"]}
    assert list(access.visible_branches(people["shenzhen"])) == [branches["sz"]]
    assert list(access.visible_branches(people["editor"])) == []
    assert set(access.visible_employees(people["shenzhen"]).values_list("name", flat=True)) == {"张三", "李四"}


def test_an_import_keeps_good_rows_reports_bad_ones_and_a_second_run_changes_nothing(account, people, branches):
    rows, unreadable = read_staff_file("staff.csv", csv_file(STAFF_CSV))
    report = staff.import_staff(account, rows, user=people["admin"], unreadable=tuple(unreadable))
    assert (report.created, report.updated, report.unchanged, report.branches_created) == (2, 0, 1, 1)
    assert [(e.number, e.message) for e in report.errors] == [
        (5, "The name is missing."),
        (6, "Unknown branch code xx: add the branch first, or give its name in the branch name column."),
        (7, "Staff number S003 already appears in row 3."),
        (8, "Status 休假 is neither 在职 (active) nor 离职 (left)."),
    ]
    assert Employee.objects.get(staff_number="H001").branch.name == "杭州分公司"
    assert PromoCode.objects.filter(scene_str="b:hz:e:H001").exists()  # codes asked for the new staff
    again = staff.import_staff(account, rows, user=people["admin"])
    assert (again.created, again.updated, again.unchanged, again.branches_created) == (0, 0, 3, 0)
    assert Employee.objects.count() == 5


def test_a_reimport_updates_and_deactivates_but_keeps_history(account, people, branches):
    data = csv_file("工号,姓名,分公司编码,状态\nS001,张三丰,sz,\nS002,李四,sz,离职\n")
    report = staff.import_staff(account, read_staff_file("a.csv", data)[0], user=people["shenzhen"])
    assert (report.updated, report.deactivated, report.errors) == (1, 1, ())
    left = Employee.objects.get(staff_number="S002")
    assert (left.active, left.left_at is not None) == (False, True)
    assert Employee.objects.get(staff_number="S001").name == "张三丰"


def test_a_branch_administrator_imports_only_their_branch(account, people, branches):
    data = csv_file("分公司编码,工号,姓名\nsz,S009,新同事\ngz,G009,别人家的\ngz,S001,挪走张三\n", "gb18030")
    report = staff.import_staff(account, read_staff_file("a.csv", data)[0], user=people["shenzhen"])
    assert report.created == 1
    assert [e.number for e in report.errors] == [3, 4]
    assert not Employee.objects.filter(staff_number="G009").exists()
    assert Employee.objects.get(staff_number="S001").branch == branches["sz"]


def test_an_xlsx_file_reads_like_a_csv(account, people, branches):
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff number", "Name", "Branch code"])
    sheet.append([1024, "钱十", "gz"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, unreadable = read_staff_file("名单.xlsx", buffer.getvalue())
    assert unreadable == [] and [(r.staff_number, r.name, r.branch_code) for r in rows] == [("1024", "钱十", "gz")]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
    ("a.csv", b"", "The file is empty."),
    ("a.csv", "名字,电话\n张三,1\n".encode(), "The first row must name the columns; missing: 分公司编码、工号、姓名."),
    ("a.xlsx", b"not a zip", "The .xlsx file cannot be opened (BadZipFile); save it again from Excel."),
])
def test_an_unreadable_file_says_what_to_fix(name, data, message):
    with pytest.raises(ImportFileError) as error:
        read_staff_file(name, data)
    assert str(error.value) == message


def test_actions_refuse_what_the_role_does_not_allow(account, people, branches):
    stranger = Employee(branch=branches["gz"], staff_number="G100", name="越权")
    with pytest.raises(PermissionDenied):
        staff.save_employee(stranger, user=people["shenzhen"])
    with pytest.raises(PermissionDenied):
        staff.save_branch(Branch(account=account, code="new", name="新分公司"), user=people["shenzhen"])
    with pytest.raises(PermissionDenied):
        staff.deactivate_employee(Employee.objects.get(staff_number="G001"), user=people["director"])
    assert not Employee.objects.filter(staff_number="G100").exists()
    assert Employee.objects.get(staff_number="G001").active
