"""The admin menu offers each role only what it works with, and no entry ends in a refusal."""

import json
import re

import pytest

from wxops.site.avatars import initials
from wxops.site.demo import load_demo, read_logins

ROLES = ("editor", "reviewer", "branch", "director", "admin")
PAGE_SCREENS = ("/admin/pages/", "/admin/documents/", "/admin/sites/", "/admin/collections/",
                "/admin/reports/locked/", "/admin/reports/aging-pages/", "/admin/reports/page-types-usage/")
REFUSALS = ("你没有权限", "没有权限访问", "Sorry, you do not have permission")


@pytest.fixture
def demo(db):
    return load_demo()


def login(client, username):
    password = {row.username: row.password for row in read_logins()}[username]
    assert client.login(username=username, password=password)


def menu_items(html: str) -> list[tuple[str, str]]:
    """Every (label, url) of the sidebar, submenus included."""
    props = json.loads(re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1))
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("url"), str) and node.get("label"):
                found.append((node["label"], node["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def test_no_role_but_the_superuser_is_offered_wagtail_s_page_screens(demo, client):
    for username in ROLES:
        client.logout()
        login(client, username)
        urls = [url for _label, url in menu_items(client.get("/admin/").text)]
        offered = [url for url in urls if url.startswith(PAGE_SCREENS)]
        if username == "admin":  # the demo administrator is the superuser who maintains the site
            assert "/admin/pages/" in offered
        else:
            assert offered == [], f"{username} is offered {offered}"
        assert not [url for url in urls if "wagtail.org" in url], f"{username} is offered online help"


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_entry_opens_without_a_refusal(demo, client, username):
    login(client, username)
    items = menu_items(client.get("/admin/").text)
    assert items
    refused = []
    for label, url in items:
        if not url.startswith("/") or url.startswith("#"):
            continue
        response = client.get(url, follow=True)
        text = response.content.decode(errors="replace")
        if response.status_code != 200 or any(words in text for words in REFUSALS):
            refused.append((label, url, response.status_code))
    assert refused == []


def test_the_branch_administrator_is_not_offered_the_candidate_pool(demo, client):
    login(client, "branch")
    urls = [url for _label, url in menu_items(client.get("/admin/").text)]
    assert "/admin/sources/pool/" not in urls
    assert "/admin/promotion/" in urls


def test_avatars_are_local_initials(demo, client):
    login(client, "editor")
    page = client.get("/admin/").text
    assert "gravatar.com" not in page
    assert "data:image/svg+xml" in page


def test_initials_of_chinese_and_latin_names(django_user_model):
    assert initials(django_user_model(username="wang", first_name="小明", last_name="王")) == "小明"
    assert initials(django_user_model(username="jdoe", first_name="Jane", last_name="Doe")) == "JD"
    assert initials(django_user_model(username="reviewer")) == "RE"
