"""The cycle collector is paused while a check runs and comes back as it was, whatever happens."""

import gc
import threading

import pytest

from wxops.compliance.engine import check
from wxops.compliance.rules import Rule


class Recording(Rule):
    """A rule that notes whether the collector is on while it runs (and can wait, or fail)."""

    name = "test.recording"
    clause = "3"

    def __init__(self, *, wait_for: threading.Event | None = None, started: threading.Event | None = None,
                 fail: bool = False):
        self.seen: list[bool] = []
        self.wait_for, self.started, self.fail = wait_for, started, fail

    def find(self, subject):
        self.seen.append(gc.isenabled())
        if self.started is not None:
            self.started.set()
        if self.wait_for is not None:
            assert self.wait_for.wait(timeout=60)
            self.seen.append(gc.isenabled())
        if self.fail:
            raise RuntimeError("boom")
        return []


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_a_check_and_on_again_after(collector_on):
    rule = Recording()
    check("本品稳赚不赔", rules=[rule])
    assert rule.seen == [False]
    assert gc.isenabled()


def test_a_failing_rule_still_turns_it_back_on(collector_on):
    rule = Recording(fail=True)
    report = check("本品稳赚不赔", rules=[rule])
    assert [f.rule for f in report.findings] == ["test.recording"]  # the failure is a finding
    assert rule.seen == [False]
    assert gc.isenabled()


def test_a_collector_the_application_switched_off_stays_off(collector_on):
    gc.disable()
    check("本品稳赚不赔", rules=[Recording()])
    assert not gc.isenabled()


def test_a_check_ending_while_another_runs_does_not_turn_it_on_under_the_other(collector_on):
    release, started = threading.Event(), threading.Event()
    slow = Recording(wait_for=release, started=started)
    thread = threading.Thread(target=check, args=("慢的那一篇",), kwargs={"rules": [slow]})
    thread.start()
    assert started.wait(timeout=60)
    quick = Recording()
    check("快的这一篇", rules=[quick])  # begins and ends while the slow one is inside its rule
    release.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert quick.seen == [False]
    assert slow.seen == [False, False]
    assert gc.isenabled()
