"""Fixtures of publishing's tests: an approved push of an account the simulator plays, over real HTTP,
with the wxops clock and the simulator's clock moved together."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from wxops.accounts.models import Account
from wxops.core import clock
from wxops.editorial import actions
from wxops.editorial.models import Push
from wxops.editorial.tests.conftest import (  # noqa: F401 - fixtures shared with editorial's tests
    MONDAY_8,
    account,
    cover,
    editor,
    make_article,
    reviewer,
    roles,
)
from wxops.simulator.testing import SimulatorHandle, running_simulator

SLOT = MONDAY_8.replace(hour=11, minute=30)
FOLLOWERS = 25


@dataclass
class World:
    """The simulator playing ``account``, and one clock for both sides."""

    sim: SimulatorHandle
    account: Account
    now: datetime

    def at(self, moment: datetime) -> datetime:
        """Move both clocks to ``moment`` (forward only)."""
        seconds = (moment - self.now).total_seconds()
        assert seconds >= 0, "clocks only move forward"
        if seconds:
            self.sim.advance(seconds=seconds)
        self.now = moment
        clock.freeze(moment)
        return moment

    def later(self, **delta) -> datetime:
        return self.at(self.now + timedelta(**delta))

    @property
    def app_id(self) -> str:
        return self.account.app_id

    def sends(self) -> list[dict]:
        return self.sim.inspect(f"/accounts/{self.app_id}/sends")["sends"]

    def reach(self, msg_id: str) -> dict:
        return self.sim.inspect(f"/accounts/{self.app_id}/reach", msg_id=msg_id)

    def calls(self, path: str) -> int:
        """How many times wxops called ``path`` (the simulator's call log)."""
        return self.sim.inspect("/api-calls", app_id=self.app_id, path=path)["total"]


@pytest.fixture
def world(account) -> Iterator[World]:  # noqa: F811 - the fixture imported above
    with running_simulator(start=MONDAY_8.isoformat(), seed=5) as sim:
        sim.register_account(app_id=account.app_id, app_secret=account.app_secret, encrypt_mode="plain")
        sim.control("POST", f"/accounts/{account.app_id}/audience", seed=5, followers=FOLLOWERS)
        account.api_base = sim.url
        account.save(update_fields=["api_base"])
        clock.freeze(MONDAY_8)
        try:
            yield World(sim, account, MONDAY_8)
        finally:
            clock.unfreeze()


@pytest.fixture
def approved(world, editor, reviewer, make_article) -> Push:  # noqa: F811
    """A push of two articles for Monday 11:30, submitted and approved at 08:00."""
    push = actions.plan_push(world.account, SLOT)
    actions.add_article(push, make_article(title="社保基数调整要点", body="<p>第一季度市场平稳。</p>"), user=editor)
    actions.add_article(push, make_article(title="发票新规一览", body="<h2>要点</h2><p>电子发票全面推行。</p>"),
                        user=editor)
    actions.submit(push, user=editor)
    actions.approve(push, user=reviewer)
    push.refresh_from_db()
    return push
