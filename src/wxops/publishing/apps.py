from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "wxops.publishing"
    label = "publishing"
    verbose_name = "推送 Publishing"
    default_auto_field = "django.db.models.BigAutoField"
