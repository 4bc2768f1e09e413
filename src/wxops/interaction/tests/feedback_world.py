"""A sent push in wxops and in a running simulator, for the feedback tests (the ``feedback_world`` fixture, in conftest).

The push is sent over the real WeChat API of the simulator (draft/add, mass/sendall), as
publishing does; its window is opened with the ``msg_data_id`` WeChat answered.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from wxops.accounts.models import Account, Category
from wxops.core import clock
from wxops.editorial.models import Push, PushArticle, PushStatus
from wxops.interaction.feedback.sent import SentPush
from wxops.interaction.feedback.windows import open_window
from wxops.interaction.models.feedback import FeedbackWindow
from wxops.materials.models import Article
from wxops.simulator.testing import SimulatorHandle, running_simulator
from wxops.simulator.tests.conftest import Api

PROFILE = {"seed": 5, "followers": 60, "daily_new_followers": 0, "daily_unsubscribe_rate": 0, "daily_messages": 0,
           "categories": {"人力资源管理": {"read_rate": 0.0, "share_rate": 0, "favorite_rate": 0, "comment_rate": 0,
                                       "keywords": ["社保"]}},
           "feedback_topics": [{"category": "人力资源管理", "weight": 1, "texts": ["社保基数什么时候调整？"]}]}


@dataclass
class World:
    sim: SimulatorHandle
    account: Account
    api: Api

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.sim.control("GET", "/clock")["now"], tz=dt.UTC)

    def follow_clock(self) -> dt.datetime:
        moment = self.now()
        clock.freeze(moment)
        return moment

    def advance(self, **kwargs) -> dt.datetime:
        self.sim.advance(**kwargs)
        return self.follow_clock()

    def followers(self, limit: int = 60) -> list[str]:
        answer = self.sim.inspect(f"/accounts/{self.account.app_id}/followers", limit=limit)
        return [row["openid"] for row in answer["followers"]]

    def send_push(self, *titles: str) -> tuple[Push, int]:
        """A push with these articles, sent to everyone; answers it and WeChat's msg_data_id."""
        slot = self.now()
        push = Push.objects.create(account=self.account, slot_at=slot, review_deadline_at=slot, latest_send_at=slot,
                                   status=PushStatus.SENT, delivery_sent=60, delivery_total=60)
        category = Category.objects.get(account=self.account, name="人力资源管理")
        for position, title in enumerate(titles):
            article = Article.objects.create(account=self.account, title=title, category=category)
            PushArticle.objects.create(push=push, article=article, position=position)
        thumb = self.api.thumb()
        media_id = self.api.post("/cgi-bin/draft/add", {"articles": [
            {"title": title, "content": "<p>正文</p>", "thumb_media_id": thumb, "need_open_comment": 0}
            for title in titles]})["media_id"]
        answer = self.api.sendall(media_id, clientmsgid=f"push-{push.pk}-{secrets.token_hex(3)}")
        assert "msg_data_id" in answer, answer
        self.advance(seconds=5)
        return push, int(answer["msg_data_id"])

    def open(self, push: Push, msg_data_id: int) -> FeedbackWindow:
        return open_window(push, SentPush(msg_data_id, clock.now()))

    def comment(self, openid: str, msg_data_id: int, content: str, index: int = 0) -> int:
        answer = self.sim.control("POST", f"/accounts/{self.account.app_id}/followers/{openid}/comment",
                                  msg_data_id=msg_data_id, index=index, content=content)
        return answer["user_comment_id"]


@pytest.fixture
def feedback_world(db) -> Iterator[World]:
    with running_simulator(seed=5) as sim:
        config = sim.register_account(app_id="wxfeedback" + secrets.token_hex(3), app_secret=secrets.token_hex(16))
        sim.control("POST", f"/accounts/{config['app_id']}/audience", **PROFILE)
        account = Account.objects.create(name="反馈测试号", app_id=config["app_id"], app_secret=config["app_secret"],
                                         api_base=sim.url)
        Category.objects.create(account=account, name="人力资源管理", position=0)
        api = Api(sim, config)
        api.refresh()
        world = World(sim, account, api)
        world.follow_clock()
        try:
            yield world
        finally:
            clock.unfreeze()
