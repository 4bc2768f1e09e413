from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "wxops.publishing"
    label = "publishing"
    verbose_name = "推送 Publishing"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.publishing.delivery.claimed": (_("Claim a send"), _("Send claimed by a worker")),
        "wxops.publishing.delivery.state": (_("Delivery state"), _("Delivery state changed")),
        "wxops.publishing.preview": (_("WeChat preview"), _("WeChat preview sent to the reviewers")),
    }

    def ready(self) -> None:
        from wxops.publishing import (
            inbound_handlers,  # noqa: F401 - MASSSENDJOBFINISH, PUBLISHJOBFINISH
            push_handlers,  # noqa: F401 - reviewer previews, preview renderer, pre-flight
        )
