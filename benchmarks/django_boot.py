"""Boot Django for a benchmark in a fresh data folder, on SQLite or the database at ``database_url``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def boot(data_dir: Path, database_url: str | None, **environment: str) -> None:
    """Tasks run inline (``WXOPS_TASKS_IMMEDIATE``), Redis unused; ``environment`` adds settings."""
    os.environ.pop("REDIS_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update({"WXOPS_DATA_DIR": str(data_dir), "WXOPS_TASKS_IMMEDIATE": "true", **environment})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
    import django

    django.setup()
