from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "wxops.interaction"
    label = "interaction"
    verbose_name = "互动 Interaction"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wxops.interaction import inbound_handlers  # noqa: F401 - registers the welcome and the default reply
        from wxops.interaction.actions import register_audit_actions

        register_audit_actions()
