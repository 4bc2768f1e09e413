from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wxops.accounts"
    label = "accounts"
    verbose_name = "公众号 Accounts"
    default_auto_field = "django.db.models.BigAutoField"
