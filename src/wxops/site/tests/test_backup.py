"""`wxops backup` and `wxops restore`: a running system is backed up, wiped, restored and found again —
on SQLite and on PostgreSQL; a damaged archive and a non-empty installation are refused untouched."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

POPULATE = """
import io, secrets
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image
from wxops.accounts.models import Account
from wxops.core import audit, clock
from wxops.interaction.models import InboundKind, InboundMessage
from wxops.materials.models import Article, Picture
from wxops.materials.models.picture import Licence
get_user_model().objects.create_user("editor", "editor@example.com", secrets.token_hex(12))
account = Account.objects.create(name="备份测试", app_id="wx" + secrets.token_hex(8), app_secret=secrets.token_hex(16))
buffer = io.BytesIO()
Image.new("RGB", (300, 200), (30, 110, 180)).save(buffer, "PNG")
picture = Picture.objects.create(title="封面图", file=ImageFile(buffer, name="cover.png"), licence=Licence.OWN)
audit.record(picture, "wxops.materials.picture_added", data={"why": "backup test"})
article = Article.objects.create(title="社保基数调整要点", body="<p>第一季度市场平稳。</p>", account=account, cover=picture)
article.save_revision()
InboundMessage.objects.create(account=account, kind=InboundKind.TEXT, dedupe_key="msg:1", content="发票怎么开？",
                              xml="<xml/>", received_at=clock.now())
