"""Analytics in the admin: its pages and its menu (shown to those who may view reports)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import views


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("analytics/", views.dashboard, name="analytics_dashboard"),
        path("analytics/reports/", views.reports, name="analytics_reports"),
        path("analytics/reports/make/", views.make_report, name="analytics_make_report"),
        path("analytics/reports/<int:pk>/<str:kind>/", views.download, name="analytics_report_file"),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("analytics.view_report")


@hooks.register("register_admin_menu_item")
def register_analytics_menu():
    items = [ReportsMenuItem(_("Dashboard"), reverse("analytics_dashboard"), icon_name="table", order=10),
             ReportsMenuItem(_("Operations reports"), reverse("analytics_reports"), icon_name="doc-full", order=20)]
    return SubmenuMenuItem(_("Analytics"), Menu(items=items), icon_name="table", order=450)
