"""Does the learning planner pay? Reads under three planners, several audience profiles.

    .venv/bin/python benchmarks/planner_lift.py [--weeks 26] [--followers 600] [--profiles 3] [--seed 7]

For each audience profile (the demo profile, then copies whose read rates are rotated over
the categories, so a different category is the favourite each time) ``wxops simulate`` runs
``--weeks`` with each planner on the same seed:

* ``round-robin`` — editorial's rotation (the baseline, measured in the same run);
* ``wxops`` — the fortnightly analysis writes category weights, the planner samples them;
* ``oracle`` — the planner starts from the profile's true read rates.

Prints the reads (``summary.json``'s ``reads_total``) per profile and planner, and the
average ratios wxops ÷ round-robin (target ≥ 1.2) and wxops ÷ oracle (target ≥ 0.9).
Each run is a fresh sandbox (``wxops simulate`` never touches your data); ``--cache-dir``
keeps the migrated empty database between runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

PLANNERS = ("round-robin", "wxops", "oracle")
ROOT = Path(__file__).resolve().parents[1]


def profiles(count: int, followers: int) -> list[tuple[str, dict]]:
    demo = json.loads(resources.files("wxops.simulator").joinpath("data/profiles/demo.json").read_text("utf-8"))
    names = list(demo["categories"])
    rates = [demo["categories"][name]["read_rate"] for name in names]
    result = []
    for shift in range(count):
        rotated = rates[shift:] + rates[:shift]
        categories = {name: {**demo["categories"][name], "read_rate": rate} for name, rate in zip(names, rotated,
                                                                                                  strict=True)}
        favourite = max(categories, key=lambda name: categories[name]["read_rate"])
        result.append((f"最爱「{favourite}」", {**demo, "followers": followers, "categories": categories}))
    return result


def simulate(profile_file: Path, planner: str, weeks: int, seed: int, out: Path, cache: Path) -> dict:
    command = [str(ROOT / ".venv" / "bin" / "wxops"), "simulate", "--weeks", str(weeks), "--audience",
               str(profile_file), "--seed", str(seed), "--planner", planner, "--out", str(out),
               "--cache-dir", str(cache)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"wxops simulate failed ({planner}):\n{done.stderr[-3000:]}")
    return json.loads((out / "summary.json").read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--followers", type=int, default=600, help="followers per profile (fewer run faster)")
    parser.add_argument("--profiles", type=int, default=3, help="how many profiles (1–5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "cache")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wxops-planner-lift-"))
    lifts, gaps = [], []
    print(f"{args.weeks} weeks, {args.followers} followers, seed {args.seed}")
    print(f"{'profile':24s}" + "".join(f"{p:>14s}" for p in PLANNERS) + "   wxops÷rr  wxops÷oracle")
    for label, profile in profiles(min(max(args.profiles, 1), 5), args.followers):
        profile_file = work / f"profile-{len(lifts)}.json"
        profile_file.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
        reads = {}
        for planner in PLANNERS:
            started = time.perf_counter()
            summary = simulate(profile_file, planner, args.weeks, args.seed, work / f"{len(lifts)}-{planner}",
                               args.cache_dir)
            reads[planner] = (summary["reads_total"], time.perf_counter() - started)
        lift = reads["wxops"][0] / max(reads["round-robin"][0], 1)
        gap = reads["wxops"][0] / max(reads["oracle"][0], 1)
        lifts.append(lift)
        gaps.append(gap)
        print(f"{label:24s}" + "".join(f"{reads[p][0]:>8d} ({reads[p][1]:3.0f}s)" for p in PLANNERS)
              + f"   {lift:8.2f}  {gap:12.2f}")
    lift, gap = sum(lifts) / len(lifts), sum(gaps) / len(gaps)
    print(f"average: wxops ÷ round-robin {lift:.2f} (target ≥ 1.2 {'met' if lift >= 1.2 else 'MISSED'}), "
          f"wxops ÷ oracle {gap:.2f} (target ≥ 0.9 {'met' if gap >= 0.9 else 'MISSED'})")
    print(f"runs kept in {work}")


if __name__ == "__main__":
    main()
