"""Fixtures of the analytics tests: an account in wxops and in a running simulator, with followers
who read what it sends (over real HTTP), and the wxops clock set to the simulator's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from wxops.accounts.models import Account, Category
from wxops.core import clock
from wxops.editorial.models import Push, PushArticle, PushStatus
from wxops.materials.models import Article
from wxops.simulator.testing import SimulatorHandle, running_simulator
from wxops.simulator.tests.conftest import Api

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


@dataclass
class World:
    """The simulator, the account on both sides, and a raw WeChat API caller for sending."""

    sim: SimulatorHandle
    account: Account
    api: Api

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.sim.control("GET", "/clock")["now"], tz=dt.UTC)

    def follow_clock(self) -> dt.datetime:
        """Freeze wxops's clock at the simulator's time."""
        moment = self.now()
        clock.freeze(moment)
        return moment

    def advance(self, days: float = 0, seconds: float = 0) -> dt.datetime:
        self.sim.advance(days=days, seconds=seconds)
        return self.follow_clock()

    def push(self, *titles_and_categories: tuple[str, str]) -> Push:
        """A push as editorial and publishing leave it once sent: its articles, then the same send in WeChat."""
        slot = self.now()
        push = Push.objects.create(account=self.account, slot_at=slot, review_deadline_at=slot,
                                   latest_send_at=slot, status=PushStatus.SENT)
        for position, (title, category) in enumerate(titles_and_categories):
            article = Article.objects.create(account=self.account, title=title,
                                             category=Category.objects.get(account=self.account, name=category))
            PushArticle.objects.create(push=push, article=article, position=position)
        thumb = self.api.thumb()
        media_id = self.api.post("/cgi-bin/draft/add", {"articles": [
            {"title": title, "content": "<p>正文</p>", "thumb_media_id": thumb, "need_open_comment": 1}
            for title, _category in titles_and_categories]})["media_id"]
        answer = self.api.sendall(media_id, clientmsgid=f"push-{push.pk}")
        assert "msg_data_id" in answer, answer
        self.sim.advance(seconds=5)
        return push

    def send(self, title: str) -> dict:
        """A one-article mass send to every follower, as publishing would make it."""
        answer = self.api.sendall(self.api.draft(title=title, need_open_comment=1), clientmsgid=title[:32])
        assert "msg_data_id" in answer, answer
        self.sim.advance(seconds=5)
        return answer


@pytest.fixture
def world(db) -> Iterator[World]:
    with running_simulator(seed=3) as sim:
        config = sim.register_account(app_id="wxanalytics00001", app_secret="analytics-secret-0001")
        sim.control("POST", f"/accounts/{config['app_id']}/audience", **PROFILE)
        account = Account.objects.create(name="分析测试号", app_id=config["app_id"], app_secret=config["app_secret"],
                                         api_base=sim.url)
        for position, name in enumerate(("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")):
            Category.objects.create(account=account, name=name, position=position)
        api = Api(sim, config)
        api.refresh()
        world = World(sim, account, api)
        world.follow_clock()
        try:
            yield world
        finally:
            clock.unfreeze()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
