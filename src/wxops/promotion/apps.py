from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionConfig(AppConfig):
    name = "wxops.promotion"
    label = "promotion"
    verbose_name = "推广 Promotion"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.promotion.branch_saved": (_("Save branch"), _("Branch saved")),
        "wxops.promotion.employee_saved": (_("Save employee"), _("Employee saved")),
        "wxops.promotion.employee_left": (_("Deactivate employee"), _("Employee deactivated (left)")),
        "wxops.promotion.employee_back": (_("Reactivate employee"), _("Employee reactivated")),
        "wxops.promotion.staff_imported": (_("Import staff"), _("Staff imported")),
        "wxops.promotion.codes_requested": (_("Request QR codes"), _("QR codes requested from WeChat")),
        "wxops.promotion.target_set": (_("Set target"), _("Branch target set")),
    }

    def ready(self) -> None:
        from wxops.promotion import (
            inbound_handlers,  # noqa: F401 - registers attribution and the branch welcome
            inbox_names,  # noqa: F401 - names followers' branches in interaction's conversations
        )
