"""Fixtures of the analytics tests: an account in wxops and in a running simulator, with followers
who read what it sends (over real HTTP), and the wxops clock set to the simulator's
(``wxops.editorial.tests.simulated_account``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from wxops.editorial.models import Push
from wxops.editorial.tests.simulated_account import SimulatedAccount, simulated_account

PROFILE = {
    "seed": 11, "followers": 400, "daily_new_followers": 12, "daily_unsubscribe_rate": 0.002,
    "categories": {
        "人力资源管理": {"read_rate": 0.3, "share_rate": 0.05, "favorite_rate": 0.03, "comment_rate": 0.02,
                   "keywords": ["社保", "年假"]},
        "财务管理": {"read_rate": 0.08, "share_rate": 0.01, "favorite_rate": 0.005, "keywords": ["发票", "税"]},
    },
    "feedback_topics": [{"category": "人力资源管理", "weight": 3, "texts": ["社保基数什么时候调整？"]}],
    "scenes": {"branch:001": 0.5},
}


class World(SimulatedAccount):
    def push(self, *titles_and_categories: tuple[str, str]) -> Push:
        """A sent push with comments open: ``world.push(("社保基数调整指南", "人力资源管理"), ...)``."""
        return self.mass_send(titles_and_categories, open_comments=True)[0]

    def send(self, title: str) -> dict:
        """A one-article mass send to every follower, as publishing would make it."""
        answer = self.api.sendall(self.api.draft(title=title, need_open_comment=1), clientmsgid=title[:32])
        assert "msg_data_id" in answer, answer
        self.sim.advance(seconds=5)
        return answer


@pytest.fixture
def world(db) -> Iterator[World]:
    with simulated_account(World, seed=3, app_id="wxanalytics00001", name="分析测试号", profile=PROFILE,
                           categories=("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")) as simulated:
        yield simulated


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
