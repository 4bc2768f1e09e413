from datetime import datetime
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from wxops.accounts.times import shown_for_all
from wxops.site import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `wxops backup`: checks every checksum first, refuses an installation "
        "that already has users or uploads unless --force, then puts the database, uploads, secret key and "
        "simulator state in place and migrates. Stop `wxops up` (or the web and worker processes) first.\n"
        "Example: wxops restore /srv/backups/wxops-20261127-033000.tar.gz"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by wxops backup")
        parser.add_argument("--force", action="store_true",
                            help="replace this installation's database and uploads although it is not empty")

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            manifest = backup.restore(archive, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"wxops: restored {len(manifest['files'])} file(s) from the backup of "
                          f"{shown_for_all(datetime.fromisoformat(manifest['created_at']))}; start wxops again.")
        for note in manifest.get("notes", []):
            self.stdout.write(f"wxops: note: {note}")
