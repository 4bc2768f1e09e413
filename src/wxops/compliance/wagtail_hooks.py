from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from wxops.compliance import actions, views
from wxops.compliance.models import AllowedPhrase, Lexicon, Term

register_snippet(views.ComplianceGroup)


@hooks.register("register_admin_urls")
def compliance_admin_urls():
    return [
        path("compliance/lexicon/<int:pk>/import/", views.import_terms_view, name="compliance_import_terms"),
        path("compliance/lexicon/<int:pk>/export/", views.export_terms_view, name="compliance_export_terms"),
        path("compliance/check/", views.check_text_view, name="compliance_check_text"),
    ]


@hooks.register("register_admin_menu_item")
def check_text_menu_item():
    return MenuItem(_("Check a text"), reverse("compliance_check_text"), icon_name="search", order=801)


@hooks.register("register_snippet_listing_buttons")
def lexicon_import_export_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Lexicon):
        yield Button(_("Import terms"), reverse("compliance_import_terms", args=[snippet.pk]), priority=30)
        yield Button(_("Export CSV"), reverse("compliance_export_terms", args=[snippet.pk]), priority=31)


def _bump_versions(instances) -> None:
    ids = [item.lexicon_id for item in instances if isinstance(item, Term | AllowedPhrase)]
    if ids:
        actions.lexicons_changed(ids)


@hooks.register("after_create_snippet")
def version_after_create(request, instance):
    _bump_versions([instance])


@hooks.register("after_edit_snippet")
def version_after_edit(request, instance):
    _bump_versions([instance])


@hooks.register("after_delete_snippet")
def version_after_delete(request, instances):
    _bump_versions(instances)
