"""``wxops simulate`` as typed, outside its sandbox: start the sandboxed run at once, without Django.

The run itself happens in a child process on a fresh data folder (:mod:`.sandbox`), which
boots Django and checks every option. Booting Django and Wagtail here too only to start that
child cost ≈ 9 s of CPU a run, so ``wxops`` hands ``simulate`` to this module
(``wxops.cli.STANDALONE``): it checks only what the child cannot — that a kept
``--data-dir`` is new — and passes the arguments on unchanged (the child has the same
working folder). ``--help``, and the child itself, go through Django's command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from wxops.site.timelapse import sandbox


def needs_django(rest: list[str]) -> bool:
    """Django runs the command in the sandbox (the run itself) and for ``--help``."""
    return bool(os.environ.get(sandbox.VARIABLE)) or any(word in ("-h", "--help") for word in rest)


def main(rest: list[str]) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", type=Path, default=None)
    known, _others = parser.parse_known_args(rest)
    data_dir = known.data_dir
    if data_dir is not None and data_dir.exists() and any(data_dir.iterdir()):
        print(f"wxops simulate: --data-dir {data_dir} is not empty; name a new folder", file=sys.stderr)
        return 2
    status = sandbox.rerun(rest, data_dir=data_dir.resolve() if data_dir else None)
    if status:
        print(f"wxops simulate: the simulation stopped (exit status {status}); see the messages above",
              file=sys.stderr)
    return status
