import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account, Category


def make_account(**fields):
    values = {"name": "测试号", "app_id": "wx0123456789abcdef", "app_secret": "stored-secret",
              "callback_token": "tok", "encoding_aes_key": "k" * 43}
    values.update(fields)
    return Account.objects.create(**values)


@pytest.mark.django_db
def test_categories_are_unique_per_account_only():
    first, second = make_account(), make_account(name="二号", app_id="wx0123456789abcdee")
    Category.objects.create(account=first, name="财务管理")
    Category.objects.create(account=second, name="财务管理")
    with pytest.raises(Exception, match="UNIQUE|unique|duplicate"):
        Category.objects.create(account=first, name="财务管理")


@pytest.mark.django_db
def test_bad_app_id_time_zone_and_aes_key_are_explained():
    account = Account(name="x", app_id="12345", time_zone="Mars/Base", encoding_aes_key="short")
    with pytest.raises(ValidationError) as caught:
        account.full_clean()
    with translation.override("en"):  # the English wording; the zh_Hans catalogue has the Chinese
        errors = caught.value.message_dict
    assert "starts with wx" in errors["app_id"][0]
    assert "Mars/Base is not a time zone" in errors["time_zone"][0]
    assert "exactly 43 characters" in errors["encoding_aes_key"][0]


@pytest.mark.django_db
def test_environment_secrets_win_and_never_show_in_repr(monkeypatch):
    account = make_account()
    monkeypatch.setenv("WXOPS_WECHAT_WX0123456789ABCDEF_APP_SECRET", "from-env")
    found = credentials(account)
    assert found.app_secret == "from-env"
    assert found.callback_token == "tok"
    assert "from-env" not in repr(found) and "tok" not in repr(found)
