"""A sent push in wxops and in a running simulator, for the feedback tests (the ``feedback_world`` fixture, in conftest).

The push is sent over the real WeChat API of the simulator (draft/add, mass/sendall), as
publishing does; its window is opened with the ``msg_data_id`` WeChat answered.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from wxops.core import clock
from wxops.editorial.models import Push
from wxops.editorial.tests.simulated_account import SimulatedAccount, simulated_account
from wxops.interaction.feedback.sent import SentPush
from wxops.interaction.feedback.windows import open_window
from wxops.interaction.models.feedback import FeedbackWindow

#: A silent audience: no follower reads, comments or writes on their own, so a test's feedback is only what it
#: writes. ``default_rates`` too: an article of no category (年假新规解读 matches no keyword) would otherwise get
#: the simulator's default rates, and in about 3 % of runs (the draws are seeded by the random app id) a reader's
#: own comment — mostly the feedback topic's 社保 question — landed in the window.
SILENT = {"read_rate": 0, "share_rate": 0, "favorite_rate": 0, "comment_rate": 0, "message_rate": 0}
PROFILE = {"seed": 5, "followers": 60, "daily_new_followers": 0, "daily_unsubscribe_rate": 0, "daily_messages": 0,
           "categories": {"人力资源管理": {**SILENT, "keywords": ["社保"]}}, "default_rates": SILENT,
           "feedback_topics": [{"category": "人力资源管理", "weight": 1, "texts": ["社保基数什么时候调整？"]}]}


class World(SimulatedAccount):
    def send_push(self, *titles: str) -> tuple[Push, int]:
        """A push with these articles (comments closed), sent to everyone; answers it and WeChat's msg_data_id."""
        push, answer = self.mass_send([(title, "人力资源管理") for title in titles], open_comments=False,
                                      delivery_sent=60, delivery_total=60)
        self.follow_clock()
        return push, int(answer["msg_data_id"])

    def open(self, push: Push, msg_data_id: int) -> FeedbackWindow:
        return open_window(push, SentPush(msg_data_id, clock.now()))

    def comment(self, openid: str, msg_data_id: int, content: str, index: int = 0) -> int:
        answer = self.sim.control("POST", f"/accounts/{self.account.app_id}/followers/{openid}/comment",
                                  msg_data_id=msg_data_id, index=index, content=content)
        return answer["user_comment_id"]


@contextmanager
def running_world(app_id: str) -> Iterator[World]:
    """The world of the account ``app_id`` (the simulator seeds its followers' draws with it)."""
    with simulated_account(World, seed=5, app_id=app_id, name="反馈测试号", categories=["人力资源管理"],
                           profile=PROFILE) as simulated:
        yield simulated


@pytest.fixture
def feedback_world(db) -> Iterator[World]:
    with running_world("wxfeedback" + secrets.token_hex(3)) as simulated:
        yield simulated
