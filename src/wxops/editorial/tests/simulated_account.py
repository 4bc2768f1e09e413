"""An account in wxops and in a running simulator, whose pushes go out over WeChat's real API — for the
tests of the apps that read what a push brought back (analytics' statistics, interaction's feedback).

    with simulated_account(World, seed=3, app_id="wxanalytics00001", name="分析测试号",
                           categories=["人力资源管理"], profile=PROFILE) as world:
        push, answer = world.mass_send([("社保基数调整指南", "人力资源管理")], open_comments=True)
        world.advance(days=2)               # the simulator's clock, then wxops's frozen at it

A push is left as editorial and publishing leave it once sent: the ``Push`` with its articles,
then the same articles sent to every follower (``draft/add``, ``mass/sendall``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from wxops.accounts.models import Account, Category
from wxops.core import clock
from wxops.editorial.models import Push, PushArticle, PushStatus
from wxops.materials.models import Article
from wxops.simulator.testing import SimulatorHandle, running_simulator
from wxops.simulator.tests.conftest import Api


@dataclass
class SimulatedAccount:
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

    def advance(self, **kwargs) -> dt.datetime:
        """Move the simulator's clock (``days=``, ``seconds=``), then wxops's to it."""
        self.sim.advance(**kwargs)
        return self.follow_clock()

    def followers(self, limit: int = 60) -> list[str]:
        answer = self.sim.inspect(f"/accounts/{self.account.app_id}/followers", limit=limit)
        return [row["openid"] for row in answer["followers"]]

    def mass_send(self, articles: Sequence[tuple[str, str]], *, open_comments: bool, **push_fields) -> tuple[Push, dict]:
        """A sent push of ``(title, category)`` articles, and WeChat's answer; the simulator is 5 s later."""
        slot = self.now()
        push = Push.objects.create(account=self.account, slot_at=slot, review_deadline_at=slot, latest_send_at=slot,
                                   status=PushStatus.SENT, **push_fields)
        for position, (title, category) in enumerate(articles):
            article = Article.objects.create(account=self.account, title=title,
                                             category=Category.objects.get(account=self.account, name=category))
            PushArticle.objects.create(push=push, article=article, position=position)
        thumb = self.api.thumb()
        media_id = self.api.post("/cgi-bin/draft/add", {"articles": [
            {"title": title, "content": "<p>正文</p>", "thumb_media_id": thumb, "need_open_comment": int(open_comments)}
            for title, _category in articles]})["media_id"]
        answer = self.api.sendall(media_id, clientmsgid=f"push-{push.pk}-{secrets.token_hex(3)}")
        assert "msg_data_id" in answer, answer
        self.sim.advance(seconds=5)
        return push, answer


@contextmanager
def simulated_account(world: type[SimulatedAccount], *, seed: int, app_id: str, name: str, categories: Sequence[str],
                      profile: dict) -> Iterator[SimulatedAccount]:
    """A running simulator with the account (its audience ``profile``), wxops's clock frozen at the simulator's."""
    with running_simulator(seed=seed) as sim:
        config = sim.register_account(app_id=app_id, app_secret=secrets.token_hex(16))
        sim.control("POST", f"/accounts/{config['app_id']}/audience", **profile)
        account = Account.objects.create(name=name, app_id=config["app_id"], app_secret=config["app_secret"],
                                         api_base=sim.url)
        for position, category in enumerate(categories):
            Category.objects.create(account=account, name=category, position=position)
        api = Api(sim, config)
        api.refresh()
        simulated = world(sim, account, api)
        simulated.follow_clock()
        try:
            yield simulated
        finally:
            clock.unfreeze()
