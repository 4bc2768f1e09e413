"""The article form: plain drop-downs for account and category, the account preset when
there is only one, and categories limited to the chosen account's."""

from wagtail.admin.forms import WagtailAdminModelForm


class ArticleForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = self.fields["account"].queryset
        if not self.instance.pk and accounts.count() == 1:
            self.initial.setdefault("account", accounts.get().pk)
        account_id = self.data.get("account") or self.initial.get("account") or self.instance.account_id
        if account_id:
            self.fields["category"].queryset = self.fields["category"].queryset.filter(account_id=account_id,
                                                                                       active=True)
