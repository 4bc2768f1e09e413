"""`wxops simulate`: the time-lapse — weeks of the whole system against the local simulator, in minutes."""

import json
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wxops.simulator import audience as audiences
from wxops.site.timelapse import driver, sandbox

DEFAULT_START = date(2026, 3, 2)


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a share: use a number between 0 and 1, e.g. 0.05") from None
    if not 0 <= share <= 1:
        raise CommandError(f"{value} is not a share: use a number between 0 and 1, e.g. 0.05")
    return share


def read_profile(path: Path) -> dict:
    """The audience profile at ``path``, checked as the simulator will check it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"no audience profile at {path}; e.g. src/wxops/simulator/data/profiles/demo.json") \
            from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path} is not a JSON audience profile ({error}); see docs/simulator.md") from None
    if not isinstance(raw, dict):
        raise CommandError(f"{path} must hold a JSON object (an audience profile); see docs/simulator.md")
    try:
        audiences.parse(raw)
    except audiences.ProfileError as error:
        raise CommandError(f"{path}: {error}") from None
    return raw


class Command(BaseCommand):
    help = (
        "Run weeks of the whole system — calendar, planner, content rules, review (a simulated reviewer; a share "
        "late or rejected), sending, callbacks — against the local WeChat simulator with an audience profile, "
        "on a moved clock, in a fresh database of its own; write DIR/summary.json (from the simulator's records) "
        "and DIR/slots.json. See docs/simulate.md.\n"
        "Example: wxops simulate --weeks 12 --audience src/wxops/simulator/data/profiles/demo.json --seed 7 "
        "--out var/simulate"
    )

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, required=True, help="how many weeks to simulate (1–104)")
        parser.add_argument("--audience", type=Path, required=True, metavar="PROFILE.json",
                            help="the audience profile: followers and how they read (docs/simulator.md)")
        parser.add_argument("--seed", type=int, default=0,
                            help="seed of the followers and of the reviewer's choices (default 0; it replaces "
                                 "the profile's seed): the same seed gives the same summary")
        parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                            help="folder for summary.json and slots.json (created if needed)")
        parser.add_argument("--planner", default="round-robin", choices=driver.PLANNERS,
                            help="how the slots' categories are chosen (default round-robin: editorial's rotation)")
        parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START, metavar="YYYY-MM-DD",
                            help=f"first simulated day (default {DEFAULT_START}, a Monday; the holiday package "
                                 "must know its year)")
        parser.add_argument("--late-share", type=_share, default=0.05,
                            help="share of pushes the reviewer approves too late, after the slot (default 0.05)")
        parser.add_argument("--reject-share", type=_share, default=0.05,
                            help="share of pushes the reviewer sends back with changes requested (default 0.05)")
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="keep the simulation's database and pictures in this new folder (default: a "
                                 "temporary folder, removed at the end); browse it with WXOPS_DATA_DIR=DIR wxops up")
        parser.add_argument("--cache-dir", type=Path, default=None,
                            help="keep an empty migrated database here and reuse it (saves ≈20 s a run)")

    def handle(self, *args, weeks, audience, seed, out, planner, start, late_share, reject_share, data_dir,
               cache_dir, **options):
        if not 1 <= weeks <= 104:
            raise CommandError(f"--weeks {weeks}: simulate between 1 and 104 weeks")
        if planner not in driver.PLANNERS:
            raise CommandError(f"--planner {planner}: not known; use {', '.join(driver.PLANNERS)} (the analysis "
                               "issue adds more)")
        if late_share + reject_share > 1:
            raise CommandError("--late-share and --reject-share add up to more than 1")
        profile = read_profile(audience)
        if sandbox.active():
            sandbox.migrate(cache_dir)
            started = time.monotonic()
            summary = driver.run(driver.Options(
                weeks=weeks, profile=profile, seed=seed, out=out, start=start, planner=planner,
                late_share=late_share, reject_share=reject_share))
            self.stdout.write(f"{summary['slots']} slots in {weeks} weeks: {summary['pushes_sent']} sent, "
                              f"{summary['held_slots']} held, {summary['missed_slots']} missed, "
                              f"{summary['duplicate_deliveries']} duplicate deliveries, {summary['reads_total']} "
                              f"reads; {time.monotonic() - started:.0f} s. Written to {out / 'summary.json'}")
            return
        if data_dir is not None and data_dir.exists() and any(data_dir.iterdir()):
            raise CommandError(f"--data-dir {data_dir} is not empty; name a new folder")
        arguments = ["--weeks", str(weeks), "--audience", str(audience.resolve()), "--seed", str(seed),
                     "--out", str(out.resolve()), "--planner", planner, "--start", start.isoformat(),
                     "--late-share", repr(late_share), "--reject-share", repr(reject_share)]
        if cache_dir is not None:
            arguments += ["--cache-dir", str(cache_dir.resolve())]
        status = sandbox.rerun(arguments, data_dir=data_dir.resolve() if data_dir else None)
        if status:
            raise CommandError(f"the simulation stopped (exit status {status}); see the messages above")
