from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "wxops.analytics"
    label = "analytics"
    verbose_name = "运营分析 Analytics"
    default_auto_field = "django.db.models.BigAutoField"
