from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wxops.site import backup


class Command(BaseCommand):
    help = (
        "Back up this installation while it runs: the database (SQLite's online backup API, or pg_dump on "
        "PostgreSQL), uploads, the generated secret key and the simulator's state, in one .tar.gz with a "
        "manifest and checksums. Default file: WXOPS_BACKUP_DIR/wxops-YYYYMMDD-HHMMSS.tar.gz.\n"
        "Example: wxops backup --out /srv/backups/wxops-today.tar.gz"
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="where to write the archive")

    def handle(self, *args, out: Path | None, **options):
        try:
            path = backup.create(out)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"wxops: backup written to {path} ({path.stat().st_size:,} bytes).")
