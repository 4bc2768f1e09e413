"""Where a simulation runs: a data folder of its own, never the user's.

``wxops simulate`` starts itself again in a child process whose environment points
``WXOPS_DATA_DIR`` at a fresh folder (a temporary one, deleted afterwards, unless
``--data-dir`` keeps it) and clears ``DATABASE_URL`` and ``REDIS_URL``: the child works on
a new SQLite database, media folder and queue there, with tasks run in-line. The user's
database, pictures and queue are never opened.

Migrating a new database takes a while (≈20 s); ``--cache-dir`` keeps an empty migrated
database, keyed by the migration files of every installed app, and copies it into each new
data folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

#: Set in the child's environment to its data folder: "this process is the sandbox".
VARIABLE = "WXOPS_SIMULATE_SANDBOX"
DATABASE = "wxops.sqlite3"


def active() -> bool:
    """Whether this process runs inside a sandbox (its data folder is the one it was given)."""
    from django.conf import settings

    marker = os.environ.get(VARIABLE)
    return bool(marker) and Path(marker).resolve() == Path(settings.DATA_DIR).resolve() \
        and not os.environ.get("DATABASE_URL")


def rerun(arguments: list[str], *, data_dir: Path | None) -> int:
    """Run ``wxops simulate <arguments>`` in a child process on a fresh data folder; its exit status.

    ``data_dir`` keeps the folder (it must be empty or absent); otherwise a temporary one
    is removed at the end.
    """
    folder = data_dir or Path(tempfile.mkdtemp(prefix="wxops-simulate-"))
    folder.mkdir(parents=True, exist_ok=True)
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "REDIS_URL", "WXOPS_SECRET_KEY")}
    environment.update({
        "WXOPS_DATA_DIR": str(folder.resolve()), VARIABLE: str(folder.resolve()),
        "WXOPS_TASKS_IMMEDIATE": "true", "WXOPS_QUEUE_NAME": "wxops-simulate",
    })
    try:
        return subprocess.call([sys.executable, "-m", "wxops.cli", "simulate", *arguments], env=environment)
    finally:
        if data_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def fingerprint() -> str:
    """What an empty migrated database depends on: every migration file of every installed
    app (wxops's and third parties'), and the installed Django and Wagtail."""
    from django.apps import apps

    digest = hashlib.sha256(f"{version('django')}|{version('wagtail')}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        for path in sorted((Path(config.path) / "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrate(cache_dir: Path | None) -> None:
    """Bring the sandbox's database to the current schema, from the cache when it holds one."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    database = Path(settings.DATA_DIR) / DATABASE
    cached = cache_dir / f"empty-{fingerprint()}.sqlite3" if cache_dir else None
    if cached is not None and cached.exists() and not database.exists():
        # Same migrations, same Django and Wagtail: the copy is up to date, and running
        # migrate on it would still cost seconds of building the migration graph.
        shutil.copyfile(cached, database)
        return
    call_command("migrate", verbosity=0, interactive=False)
    if cached is not None and not cached.exists():
        connections.close_all()  # the last connection closing folds the WAL into the file
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.partial")
        shutil.copyfile(database, partial)
        partial.replace(cached)
