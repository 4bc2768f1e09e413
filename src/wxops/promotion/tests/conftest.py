"""Fixtures of the promotion tests: an account (on the simulator when asked), people in each
role, and two branches with staff."""

from __future__ import annotations

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wxops.accounts.models import Account
from wxops.accounts.roles import ensure_roles
from wxops.promotion.models import Branch, Employee
from wxops.simulator.testing import simulator  # noqa: F401 - the simulator fixture


def make_user(name: str, role: str | None, *, superuser: bool = False):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-" + secrets.token_hex(8),
                                                is_superuser=superuser, is_staff=superuser)
    if role:
        user.groups.add(ensure_roles()[role])
    return user


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(name="中恒融智", app_id="wx" + secrets.token_hex(8), app_secret=secrets.token_hex(16),
                                  callback_token=secrets.token_hex(8), message_mode="plain")


@pytest.fixture
def people(db):
    return {"admin": make_user("admin", "administrator"), "director": make_user("director", "director"),
            "shenzhen": make_user("shenzhen", "branch_admin"), "guangzhou": make_user("guangzhou", "branch_admin"),
            "editor": make_user("editor", "editor")}


@pytest.fixture
def branches(account, people):
    shenzhen = Branch.objects.create(account=account, code="sz", name="深圳分公司", welcome_text="欢迎关注，深圳分公司为您服务！")
    guangzhou = Branch.objects.create(account=account, code="gz", name="广州分公司")
    shenzhen.administrators.add(people["shenzhen"])
    guangzhou.administrators.add(people["guangzhou"])
    Employee.objects.create(account=account, branch=shenzhen, staff_number="S001", name="张三")
    Employee.objects.create(account=account, branch=shenzhen, staff_number="S002", name="李四")
    Employee.objects.create(account=account, branch=guangzhou, staff_number="G001", name="王五")
    return {"sz": shenzhen, "gz": guangzhou}


@pytest.fixture
def on_simulator(simulator, live_server, account):  # noqa: F811 - the fixture above
    """The account played by the simulator, its callbacks sent to wxops on Django's live server."""
    account.api_base = simulator.url
    account.save(update_fields=["api_base"])
    simulator.control("POST", "/accounts", app_id=account.app_id, app_secret=account.app_secret,
                      token=account.callback_token, encrypt_mode="plain",
                      callback_url=live_server.url + reverse("interaction:callback", args=[account.app_id]))
    return simulator
