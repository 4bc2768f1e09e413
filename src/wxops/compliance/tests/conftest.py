import secrets

import pytest


@pytest.fixture
def account(db):
    from wxops.accounts.models import Account

    return Account.objects.create(name="中恒财务", app_id="wx" + secrets.token_hex(8),
                                  app_secret=secrets.token_hex(16))


@pytest.fixture
def other_account(db):
    from wxops.accounts.models import Account

    return Account.objects.create(name="二号", app_id="wx" + secrets.token_hex(8))


@pytest.fixture
def administrator(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.com", secrets.token_hex(12))


@pytest.fixture
def reviewer(db, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reviewer", "r@example.com", secrets.token_hex(12))
    user.user_permissions.add(Permission.objects.get(codename="change_findingdecision"),
                              Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.com", secrets.token_hex(12))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def default_lexicon(db):
    """The migration-loaded default lexicon, restored if a transactional test flushed it."""
    from wxops.compliance.defaults import load_default_lexicon
    from wxops.compliance.models import AllowedPhrase, Lexicon, Term

    return load_default_lexicon(Lexicon, Term, AllowedPhrase)
