"""``wxops simulator``: run the local WeChat simulator (see docs/simulator.md).

The simulator is a pure-Python package with its own argument parser; this command only
hands it the raw arguments, so ``wxops simulator --help`` shows the simulator's own help.
"""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the local WeChat simulator (api.weixin.qq.com look-alike, control API under /sim/).\n"
        "Example: wxops simulator --port 9100 --state var/simulator.sqlite3 --seed 7"
    )

    def run_from_argv(self, argv):
        from wxops.simulator.server import main

        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv takes over
        from wxops.simulator.server import main

        return str(main([]) or "")
