"""Back up and restore a whole installation: one archive with a manifest and checksums.

An archive (``.tar.gz``) holds:

- ``database.sqlite3`` — a consistent copy of the SQLite database taken with SQLite's online
  backup API while wxops runs (WAL and all), or ``database.pgdump`` — ``pg_dump``'s custom
  format on PostgreSQL;
- ``media/…`` — uploaded pictures, their renditions and documents;
- ``mail/…`` — the mail written to files when no mail server is set (``WXOPS_SMTP_HOST``);
- ``secret_key`` — the generated secret key (not when it comes from ``WXOPS_SECRET_KEY``: the
  environment keeps it);
- ``simulator.sqlite3`` — the local WeChat simulator's state, when there is one;
- ``manifest.json`` (last) — what the archive holds, each file's size and SHA-256, the database
  vendor and the migrations applied.

The task queue is not kept: a task is only a trigger, the database row is the truth, and the
worker's periodic sweeps find the work again after a restore::

    path = backup.create(Path("/srv/backups/wxops.tar.gz"))
    backup.restore(path, force=False)      # RestoreRefused on a non-empty installation

Errors are :class:`BackupError` (and its :class:`RestoreRefused`) with the fix in words.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from wxops.core import clock

FORMAT = "wxops-backup/1"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why and what to do."""


class RestoreRefused(BackupError):
    """The installation is not empty and ``--force`` was not given."""


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def default_folder() -> Path:
    folder = getattr(settings, "WXOPS_BACKUP_DIR", "") or data_dir() / "backups"
    return Path(folder)


def folders() -> dict[str, Path]:
    """The folders a backup keeps whole, by their name in the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "mail": data_dir() / "mail"}


def default_name() -> str:
    return f"wxops-{clock.now():%Y%m%d-%H%M%S}.tar.gz"


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


# ------------------------------------------------------------------ database copies


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the backup API reads through the WAL)."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as reader, \
            sqlite3.connect(target) as writer:
        reader.backup(writer)
    sqlite3.connect(target).close()


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    config = settings.DATABASES["default"]
    arguments = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        arguments += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        arguments += ["--port", str(config["PORT"])]
    if config.get("USER"):
        arguments += ["--username", str(config["USER"])]
    environment = dict(os.environ)
    if config.get("PASSWORD"):
        environment["PGPASSWORD"] = str(config["PASSWORD"])
    return arguments, environment


def pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``, checked against the server's major version."""
    path = shutil.which(name)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools of the server's "
                          f"version, e.g. apt-get install postgresql-client-{server}")
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    tool = int(output.split()[-1].split(".")[0])
    if tool < server:
        raise BackupError(f"{name} {tool} is older than the PostgreSQL server ({server}) and cannot read it: "
                          f"install postgresql-client-{server}")
    return path


def pg_dump(target: Path) -> None:
    arguments, environment = _pg_environment()
    done = subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                           "--file", str(target), *arguments], env=environment, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def pg_restore(dump: Path) -> None:
    arguments, environment = _pg_environment()
    done = subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                           "--single-transaction", *arguments, str(dump)],
                          env=environment, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def applied_migrations() -> dict[str, str]:
    """The last applied migration of each app: what a restore's code must be able to migrate from."""
    from django.db.migrations.recorder import MigrationRecorder

    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name"):
        last[app] = name
    return last


# ------------------------------------------------------------------ the archive


