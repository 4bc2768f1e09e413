"""``wxops migrate``: Django's migrate, with progress a person can follow on a first run.

The first ``make run`` applies a few hundred migrations; ``migrate -v 0`` printed nothing for
minutes and looked hung, ``-v 1`` prints one line per migration. At verbosity 1 this prints one
line per app instead — how many migrations and how long they took — and the total, so the
first run shows where its time goes. ``-v 0`` stays silent, ``-v 2`` is Django's own detail.
"""

from __future__ import annotations

import time

from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Example: wxops migrate --noinput"

    def handle(self, *args, **options):
        self._app = None
        self._app_started = 0.0
        self._app_count = 0
        self._applied = 0
        started = self._last_applied = time.monotonic()
        result = super().handle(*args, **options)
        self._end_app()
        if options["verbosity"] == 1:
            ended = time.monotonic()
            self.stdout.write(f"  set-up after migrating (roles, workflow, search index…): {ended - self._last_applied:.1f} s")
            self.stdout.write(f"  database ready 数据库就绪: {self._applied} migrations, {ended - started:.1f} s in all")
        return result

    def _end_app(self) -> None:
        if self._app is not None:
            self.stdout.write(f" {self._app_count} migrations, {self._last_applied - self._app_started:.1f} s")
            self.stdout.flush()
            self._app = None

    def migration_progress_callback(self, action, migration=None, fake=False):
        if self.verbosity != 1 or action not in ("apply_start", "apply_success"):
            return super().migration_progress_callback(action, migration, fake)
        if action == "apply_start" and migration.app_label != self._app:
            self._end_app()
            self._app, self._app_started, self._app_count = migration.app_label, time.monotonic(), 0
            self.stdout.write(f"  {self._app}…", ending="")
            self.stdout.flush()
        elif action == "apply_success":
            self._app_count += 1
            self._applied += 1
            self._last_applied = time.monotonic()
