"""Admin viewsets for accounts and their categories."""

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from wxops.accounts.forms import AccountForm
from wxops.accounts.models import Account, Category


def time_zone_choices() -> list[tuple[str, str]]:
    """Asia/Shanghai first (the plan's accounts), then every zone by name."""
    zones = sorted(available_timezones() - {"Asia/Shanghai", "localtime"})
    return [(zone, zone) for zone in ["Asia/Shanghai", *zones]]


class AccountViewSet(SnippetViewSet):
    model = Account
    icon = "site"
    menu_label = _("Official accounts")
    list_display = ["name", "app_id", "account_type", "verified", "time_zone"]
    search_fields = ["name", "app_id"]
    panels = [
        FieldPanel("name"),
        FieldPanel("app_id"),
        FieldPanel("account_type"),
        FieldPanel("verified"),
        FieldPanel("time_zone", widget=forms.Select(choices=time_zone_choices)),
        MultiFieldPanel(
            [FieldPanel("api_base"), FieldPanel("app_secret"), FieldPanel("message_mode"),
             FieldPanel("callback_token"), FieldPanel("encoding_aes_key")],
            heading=_("WeChat connection"),
        ),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=AccountForm).bind_to_model(self.model)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "account", "position", "active"]
    list_filter = ["account", "active"]
    ordering = ["account", "position"]


class AccountsGroup(SnippetViewSetGroup):
    items = (AccountViewSet, CategoryViewSet)
    menu_icon = "site"
    menu_label = _("Account settings")
    menu_name = "accounts"
    menu_order = 900
