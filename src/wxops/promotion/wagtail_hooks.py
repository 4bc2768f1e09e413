"""Promotion in the admin: its pages and its menu entry (shown to those who may view it)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import access, report_views, views


@hooks.register("register_admin_urls")
def register_promotion_urls():
    return [
        path("promotion/", views.index, name="promotion_index"),
        path("promotion/branches/add/", views.branch_form, name="promotion_branch_add"),
        path("promotion/branches/<int:pk>/", views.branch_detail, name="promotion_branch"),
        path("promotion/branches/<int:pk>/edit/", views.branch_form, name="promotion_branch_edit"),
        path("promotion/branches/<int:pk>/codes/", views.request_branch_codes, name="promotion_request_codes"),
        path("promotion/branches/<int:pk>/target/", views.set_target, name="promotion_set_target"),
        path("promotion/branches/<int:pk>/posters.<str:kind>", views.branch_download, name="promotion_branch_download"),
        path("promotion/branches/<int:branch_pk>/employees/add/", views.employee_form, name="promotion_employee_add"),
        path("promotion/employees/<int:pk>/edit/", views.employee_form, name="promotion_employee_edit"),
        path("promotion/employees/<int:pk>/<str:how>/", views.employee_status, name="promotion_employee_status"),
        path("promotion/codes/<int:pk>/retry/", views.retry_code, name="promotion_code_retry"),
        path("promotion/codes/<int:pk>/<str:kind>", views.code_download, name="promotion_code_download"),
        path("promotion/import/", views.staff_import, name="promotion_import"),
        path("promotion/campaigns/", views.campaigns, name="promotion_campaigns"),
        path("promotion/leaderboard/", report_views.leaderboard, name="promotion_leaderboard"),
        path("promotion/growth/", report_views.growth, name="promotion_growth"),
        path("promotion/guide/", report_views.guide, name="promotion_guide"),
        path("promotion/guide.pdf", report_views.guide_pdf, name="promotion_guide_pdf"),
    ]


class PromotionMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_promotion_menu_item():
    return PromotionMenuItem(_("Promotion"), reverse("promotion_index"), icon_name="group", order=400)
