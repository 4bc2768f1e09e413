"""`wxops check --deploy` passes with the production settings the README lists, and not without them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

#: The production settings of README.md ("Running for real"), for one host behind nginx with TLS.
PRODUCTION = {
    "WXOPS_DEBUG": "false",
    "WXOPS_HTTPS": "true",
    "WXOPS_PROXY_COUNT": "1",
    "WXOPS_ALLOWED_HOSTS": "wx.example.com",
    "WXOPS_CSRF_TRUSTED_ORIGINS": "https://wx.example.com",
    "WXOPS_BASE_URL": "https://wx.example.com",
}


def check_deploy(tmp_path, **settings):
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path), "WXOPS_SECRET_KEY": secrets.token_urlsafe(50), **settings}
    # A production machine has none of these; the browser tests' conftest sets the last one
    # in this process (Playwright's event loop beside Django), and a check would flag it.
    for name in ("DATABASE_URL", "REDIS_URL", "WXOPS_HTTPS", "WXOPS_PROXY_COUNT", "WXOPS_DEBUG",
                 "DJANGO_ALLOW_ASYNC_UNSAFE"):
        if name not in settings:
            env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "wxops.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=300)


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    done = check_deploy(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text(encoding="utf-8")
    for name, value in PRODUCTION.items():
        assert f"{name}={value}" in readme, f"README's production settings do not list {name}={value}"


def test_check_deploy_fails_without_them(tmp_path):
    done = check_deploy(tmp_path / "plain")
    assert done.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr
