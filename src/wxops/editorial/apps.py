from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "wxops.editorial"
    label = "editorial"
    verbose_name = "编辑与审核 Editorial"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.editorial.push.status": (_("Push status"), _("Push status changed")),
        "wxops.editorial.push.articles": (_("Push articles"), _("Push articles changed")),
        "wxops.editorial.push.plan": (_("Push planned"), _("Push planned or re-planned")),
        "wxops.editorial.push.remind": (_("Push reminder"), _("Deadline reminder sent")),
    }

    def ready(self) -> None:
        from wxops.editorial import notifications
        from wxops.editorial.article_progress import push_statuses
        from wxops.materials import article_status

        notifications.register()
        article_status.register(push_statuses)
