from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "wxops.promotion"
    label = "promotion"
    verbose_name = "推广 Promotion"
    default_auto_field = "django.db.models.BigAutoField"
