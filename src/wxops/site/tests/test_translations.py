"""The back office speaks Chinese first: every app's zh_Hans catalogue is complete and compiled.

The catalogues are checked without gettext tools (a small .po reader, the .mo read by Python's
gettext); the checks that need them (msgfmt's format check, extracting today's msgids with
makemessages) skip with a message when gettext is not installed.
"""

from __future__ import annotations

import ast
import gettext
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from wxops.accounts.roles import ensure_roles

PACKAGE = Path(__file__).resolve().parents[2]
APPS = ("site", "core", "accounts", "compliance", "materials", "sources", "editorial", "interaction", "promotion",
        "publishing")
NO_GETTEXT = ("gettext tools (msgfmt, xgettext, msgmerge) are not installed: "
              "apt-get install gettext to run this check")


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgstrs: tuple[str, ...]
    flags: frozenset[str]
    plural: str | None  # msgid_plural

    @property
    def key(self) -> str:
        """The key gettext uses: ``context\\x04msgid`` when there is a context."""
        return self.msgid if self.context is None else f"{self.context}\x04{self.msgid}"


def catalogue(app: str) -> Path:
    return PACKAGE / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header and obsolete (``#~``) entries left out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _space, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstrs = tuple(value for name, value in sorted(fields.items()) if name.startswith("msgstr"))
            entries.append(Entry(fields.get("msgctxt"), fields["msgid"], msgstrs, frozenset(flags),
                                 fields.get("msgid_plural")))
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text))


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_a_chinese_translation(app):
    path = catalogue(app)
    assert path.is_file(), f"{path} is missing: run makemessages -l zh_Hans in src/wxops/{app}"
    entries = read_po(path)
    assert entries, f"{path} has no messages"
    untranslated = [e.key for e in entries if not all(e.msgstrs)]
    fuzzy = [e.key for e in entries if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], []), f"{path}: translate these and remove #, fuzzy"


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_their_placeholders(app):
    # Chinese has one plural form: it follows the plural msgid ("%(counter)s snippet types").
    broken = [e.key for e in read_po(catalogue(app))
              for msgstr in e.msgstrs if placeholders(msgstr) != placeholders(e.plural or e.msgid)]
    assert broken == [], f"{catalogue(app)}: these translations lose or add a placeholder"


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalogue_matches_the_po(app):
    po = catalogue(app)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: compile it (msgfmt -c -o django.mo django.po) and commit it"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    compiled = {key: value for key, value in catalog.items() if key != ""}
    expected = {}
    for entry in read_po(po):
        if entry.plural is None:
            expected[entry.key] = entry.msgstrs[0]
        else:
            expected.update({(entry.key, n): text for n, text in enumerate(entry.msgstrs)})
    assert compiled == expected, f"{mo} is older than {po.name}: recompile it and commit both"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason=NO_GETTEXT)
@pytest.mark.parametrize("app", APPS)
def test_msgfmt_accepts_the_catalogue(app, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"),
                             str(catalogue(app))], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.skipif(not all(map(shutil.which, ("xgettext", "msguniq", "msgmerge"))), reason=NO_GETTEXT)
@pytest.mark.parametrize("app", APPS)
def test_the_catalogue_holds_every_message_of_the_code(app, tmp_path, monkeypatch):
    """A string wrapped in gettext since the last makemessages is missing from the catalogue."""
    copy = tmp_path / app
    skip = shutil.ignore_patterns("locale", "tests", "__pycache__", "var")
    shutil.copytree(PACKAGE / app, copy, ignore=skip)
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    extracted = {e.key for e in read_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")}
    missing = sorted(extracted - {e.key for e in read_po(catalogue(app))})
    assert missing == [], (f"src/wxops/{app}: run makemessages -l zh_Hans --no-location there, translate "
                           "these and compile")


# ---------------------------------------------------------------- what a user sees


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("translation-editor", password="unused-" + "x" * 12)
    user.groups.add(ensure_roles()["editor"])
    return user


def article_form(client, user, language: str) -> tuple[dict[str, str], list[str]]:
    """The add-article form as ``user`` sees it in ``language``: field labels and menu labels."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    response = client.get(reverse("wagtailsnippets_materials_article:add"))
    assert response.status_code == 200
    page = response.content.decode()
    labels = {field: re.sub(r"<[^>]*>", "", inner).strip().rstrip("*")  # * marks a required field
              for field, inner in re.findall(r'<label[^>]*\sfor="id_(\w+)"[^>]*>(.*?)</label>', page, re.S)}
    sidebar = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S)
    menu = re.findall(r'"label": "([^"]+)"', json.dumps(json.loads(sidebar.group(1)), ensure_ascii=False))
    return labels, menu


def test_an_editor_sees_the_article_form_and_menu_in_chinese(client, editor):
    labels, menu = article_form(client, editor, "zh-hans")
    assert (labels["title"], labels["cover"], labels["digest"], labels["author"]) == ("标题", "封面", "摘要", "作者")
    assert labels["source_url"] == "原文链接"
    assert "图文" in menu and "Articles" not in menu


def test_an_editor_who_prefers_english_sees_english(client, editor):
    labels, menu = article_form(client, editor, "en")
    assert (labels["title"], labels["cover"], labels["digest"]) == ("Title", "Cover image", "Digest")
    assert "Articles" in menu and "图文" not in menu
