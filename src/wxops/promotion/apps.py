from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "wxops.promotion"
    label = "promotion"
    verbose_name = "推广 Promotion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wxops.promotion import inbound_handlers  # noqa: F401 - registers attribution and the branch welcome
        from wxops.promotion.actions import register_audit_actions

        register_audit_actions()
