from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wxops.core"
    label = "core"
    verbose_name = "核心 Core"
    default_auto_field = "django.db.models.BigAutoField"
