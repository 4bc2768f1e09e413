"""The ``wxops`` command: the project's manage.py.

``wxops migrate``, ``wxops worker``, ``wxops up`` … run Django management commands with
wxops's settings. A misconfiguration prints one line that says what to fix, never a
traceback.

Booting Django and Wagtail costs seconds of CPU, so what needs no database starts without
them: ``wxops --version``, ``wxops help`` (the list of commands, read from the apps'
folders), and the commands in :data:`STANDALONE`.
"""

from __future__ import annotations

import os
import signal
import sys

#: Commands served by Django-free modules, keyed by their leading words: started without
#: booting Django (``wxops compliance check a.txt`` answers in a fraction of a second; the
#: simulator runs for hours beside the site). The module's ``main(rest_of_argv)`` returns the
#: exit status; if it also has ``needs_django(rest_of_argv)`` and that says True (``wxops
#: compliance check --account NAME`` reads the account's lexicons), Django runs the command
#: as usual. ``wxops help`` still lists them through their management commands.
STANDALONE: dict[tuple[str, ...], str] = {
    ("simulator",): "wxops.simulator.server",
    ("wechat",): "wxops.wechat.cli",
    ("compliance", "check"): "wxops.compliance.check_cli",
    ("sources", "classify"): "wxops.sources.classify_cli",
    ("simulate",): "wxops.site.timelapse.outside",
}

def standalone(args: list[str]):
    """The Django-free module for ``args`` (without the program name) and the arguments left, or None."""
    for words in sorted(STANDALONE, key=len, reverse=True):
        if tuple(args[:len(words)]) == words:
            from importlib import import_module

            module = import_module(STANDALONE[words])
            rest = args[len(words):]
            if getattr(module, "needs_django", lambda _rest: False)(rest):
                return None
            return module, rest
    return None


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    def of(name: str) -> str:
        try:
            return installed(name)
        except PackageNotFoundError:
            return "?"

    return f"wxops {of('wxops')} (Django {of('django')}, Wagtail {of('wagtail')})"


def command_names() -> dict[str, list[str]]:
    """Every management command by the short name of its app, as Django's ``help`` lists them.

    Read from each installed app's ``management/commands`` folder without importing the
    apps (a later app never shadows an earlier one's command, as in Django).
    """
    import pkgutil
    from importlib.util import find_spec
    from pathlib import Path

    from wxops.site import settings

    def commands_in(package: str) -> list[str]:
        spec = find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return []
        folder = Path(next(iter(spec.submodule_search_locations))) / "management" / "commands"
        return [m.name for m in pkgutil.iter_modules([str(folder)]) if not m.ispkg and not m.name.startswith("_")]

    owner: dict[str, str] = dict.fromkeys(commands_in("django.core"), "django")
    for app in reversed(settings.INSTALLED_APPS):
        for name in commands_in(app):
            owner[name] = app.rpartition(".")[2]
    grouped: dict[str, list[str]] = {}
    for name, app in owner.items():
        grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


def main_help(prog: str = "wxops") -> str:
    lines = ["", f"Type '{prog} help <subcommand>' for help on a specific subcommand.", "", "Available subcommands:"]
    for app, names in command_names().items():
        lines += ["", f"[{app}]", *(f"    {name}" for name in names)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    # Ctrl-C stops every command, also one started where SIGINT is ignored (a background job of a
    # non-interactive shell, some CI runners): the worker ignored it until huey set its own
    # handler, a second or more into loading, and ran on.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:]
    if args in ([], ["help"], ["-h"], ["--help"]):
        try:
            listing = main_help()
        except Exception:  # settings that cannot load: Django's own start says what is wrong
            listing = None
        if listing is not None:
            print(listing)
            return 0
    if args == ["--version"]:
        print(version())
        return 0
    found = standalone(args)
    if found is not None:
        module, rest = found
        return module.main(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from wxops.site.environment import SettingError

    try:
        execute_from_command_line(argv)
    except (SettingError, ImproperlyConfigured) as error:
        print(f"wxops: configuration error: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"wxops: cannot reach the database ({first_line}); check DATABASE_URL and that the "
              "server is running.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
