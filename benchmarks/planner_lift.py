"""Does the learning planner pay? Reads under three planners, several audience profiles.

    .venv/bin/python benchmarks/planner_lift.py [--weeks 26] [--followers 600] [--profiles 3] [--seed 7] [--jobs 3]

For each audience profile (the demo profile, then copies whose read rates are rotated over
the categories, so a different category is the favourite each time) ``wxops simulate`` runs
``--weeks`` with each planner on the same seed:

* ``round-robin`` — editorial's rotation (the baseline, measured in the same run);
* ``wxops`` — the fortnightly analysis writes category weights, the planner samples them;
* ``oracle`` — the planner starts from the profile's true read rates.

Prints the reads (``summary.json``'s ``reads_total``) per profile and planner, and the
average ratios wxops ÷ round-robin (target ≥ 1.2) and wxops ÷ oracle (target ≥ 0.9).
Each run is a fresh sandbox (``wxops simulate`` never touches your data); ``--cache-dir``
keeps the migrated empty database between runs; ``--jobs`` runs that many simulations at once
(each is a process of its own; the figures do not depend on it, the seconds do).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
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
    parser.add_argument("--jobs", type=int, default=1, help="simulations run at once")
    parser.add_argument("--only", type=int, nargs="+", metavar="N",
                        help="run only these profiles (numbered from 0), e.g. to split the runs between machines")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "cache")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wxops-planner-lift-"))
    chosen = profiles(min(max(args.profiles, 1), 5), args.followers)
    for number, (_label, profile) in enumerate(chosen):
        (work / f"profile-{number}.json").write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")

    def one(run: tuple[int, str]) -> tuple[int, str, int, float]:
        number, planner = run
        started = time.perf_counter()
        summary = simulate(work / f"profile-{number}.json", planner, args.weeks, args.seed,
                           work / f"{number}-{planner}", args.cache_dir)
        seconds = time.perf_counter() - started
        print(f"  done: profile {number} {planner}: {summary['reads_total']} reads ({seconds:.0f} s)", flush=True)
        return number, planner, summary["reads_total"], seconds

    print(f"{args.weeks} weeks, {args.followers} followers, seed {args.seed}, {args.jobs} at once", flush=True)
    numbers = [n for n in range(len(chosen)) if args.only is None or n in args.only]
    runs = [(number, planner) for number in numbers for planner in PLANNERS]
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        results = list(pool.map(one, runs))
    reads = {(number, planner): (total, seconds) for number, planner, total, seconds in results}
    lifts, gaps = [], []
    print(f"{'profile':24s}" + "".join(f"{p:>14s}" for p in PLANNERS) + "   wxops÷rr  wxops÷oracle  oracle÷rr")
    for number in numbers:
        label = chosen[number][0]
        own = {planner: reads[number, planner] for planner in PLANNERS}
        lift = own["wxops"][0] / max(own["round-robin"][0], 1)
        gap = own["wxops"][0] / max(own["oracle"][0], 1)
        lifts.append(lift)
        gaps.append(gap)
        print(f"{label:24s}" + "".join(f"{own[p][0]:>8d} ({own[p][1]:3.0f}s)" for p in PLANNERS)
              + f"   {lift:8.2f}  {gap:12.2f}  {own['oracle'][0] / max(own['round-robin'][0], 1):9.2f}")
    lift, gap = sum(lifts) / len(lifts), sum(gaps) / len(gaps)
    print(f"average: wxops ÷ round-robin {lift:.2f} (target ≥ 1.2 {'met' if lift >= 1.2 else 'MISSED'}), "
          f"wxops ÷ oracle {gap:.2f} (target ≥ 0.9 {'met' if gap >= 0.9 else 'MISSED'})")
    print(f"runs kept in {work}")


if __name__ == "__main__":
    main()
