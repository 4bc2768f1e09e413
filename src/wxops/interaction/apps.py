from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "wxops.interaction"
    label = "interaction"
    verbose_name = "互动 Interaction"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.inbound.kept": (_("Keep message"), _("Inbox message kept")),
        "wxops.inbound.ignored": (_("Ignore message"), _("Inbox message ignored")),
        "wxops.inbound.answered": (_("Answer message"), _("Inbox message answered")),
    }

    def ready(self) -> None:
        from wxops.interaction import inbound_handlers  # noqa: F401 - registers the welcome and the default reply
