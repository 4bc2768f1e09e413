from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "wxops.compliance"
    label = "compliance"
    verbose_name = "内容规范 Compliance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wxops.compliance.actions import register_audit_actions

        register_audit_actions()