"""

FIND = """
import json
from wagtail.models import ModelLogEntry
from wxops.interaction.models import InboundMessage
from wxops.materials.models import Article, Picture
picture = Picture.objects.get()
print(json.dumps({
    "articles": list(Article.objects.values_list("title", flat=True)),
    "revisions": Article.objects.get().revisions.count(),
    "pictures": [picture.title, picture.file.read() == picture.file.storage.open(picture.file.name).read()],
    "picture_bytes": len(picture.file.storage.open(picture.file.name).read()),
    "messages": list(InboundMessage.objects.values_list("content", flat=True)),
    "audit": list(ModelLogEntry.objects.filter(action="wxops.materials.picture_added").values_list("data", flat=True)),
}, ensure_ascii=False))
"""


def postgres_url(name: str) -> str | None:
    if shutil.which("psql") is None:
        return None
    probe = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "select 1"],
                           capture_output=True, text=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}" if probe.returncode == 0 else None


def psql(command: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", command], check=True, capture_output=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path):
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path / "data"), "WXOPS_TASKS_IMMEDIATE": "false"}
    for name in ("DATABASE_URL", "REDIS_URL", "WXOPS_SECRET_KEY", "WXOPS_BACKUP_DIR"):
        env.pop(name, None)
    database = None
    # Each run of the suite takes its own database kind: the SQLite run the SQLite case, the
    # PostgreSQL run (DATABASE_URL set) the PostgreSQL one — the same case twice would only cost time.
    if (request.param == "sqlite") == bool(os.environ.get("DATABASE_URL")):
        pytest.skip(f"the {request.param} case runs in the suite's {request.param} run")
    if request.param == "postgresql":
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed (apt-get install postgresql-client-15): PostgreSQL backups untested")
        database = f"wxops_backup_{uuid.uuid4().hex[:12]}"
        url = postgres_url(database)
        if url is None:
            pytest.skip("no PostgreSQL at 127.0.0.1:5432")
        psql(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = url
    yield env, database
    if database:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def wxops(env, *args):
    return subprocess.run([sys.executable, "-m", "wxops.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def found(env) -> dict:
    run = wxops(env, "shell", "-c", FIND)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_running_system_is_backed_up_wiped_restored_and_found_again(installation, tmp_path):
    env, database = installation
    data = Path(env["WXOPS_DATA_DIR"])
    assert wxops(env, "migrate", "-v0").returncode == 0
    populate = wxops(env, "shell", "-c", POPULATE)
    assert populate.returncode == 0, populate.stderr
    before = found(env)
    assert before["articles"] == ["社保基数调整要点"] and before["messages"] == ["发票怎么开？"]
    assert before["audit"] == [{"why": "backup test"}] and before["revisions"] == 1
    secret = (data / "secret_key").read_text()

    # The system runs (its worker writes heartbeats into the database) while it is backed up.
    log = tmp_path / "worker.log"
    worker = subprocess.Popen([sys.executable, "-m", "wxops.cli", "worker", "--workers", "1"], env=env,
                              stdout=subprocess.DEVNULL, stderr=log.open("w"))
    # Back up only once it runs, so the backup is taken beside a working worker.
    started = time.monotonic()
    while "Huey consumer started" not in log.read_text() and time.monotonic() - started < 120:
        assert worker.poll() is None, log.read_text()
        time.sleep(0.2)
    try:
        archive = tmp_path / "backup.tar.gz"
        made = wxops(env, "backup", "--out", str(archive))
        assert made.returncode == 0, made.stderr
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            pytest.fail("the worker did not stop within 60 s of Ctrl-C; its log ends:\n"
                        + "\n".join(log.read_text().splitlines()[-30:]))
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    listed = {entry["path"] for entry in manifest["files"]}
    assert "database.sqlite3" if database is None else "database.pgdump" in listed
    assert "secret_key" in listed and any(path.startswith("media/original_images/cover") for path in listed)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert manifest["database"] == ("sqlite" if database is None else "postgresql")

    # Wipe: the data folder goes, and the PostgreSQL database is dropped and made again empty.
    shutil.rmtree(data)
    if database:
        psql(f"DROP DATABASE {database} WITH (FORCE)")
        psql(f"CREATE DATABASE {database}")
    restored = wxops(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert found(env) == before
    assert (data / "secret_key").read_text() == secret

    # A second restore onto the now non-empty installation is refused, and changes nothing.
    marker = wxops(env, "shell", "-c", "from wxops.materials.models import Article; "
                   "a = Article.objects.get(); a.title = '恢复后修改'; a.save()")
    assert marker.returncode == 0, marker.stderr
    refused = wxops(env, "restore", str(archive))
    assert refused.returncode == 1
    assert "this installation is not empty (1 user(s) in the database and" in refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert found(env)["articles"] == ["恢复后修改"]
    forced = wxops(env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert found(env) == before


def damaged_copy(archive: Path, target: Path, change) -> Path:
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            body = change(member.name, body)
            member.size = len(body)
            copy.addfile(member, io.BytesIO(body))
    return target


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from wxops.site import backup

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "keep.txt").write_text("这份文件不能丢")
    mail = Path(settings.DATA_DIR) / "mail"
    mail.mkdir(parents=True, exist_ok=True)
    (mail / "report.eml").write_text("Subject: 运营情况分析")
    archive = backup.create(tmp_path / "good.tar.gz")
    with tarfile.open(archive) as opened:
        listed = {entry["path"] for entry in json.load(opened.extractfile("manifest.json"))["files"]}
    assert {"media/keep.txt", "mail/report.eml"} <= listed

    def flip(name, body):
        return body[:-1] + bytes([body[-1] ^ 1]) if name == "media/keep.txt" else body

    bad = damaged_copy(archive, tmp_path / "bad.tar.gz", flip)
    with pytest.raises(CommandError, match="the archive is damaged: media/keep.txt does not match its checksum"):
        call_command("restore", str(bad), "--force")
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"plain text")
    with pytest.raises(CommandError, match="is not a readable wxops backup"):
        call_command("restore", str(tmp_path / "not-a-backup.tar.gz"))
    assert (media / "keep.txt").read_text() == "这份文件不能丢"


@pytest.mark.django_db
def test_the_nightly_backup_runs_at_3_local_and_keeps_the_newest(tmp_path, settings):
    from wxops.site.tasks import nightly_backup

    settings.WXOPS_BACKUP_DIR = str(tmp_path / "nightly")
    settings.WXOPS_BACKUP_KEEP = 2
    shanghai = ZoneInfo("Asia/Shanghai")
    assert nightly_backup(datetime(2026, 11, 27, 4, 30, tzinfo=shanghai)) is None  # not the night's hour
    from wxops.core import clock

    for day in (24, 25, 26):
        with clock.frozen(datetime(2026, 11, day, 3, 30, tzinfo=shanghai)):
            assert nightly_backup() is not None
    kept = sorted(path.name for path in (tmp_path / "nightly").iterdir())
    assert kept == ["wxops-20261124-193000.tar.gz", "wxops-20261125-193000.tar.gz"]
    settings.WXOPS_BACKUP_KEEP = 0
    with clock.frozen(datetime(2026, 11, 27, 3, 30, tzinfo=shanghai)):
        assert nightly_backup() is None
