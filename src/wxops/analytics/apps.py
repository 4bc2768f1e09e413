from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "wxops.analytics"
    label = "analytics"
    verbose_name = "运营分析 Analytics"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.analytics.recommended": (_("Recommend categories"), _("Category weights written for the planner")),
        "wxops.analytics.reported": (_("Make report"), _("Fortnightly report made")),
    }