class _Hashing:
    """A file reader that hashes what tarfile takes from it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add(archive: tarfile.TarFile, path: Path, name: str, files: list[dict]) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    files.append({"path": name, "size": info.size, "sha256": reader.digest.hexdigest()})


def create(out: Path | None = None) -> Path:
    """Write a backup of this installation to ``out`` (default: the backup folder) and return its path."""
    out = Path(out) if out else default_folder() / default_name()
    out.parent.mkdir(parents=True, exist_ok=True)
    files: list[dict] = []
    notes: list[str] = []
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".wxops-backup-") as staging:
        staging = Path(staging)
        if is_sqlite():
            database = staging / "database.sqlite3"
            sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), database)
        else:
            database = staging / "database.pgdump"
            pg_dump(database)
        simulator_state = data_dir() / "simulator.sqlite3"
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, database, database.name, files)
            for name, folder in folders().items():
                if folder.is_dir():
                    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                        _add(archive, path, f"{name}/{path.relative_to(folder).as_posix()}", files)
            secret = data_dir() / "secret_key"
            if os.environ.get("WXOPS_SECRET_KEY"):
                notes.append("the secret key comes from WXOPS_SECRET_KEY and is not in this archive")
            elif secret.exists():
                _add(archive, secret, "secret_key", files)
            if simulator_state.exists():
                copy = staging / "simulator.sqlite3"
                sqlite_copy(simulator_state, copy)
                _add(archive, copy, "simulator.sqlite3", files)
            manifest = {
                "format": FORMAT, "created_at": clock.now().isoformat(), "database": connection.vendor,
                "migrations": applied_migrations(), "files": files, "notes": notes,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(clock.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
    partial.replace(out)  # a reader never sees half an archive under the final name
    return out


def read_and_check(archive_path: Path, into: Path) -> dict:
    """Unpack ``archive_path`` into ``into`` and check every file against the manifest; returns it."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive_path} is not a readable wxops backup ({error}).") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{archive_path} has no readable {MANIFEST}: it is not a wxops backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path} is a {manifest.get('format')!r} archive; this wxops reads {FORMAT}.")
    listed = {entry["path"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        path = into / entry["path"]
        if not path.is_file():
            raise BackupError(f"the archive is damaged: {entry['path']} is missing.")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry["sha256"]:
            raise BackupError(f"the archive is damaged: {entry['path']} does not match its checksum.")
    extra = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - listed - {MANIFEST}
    if extra:
        raise BackupError(f"the archive holds files its manifest does not list: {', '.join(sorted(extra))}.")
    return manifest


def installation_in_use() -> str:
    """Why this installation is not empty (users, uploads), or "" when a restore may go ahead."""
    from django.contrib.auth import get_user_model

    reasons = []
    try:
        users = get_user_model().objects.count()
    except Exception:  # noqa: BLE001 — no tables yet: nothing to lose
        users = 0
    if users:
        reasons.append(f"{users} user(s) in the database")
    media = Path(settings.MEDIA_ROOT)
    uploads = sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0
    if uploads:
        reasons.append(f"{uploads} uploaded file(s) in {media}")
    return " and ".join(reasons)


def restore(archive_path: Path, *, force: bool = False) -> dict:
    """Put the archive's database, uploads, secret key and simulator state in place; returns the manifest.

    Refuses (:class:`RestoreRefused`) when the installation holds users or uploads, unless
    ``force``; refuses a damaged archive or one of another database vendor before touching
    anything. Stop the web and worker processes first; run ``wxops migrate`` after (the
    command does) so an older backup fits newer code.
    """
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist.")
    data_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir(), prefix=".wxops-restore-") as unpacked:
        unpacked = Path(unpacked)
        manifest = read_and_check(archive_path, unpacked)
        if manifest["database"] != connection.vendor:
            raise BackupError(f"this backup holds a {manifest['database']} database and this installation uses "
                              f"{connection.vendor}: set DATABASE_URL to match, then restore.")
        in_use = installation_in_use()
        if in_use and not force:
            raise RestoreRefused(f"this installation is not empty ({in_use}); a restore would replace it. "
                                 "Give --force to replace it, or point WXOPS_DATA_DIR/DATABASE_URL elsewhere.")
        connections.close_all()
        if manifest["database"] == "sqlite":
            target = Path(settings.DATABASES["default"]["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(unpacked / "database.sqlite3") as reader, \
                    sqlite3.connect(target, timeout=30) as writer:
                reader.backup(writer)
        else:
            pg_restore(unpacked / "database.pgdump")
        for name, folder in folders().items():
            if folder.exists():
                shutil.rmtree(folder)
            if (unpacked / name).is_dir():
                shutil.move(unpacked / name, folder)
            elif name == "media":
                folder.mkdir(parents=True)
        if (unpacked / "secret_key").is_file():
            secret = data_dir() / "secret_key"
            secret.write_bytes((unpacked / "secret_key").read_bytes())
            secret.chmod(0o600)
        if (unpacked / "simulator.sqlite3").is_file():
            with sqlite3.connect(unpacked / "simulator.sqlite3") as reader, \
                    sqlite3.connect(data_dir() / "simulator.sqlite3", timeout=30) as writer:
                reader.backup(writer)
    return manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives named wxops-*.tar.gz in ``folder``; returns those deleted."""
    archives = sorted(folder.glob("wxops-*.tar.gz"), key=lambda path: path.name, reverse=True)
    for old in archives[keep:]:
        old.unlink()
    return archives[keep:]
