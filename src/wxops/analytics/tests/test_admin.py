"""The analytics admin: the dashboard for any range (Chinese labels, the report's charts), the
reports list with downloads, on-demand reports; bad ranges and missing rights answered in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from wxops.accounts.models import Account
from wxops.analytics import actions, views
from wxops.analytics.metrics import period_metrics
from wxops.analytics.models import Report, ReportTrigger

from .conftest import day
from .test_metrics import two_pushes_synced


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", None)
    client.force_login(user)
    return client


def test_the_dashboard_shows_the_reports_figures_and_charts_in_chinese(world, admin_client):
    two_pushes_synced(world)
    page = admin_client.get(reverse("analytics_dashboard"), {"start": "2026-03-01", "end": "2026-03-06"},
                            HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    for words in ("运营分析仪表盘", "客户关注的内容", "人力资源管理", "平均阅读率", "下两周的建议", "粉丝增长"):
        assert words in html, words
    assert html.count("<svg") >= 3 and "各栏目阅读率" in html  # the charts, inline


def test_the_dashboard_has_the_workbooks_per_category_columns(world, admin_client):
    """Read times, feedback items, follows and unfollows after the pushes: the XLSX's 栏目 sheet has them, so does the page."""
    two_pushes_synced(world)
    page = admin_client.get(reverse("analytics_dashboard"), {"start": "2026-03-01", "end": "2026-03-06"},
                            HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    for words in ("阅读次数", "反馈条数", "推送后两天新增关注", "推送后两天取消关注"):
        assert f"<th>{words}</th>" in html, words
    line = next(c for c in period_metrics(world.account, day("2026-03-01"), day("2026-03-06")).categories
                if c.category == "人力资源管理")
    assert line.read_count > 0 and line.new_followers > 0
    cells = (line.share_user, line.read_count, line.feedback, line.new_followers, line.unfollowed)
    assert "<td>人力资源管理</td>" in html
    row = html.split("<td>人力资源管理</td>", 1)[1].split("</tr>", 1)[0]
    assert row.endswith("".join(f"<td>{value}</td>" for value in cells))


def test_a_bad_range_is_answered_in_words(world, admin_client):
    page = admin_client.get(reverse("analytics_dashboard"), {"start": "2026-03-09", "end": "2026-03-01"},
                            HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 400 and "晚于" in page.content.decode()
    page = admin_client.get(reverse("analytics_dashboard"), {"start": "3/1/2026"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 400 and "2026-03-01" in page.content.decode()


def test_every_report_is_listed_with_its_files(world, admin_client):
    report = actions.make_report(world.account, day("2026-01-05"), day("2026-01-18"), recommend=False)
    html = admin_client.get(reverse("analytics_reports"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert report.title in html and "按需生成" in html
    for kind, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("docx", b"PK")):
        response = admin_client.get(reverse("analytics_report_file", args=[report.pk, kind]))
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(magic)
        assert "report-20260105-20260118" in response["Content-Disposition"]
    assert admin_client.get(reverse("analytics_report_file", args=[report.pk, "exe"])).status_code == 404


def test_a_report_made_from_the_dashboard(world, admin_client):
    response = admin_client.post(reverse("analytics_make_report"),
                                 {"account": world.account.pk, "start": "2026-01-05", "end": "2026-01-18"})
    assert response.status_code == 302 and response["Location"] == reverse("analytics_reports")
    report, = Report.objects.all()
    assert report.trigger == ReportTrigger.ON_DEMAND and report.pdf


def test_without_the_right_nothing_is_shown_nor_made(world, client):
    user = get_user_model().objects.create_user("visitor", password=None)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail answers a refused admin page by sending the user to the admin home with its message
    for response in (client.get(reverse("analytics_dashboard")), client.get(reverse("analytics_reports")),
                     client.post(reverse("analytics_make_report"), {"account": world.account.pk})):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Report.objects.count() == 0


def test_every_past_report_stays_reachable_a_page_at_a_time(admin_client):
    account = Account.objects.create(name="报告很多的号", app_id="wxmanyreports001")
    first = dt.date(2024, 1, 1)
    Report.objects.bulk_create([
        Report(account=account, trigger=ReportTrigger.SCHEDULE, title=f"第 {n} 期",
               period_start=first + dt.timedelta(days=14 * n), period_end=first + dt.timedelta(days=14 * n + 13))
        for n in range(views.REPORTS_PER_PAGE + 3)])
    newest = admin_client.get(reverse("analytics_reports"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"第 {views.REPORTS_PER_PAGE + 2} 期" in newest and "第 0 期<" not in newest and "较早" in newest
    oldest = admin_client.get(reverse("analytics_reports"), {"p": 2}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "第 0 期<" in oldest and "第 2 期<" in oldest and "较新" in oldest
    assert f"第 {views.REPORTS_PER_PAGE + 2} 期" not in oldest
