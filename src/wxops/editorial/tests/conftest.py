"""Fixtures of editorial's tests: an account with credentials, the plan's roles, articles with covers."""

import io
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.images import ImageFile
from PIL import Image

from wxops.accounts.models import Account, Category
from wxops.accounts.roles import ensure_roles
from wxops.core import clock
from wxops.core.tests.held_queue import held_queue  # noqa: F401 - a shared fixture
from wxops.materials.models import Article, Picture
from wxops.materials.models.picture import Licence

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Monday morning: the plan's first slot of the week is at 11:30 the same day.
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def monday():
    with clock.frozen(MONDAY_8):
        yield MONDAY_8


@pytest.fixture
def account(db):
    account = Account.objects.create(name="中恒财务", app_id="wx" + secrets.token_hex(8),
                                     app_secret="s" * 32)
    for position, name in enumerate(("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")):
        Category.objects.create(account=account, name=name, position=position)
    return account


@pytest.fixture
def roles(db):
    return ensure_roles()


def _user(django_user_model, roles, username, role):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", secrets.token_hex(12))
    user.groups.add(roles[role])
    return user


@pytest.fixture
def editor(django_user_model, roles):
    return _user(django_user_model, roles, "editor", "editor")


@pytest.fixture
def reviewer(django_user_model, roles):
    return _user(django_user_model, roles, "reviewer", "reviewer")


@pytest.fixture
def second_reviewer(django_user_model, roles):
    return _user(django_user_model, roles, "reviewer2", "reviewer")


@pytest.fixture
def administrator(django_user_model, roles):
    return _user(django_user_model, roles, "admin", "administrator")


def png(color=(30, 110, 180)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def cover(db):
    return Picture.objects.create(title="封面", file=ImageFile(io.BytesIO(png()), name="cover.png"),
                                  licence=Licence.OWN)


@pytest.fixture
def make_article(account, cover):
    """An article with a cover and a saved revision, as an editor leaves it in the admin."""
    def make(title="社保基数调整要点", body="<p>第一季度市场平稳。</p>", **fields):
        fields.setdefault("cover", cover)
        fields.setdefault("account", account)
        article = Article.objects.create(title=title, body=body, **fields)
        article.save_revision()
        return article
    return make
