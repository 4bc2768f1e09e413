"""The ``wxops`` command: the project's manage.py.

``wxops migrate``, ``wxops worker``, ``wxops up`` … run Django management commands with
wxops's settings. A misconfiguration prints one line that says what to fix, never a
traceback.
"""

from __future__ import annotations

import os
import sys

#: Commands served by Django-free packages: started without booting Django (lighter and
#: faster — the simulator runs for hours beside the site). `wxops help` still lists them
#: through their thin management commands.
STANDALONE = {
    "simulator": "wxops.simulator.server",
    "wechat": "wxops.wechat.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in STANDALONE:
        from importlib import import_module

        return import_module(STANDALONE[argv[1]]).main(argv[2:])
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
