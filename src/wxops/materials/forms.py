"""The article form: plain drop-downs for account and category, the account preset when
there is only one, and categories limited to the chosen account's."""

from wxops.accounts.forms import AccountPresetForm


class ArticleForm(AccountPresetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        account_id = self.data.get("account") or self.initial.get("account") or self.instance.account_id
        if account_id:
            self.fields["category"].queryset = self.fields["category"].queryset.filter(account_id=account_id,
                                                                                       active=True)
