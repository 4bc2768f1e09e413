"""Settings: documented, parsed with clear errors, and checked at start-up."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wxops.site import environment as env

ROOT = Path(__file__).resolve().parents[4]


def test_every_setting_is_documented_and_every_documented_setting_exists():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "settings.md").read_text(), re.M))
    declared = {setting.name for setting in env.SETTINGS}
    assert declared - documented == set(), "add these to docs/settings.md"
    assert documented - declared == set(), "docs/settings.md lists settings that do not exist"


def test_sqlite_is_the_default_and_uses_wal(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database(tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "wxops.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://wx:pw@db.example:5433/wxops")
    config = env.database(tmp_path)
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql", "db.example", 5433, "wxops")


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://x@y/z", "must start with sqlite:// or postgres://"),
     ("nonsense", "no scheme"),
     ("postgres://user@host:5432", "names no database")],
)
def test_malformed_database_url_says_what_to_fix(monkeypatch, tmp_path, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(env.SettingError, match=message):
        env.database(tmp_path)


def test_bad_flags_and_numbers_are_refused(monkeypatch):
    monkeypatch.setenv("WXOPS_DEBUG", "perhaps")
    with pytest.raises(env.SettingError, match="WXOPS_DEBUG='perhaps' is not a yes/no value"):
        env.flag("WXOPS_DEBUG")
    monkeypatch.setenv("PORT", "80000")
    with pytest.raises(env.SettingError, match="PORT=80000 is out of range"):
        env.integer("PORT", 1, 65535)


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("WXOPS_SECRET_KEY", "short")
    with pytest.raises(env.SettingError, match="too short"):
        env.secret_key(tmp_path)


def test_generated_secret_key_is_kept_between_runs(monkeypatch, tmp_path):
    monkeypatch.delenv("WXOPS_SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert env.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def run_wxops(*args, **environment):
    merged = {**os.environ, **environment}
    return subprocess.run([sys.executable, "-m", "wxops.cli", *args], capture_output=True, text=True,
                          env=merged, timeout=120)


def test_malformed_database_url_is_one_clear_line_without_traceback(tmp_path):
    result = run_wxops("check", DATABASE_URL="mysql://nobody@nowhere/db", WXOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "wxops: configuration error: DATABASE_URL must start with sqlite:// or postgres:// (got 'mysql'); "
        "example: postgres://postgres@127.0.0.1:5432/wxops"]


def test_unreachable_database_is_one_clear_line(tmp_path):
    result = run_wxops("migrate", DATABASE_URL="postgres://nobody@127.0.0.1:1/wxops", WXOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("wxops: cannot reach the database (")
    assert "check DATABASE_URL" in result.stderr


def test_system_check_fails_fast_on_contradictory_settings(tmp_path):
    result = run_wxops("check", WECHAT_API_BASE="ftp://example", WXOPS_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "wxops.E002" in result.stderr
    assert "Traceback" not in result.stderr
