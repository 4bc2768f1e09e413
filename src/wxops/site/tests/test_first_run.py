"""The first `make run`: migrate says what it is doing, and no collectstatic is needed to serve the admin."""

import io
from types import SimpleNamespace

from django.core.management import call_command

from wxops.site.management.commands.migrate import Command as Migrate


def test_migrate_prints_one_line_per_app_with_its_count_and_time():
    out = io.StringIO()
    command = Migrate(stdout=out)
    command.verbosity = 1
    command._app, command._app_count, command._applied, command._last_applied = None, 0, 0, 0.0
    for label, name in (("wagtailcore", "0001_initial"), ("wagtailcore", "0002"), ("materials", "0001_initial")):
        migration = SimpleNamespace(app_label=label, name=name)
        command.migration_progress_callback("apply_start", migration)
        command.migration_progress_callback("apply_success", migration)
    command._end_app()
    lines = out.getvalue().splitlines()
    assert [line.split("…")[0] for line in lines] == ["  wagtailcore", "  materials"]
    assert " 2 migrations, " in lines[0] and " 1 migrations, " in lines[1]
    assert "Applying" not in out.getvalue()


def test_migrate_with_nothing_to_do_says_the_database_is_ready(db):
    out = io.StringIO()
    call_command("migrate", "--noinput", stdout=out)
    assert "database ready 数据库就绪: 0 migrations" in out.getvalue()


def test_the_admin_s_static_files_are_served_without_collectstatic(client, settings):
    assert not any(settings.STATIC_ROOT.iterdir())  # a fresh data folder: nothing collected
    response = client.get("/static/site/js/date-inputs.js")
    assert response.status_code == 200
    assert client.get("/static/wagtailadmin/js/date-time-chooser.js").status_code == 200
