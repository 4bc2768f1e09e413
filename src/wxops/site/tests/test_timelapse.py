"""`wxops simulate`: two weeks of the whole system against the simulator, run twice with the
same seed (each in a child process on a fresh data folder), give the same summary; every
approved slot is sent once to every follower and the others are held. Bad input is refused
before anything runs."""

import json
import os
import subprocess
import sys
from importlib import resources
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from wxops.simulator import audience, behaviour
from wxops.site.timelapse import newsroom, sandbox
from wxops.site.timelapse.reviewer import Decision, Reviewer
from wxops.site.timelapse.summary import KEYS

DEMO = json.loads(resources.files("wxops.simulator").joinpath("data/profiles/demo.json").read_text("utf-8"))
#: The demo profile's categories and topics, with few followers so two weeks take seconds.
SMALL = {**DEMO, "followers": 120, "daily_new_followers": 2, "daily_messages": 1}
#: Seed 2 with these shares: the reviewer rejects slots 1 and 3, is late on 5, approves 2, 4 and 6.
SEED, SHARES = 2, {"late_share": 0.25, "reject_share": 0.25}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("simulate-cache")


@pytest.fixture
def profile_file(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    return path


def simulate(out, profile_file, cache_dir, **options):
    options = {"weeks": 2, "seed": SEED, **SHARES, **options}
    call_command("simulate", audience=profile_file, out=out, cache_dir=cache_dir, **options)
    return (json.loads((out / "summary.json").read_text("utf-8")),
            json.loads((out / "slots.json").read_text("utf-8")))


def test_the_seeded_reviewer_holds_a_mix():
    reviewer = Reviewer(SEED, **SHARES)
    assert [reviewer.decide() for _ in range(6)] == [
        Decision.REJECTED, Decision.APPROVED, Decision.REJECTED, Decision.APPROVED, Decision.LATE, Decision.APPROVED]


def test_two_weeks_twice_with_the_same_seed(tmp_path, profile_file, cache_dir, monkeypatch):
    monkeypatch.delenv("WXOPS_CALLBACK_TIMESTAMP_WINDOW", raising=False)  # the real window: clocks move together
    first, slots = simulate(tmp_path / "first", profile_file, cache_dir)
    second, _slots = simulate(tmp_path / "second", profile_file, cache_dir)
    assert first == second
    assert tuple(first) == KEYS
    assert first["weeks"] == 2 and first["slots"] == 6 == len(slots)
    assert [choice[:2] for choice in first["planner_choices"]] == [
        ["2026-03-02", "11:30"], ["2026-03-04", "11:30"], ["2026-03-06", "11:30"],
        ["2026-03-09", "11:30"], ["2026-03-11", "11:30"], ["2026-03-13", "11:30"]]
    # the round-robin planner: five categories, each once before any comes back
    assert [choice[2] for choice in first["planner_choices"][:5]] == list(DEMO["categories"])
    assert [slot["review"] for slot in slots] == ["rejected", "approved", "rejected", "approved", "late", "approved"]
    held = [slot for slot in slots if slot["review"] != "approved"]
    assert first["held_slots"] == 3 and all(not slot["sent"] and slot["wxops_status"] == "held" for slot in held)
    assert list(first["reads_by_category"]) == list(DEMO["categories"])

    approved = [slot for slot in slots if slot["review"] == "approved"]
    assert first["pushes_sent"] == len(approved) == 3
    assert first["missed_slots"] == 0 and first["duplicate_deliveries"] == 0
    assert all(slot["sent"] and slot["wxops_status"] == "sent" for slot in approved)
    # every approved push reached every follower once, filed under the planner's category
    assert all(slot["recipients"] >= SMALL["followers"] for slot in approved)
    # … and WeChat's MASSSENDJOBFINISH reached the site: wxops knows the same count
    assert all(slot["wxops_delivered"] == slot["recipients"] for slot in approved)
    assert all(slot["simulator_categories"] == [slot["category"]] for slot in approved)
    assert first["reads_total"] == sum(first["reads_by_category"].values()) == sum(s["reads"] for s in slots) > 0
    # the fortnightly reports were made and copied out: the one due on the first day (02-09 … 02-22, before
    # the run: empty, said in words) as a worker catches up, and Monday 03-09's (02-23 … 03-08)
    assert first["reports"] == [f"reports/report-{period}.{kind}" for period in ("20260209-20260222",
                                "20260223-20260308") for kind in ("pdf", "docx", "xlsx")]
    assert all((tmp_path / "first" / path).stat().st_size > 0 for path in first["reports"])
    # the feedback round: each sent push's 24-hour window closed the next day with the director's document
    # (the last push's too, on Saturday), fed by the followers' comments and messages in its window
    assert first["director_documents"] == first["pushes_sent"] == 3 and first["feedback_items"] > 0
    documents = sorted((tmp_path / "first" / "feedback").iterdir())
    assert [path.suffix for path in documents] == [".docx", ".pdf"] * 3
    assert all(path.name.startswith("推送反馈核心问题") and path.stat().st_size > 0 for path in documents)


def test_the_learning_planner_writes_weights_and_the_oracle_leans_to_the_best(tmp_path, profile_file, cache_dir,
                                                                               monkeypatch):
    monkeypatch.delenv("WXOPS_CALLBACK_TIMESTAMP_WINDOW", raising=False)
    learned, _slots = simulate(tmp_path / "wxops", profile_file, cache_dir, weeks=3, planner="wxops")
    assert learned["reports"][3] == "reports/report-20260223-20260308.pdf"
    book = load_workbook(tmp_path / "wxops" / "reports" / "report-20260223-20260308.xlsx")
    weights = {row[0]: row[1] for row in book["栏目建议"].iter_rows(min_row=2, values_only=True)}
    assert set(weights) == set(DEMO["categories"])  # written for the planner from the first week's reads
    assert learned["slots"] == 9 and tuple(learned) == KEYS

    oracle, _slots = simulate(tmp_path / "oracle", profile_file, cache_dir, weeks=2, planner="oracle")
    best = max(DEMO["categories"], key=lambda name: DEMO["categories"][name]["read_rate"])
    chosen = [choice[2] for choice in oracle["planner_choices"]]
    assert chosen.count(best) >= len(chosen) // 2, chosen


@pytest.mark.parametrize(("options", "message"), [
    ({"weeks": 0}, "between 1 and 104 weeks"),
    ({"late_share": 0.6, "reject_share": 0.6}, "add up to more than 1"),
    ({"planner": "greedy"}, "not known; use round-robin"),
])
def test_bad_options_are_refused_before_anything_runs(tmp_path, profile_file, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("simulate", audience=profile_file, out=tmp_path / "out",
                     **{"weeks": 1, **options})
    assert not (tmp_path / "out").exists()


def test_a_missing_or_broken_profile_is_refused_with_what_to_fix(tmp_path):
    with pytest.raises(CommandError, match="no audience profile at"):
        call_command("simulate", weeks=1, audience=tmp_path / "nowhere.json", out=tmp_path / "out")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="is not a JSON audience profile"):
        call_command("simulate", weeks=1, audience=broken, out=tmp_path / "out")
    broken.write_text(json.dumps({"followers": -1}), encoding="utf-8")
    with pytest.raises(CommandError, match="followers"):
        call_command("simulate", weeks=1, audience=broken, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_kept_data_dir_must_be_new(tmp_path, profile_file):
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "wxops.sqlite3").write_text("someone's data")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("simulate", weeks=1, audience=profile_file, out=tmp_path / "out", data_dir=kept)
    assert (kept / "wxops.sqlite3").read_text() == "someone's data"


def wxops_simulate(*arguments) -> subprocess.CompletedProcess:
    """The ``wxops simulate`` a user types (its light start, then the sandboxed child)."""
    return subprocess.run([sys.executable, "-m", "wxops.cli", "simulate", *map(str, arguments)],
                          capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if k != sandbox.VARIABLE})


