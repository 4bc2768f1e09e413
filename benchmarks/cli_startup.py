"""Start-up time of the ``wxops`` command (issue 8). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/cli_startup.py [--runs 5]

Each command runs ``--runs`` times as a fresh process; the median wall time and CPU time
(user + system of the child) are printed next to ``python -c pass`` measured in the same
run, so a busy machine shows up in the baseline too. Target: ``wxops compliance check`` of
a 3,000-character article under 1.5 s wall on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WXOPS = [sys.executable, "-m", "wxops.cli"]
PARAGRAPH = ("今年第一季度，公司财税服务团队走访了三百多家小微企业，发现不少企业对增值税留抵退税政策仍不熟悉。"
             "我们整理了常见问题，帮助企业在申报期内少走弯路。本文仅供参考，具体以主管税务机关的解释为准。"
             "如需咨询，请在工作时间拨打客服电话，或在公众号后台留言。")


def article(characters: int = 3000) -> str:
    body = (PARAGRAPH + "\n") * (characters // len(PARAGRAPH) + 1)
    return body[: characters - 20] + "本产品稳赚不赔，转发到朋友圈领红包"[:20]


def timed(command: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(article(), encoding="utf-8")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "wxops --version": [*WXOPS, "--version"],
            "wxops help": [*WXOPS, "help"],
            "wxops compliance check (3,000 chars)": [*WXOPS, "compliance", "check", str(path)],
            "wxops help compliance (boots Django)": [*WXOPS, "help", "compliance"],
        }
        os.environ.setdefault("WXOPS_DATA_DIR", folder)  # never touch a real database
        print(f"{'command':40} {'wall (median)':>14} {'CPU (median)':>13}   runs={options.runs}, load {os.getloadavg()[0]:.1f}")
        baseline = None
        for name, command in commands.items():
            runs = [timed(command) for _ in range(options.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            baseline = baseline or wall
            print(f"{name:40} {wall:12.3f} s {cpu:11.3f} s   ({wall / baseline:5.1f}× python -c pass)")
    print("target: wxops compliance check of a 3,000-character article < 1.5 s wall on an idle 2-core machine")


if __name__ == "__main__":
    main()
