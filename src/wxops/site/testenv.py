"""Test-wide set-up, loaded by pytest as a plugin (`-p wxops.site.testenv`) before Django
starts: every test run gets its own data folder and runs tasks inline."""

import os
import tempfile

import pytest

_data = tempfile.mkdtemp(prefix="wxops-test-")
os.environ["WXOPS_DATA_DIR"] = _data
os.environ.setdefault("WXOPS_SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")
os.environ["WXOPS_TASKS_IMMEDIATE"] = "true"
os.environ.setdefault("WXOPS_LANGUAGE", "zh-hans")
# The test simulator's clock is frozen on a fixed Monday, far from the site's: callbacks would
# fall outside the timestamp window. The window has its own tests, which switch it on.
os.environ.setdefault("WXOPS_CALLBACK_TIMESTAMP_WINDOW", "0")
# Playwright must never fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(autouse=True)
def _forget_process_caches():
    """After each test: the per-process caches of the callback's path (a rolled-back test deletes
    its rows without a signal, and SQLite may give the next test's rows the same ids)."""
    yield
    from wxops.interaction.replies.actions import forget_cached_replies

    forget_cached_replies()
