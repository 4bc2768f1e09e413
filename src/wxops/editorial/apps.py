from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "wxops.editorial"
    label = "editorial"
    verbose_name = "编辑与审核 Editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wxops.editorial.actions import register_audit_actions

        register_audit_actions()
