from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "wxops.compliance"
    label = "compliance"
    verbose_name = "内容规范 Compliance"
    default_auto_field = "django.db.models.BigAutoField"