def test_the_command_line_refuses_a_used_data_dir_without_starting_a_run(tmp_path, profile_file):
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "wxops.sqlite3").write_text("someone's data")
    done = wxops_simulate("--weeks", 1, "--audience", profile_file, "--out", tmp_path / "out", "--data-dir", kept)
    assert done.returncode == 2 and "is not empty" in done.stderr
    assert (kept / "wxops.sqlite3").read_text() == "someone's data" and not (tmp_path / "out").exists()


def test_the_command_line_passes_bad_options_to_the_run_which_refuses_them(tmp_path, profile_file):
    done = wxops_simulate("--weeks", 0, "--audience", profile_file, "--out", tmp_path / "out")
    assert done.returncode != 0 and "between 1 and 104 weeks" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_the_test_process_is_not_a_sandbox():
    assert not sandbox.active()


@pytest.mark.parametrize("category", list(DEMO["categories"]))
def test_each_article_is_filed_by_the_simulator_under_its_category(category):
    profile = audience.parse({**DEMO, "seed": 0})
    for number in range(8):
        draft = newsroom.draft_for(category, DEMO, "3月2日", number)
        assert len(draft.title) <= 32
        assert behaviour.categorize(SimpleNamespace(categories={}), profile,
                                    {"title": draft.title, "digest": draft.digest}) == category
