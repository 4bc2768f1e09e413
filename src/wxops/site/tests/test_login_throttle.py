"""The front door: repeated failed logins lock out the user name and the address, logged; a
right password after a few mistakes still gets in."""

import logging
import secrets

import pytest

LOGIN = "/admin/login/"


@pytest.fixture
def editor(django_user_model):
    password = secrets.token_urlsafe(12)
    user = django_user_model.objects.create_user("editor", "editor@example.com", password, is_staff=True)
    return user, password


def attempt(client, username, password, address="203.0.113.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_user_name_and_it_is_logged(client, editor, caplog):
    user, password = editor
    wrong = [secrets.token_urlsafe(8) for _ in range(5)]
    with caplog.at_level(logging.WARNING, logger="axes"):
        for guess in wrong[:4]:
            assert attempt(client, "editor", guess).status_code == 200  # the form again, with its error
        assert attempt(client, "editor", wrong[4]).status_code == 429  # the fifth failure locks
        # Even the right password, even from another address, is refused while the lock lasts.
        locked = attempt(client, "editor", password, address="198.51.100.9")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多" in page and "15" in page
    assert "_auth_user_id" not in client.session
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "editor" in logged and "203.0.113.7" in logged
    assert not any(guess in logged for guess in wrong) and password not in logged


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_that_address_only(client, editor, django_user_model):
    user, password = editor
    for n in range(5):
        attempt(client, f"nobody{n}", secrets.token_urlsafe(8), address="192.0.2.50")
    assert attempt(client, "editor", password, address="192.0.2.50").status_code == 429
    answer = attempt(client, "editor", password, address="192.0.2.51")
    assert answer.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_few_mistakes_then_the_right_password_gets_in_and_clears_the_count(client, editor):
    user, password = editor
    for _ in range(4):
        attempt(client, "editor", secrets.token_urlsafe(8))
    assert attempt(client, "editor", password).status_code == 302
    client.logout()
    for _ in range(4):  # the count started again: four more mistakes do not lock
        attempt(client, "editor", secrets.token_urlsafe(8))
    assert attempt(client, "editor", password).status_code == 302


@pytest.mark.django_db
def test_behind_nginx_the_forwarded_address_is_throttled(client, editor, settings):
    settings.WXOPS_PROXY_COUNT = 1
    user, password = editor
    for n in range(5):  # all through the one nginx at 10.0.0.2, from one outside address
        attempt(client, f"nobody{n}", "x", address="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.99")
    assert attempt(client, "editor", password, address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    # Another caller through the same nginx is not locked out with them.
    assert attempt(client, "editor", password, address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="203.0.113.100").status_code == 302
