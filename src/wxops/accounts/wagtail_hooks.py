from wagtail.snippets.models import register_snippet

from wxops.accounts.views import AccountsGroup

register_snippet(AccountsGroup)
