"""Which of Wagtail's own screens the admin menu offers, by role.

wxops uses Wagtail for snippets, pictures, users and the review workflow, not for a tree of
web pages: pages (页面), sites (站点), collections (集合), documents and the page reports
(报告) only confused the desk's people. They stay for superusers, who maintain the site;
the site-history and workflow reports stay for administrators. The help menu loses the links
to wagtail.org (English, and out of reach offline), which also took the "(2 new items in this
menu)" badge with them.
"""

from __future__ import annotations

#: Top-level items of Wagtail's that no role of the desk works in.
PAGE_SCREENS = {"explorer", "documents"}
#: Settings entries only superusers need.
SETTINGS_FOR_SUPERUSERS = {"sites", "collections"}
#: Reports about pages; the others (site history, workflows) are for administrators.
PAGE_REPORTS = {"locked-pages", "aging-pages", "page-types-usage"}
ONLINE_HELP = ("whats-new-in-wagtail-", "editor-guide")


def is_administrator(user) -> bool:
    """The desk's administrators: superusers and whoever may manage users."""
    return user.is_active and (user.is_superuser or user.has_perm("auth.change_user"))


def trim_main_menu(request, items) -> None:
    if request.user.is_superuser:
        return
    hidden = set(PAGE_SCREENS)
    if not is_administrator(request.user):
        hidden.add("reports")
    items[:] = [item for item in items if item.name not in hidden]


def trim_settings_menu(request, items) -> None:
    if not request.user.is_superuser:
        items[:] = [item for item in items if item.name not in SETTINGS_FOR_SUPERUSERS]


def trim_reports_menu(request, items) -> None:
    if not request.user.is_superuser:
        items[:] = [item for item in items if item.name not in PAGE_REPORTS]


def trim_help_menu(request, items) -> None:
    items[:] = [item for item in items if not item.name.startswith(ONLINE_HELP)]
