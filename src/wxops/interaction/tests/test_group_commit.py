"""Callbacks arriving together in one process share one statement and one commit on PostgreSQL
(``interaction.group_commit``), and each still gets its own outcome: stored once, a retry found,
a bad row failing alone, nobody left waiting when the leader stops."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from wxops.interaction import actions
from wxops.interaction.group_commit import Inserts, Interrupted
from wxops.interaction.models import InboundMessage
from wxops.wechat.messages import parse_message

from .conftest import make_account, text_xml

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 60  # seconds: only reached when the code under test is broken


class WorkerAborted(BaseException):
    """As gunicorn stops a worker past its timeout (``SystemExit`` raised in the middle of a request)."""


def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("group commit is PostgreSQL's; SQLite writes each row alone (its own tests cover that)")


class HeldLeader:
    """The first group's statement waits until ``followers`` more rows wait for their turn, so the
    test knows they arrived during a commit; records the rows of every statement."""

    def __init__(self, monkeypatch, followers: int, stop_second_with: BaseException | None = None):
        self.followers, self.stop_second_with = followers, stop_second_with
        self.statements: list[int] = []
        original = Inserts._run

        def run(inserts: Inserts, group, db):
            if not self.statements:
                waited = 0.0
                while len(inserts._waiting) < self.followers and waited < WAIT:  # noqa: SLF001 - the test's probe
                    threading.Event().wait(0.01)
                    waited += 0.01
                assert len(inserts._waiting) == self.followers, "the other rows never queued"  # noqa: SLF001
            elif len(self.statements) == 1 and self.stop_second_with is not None:
                stop, self.stop_second_with = self.stop_second_with, None
                raise stop
            self.statements.append(len(group))
            return original(inserts, group, db)

        monkeypatch.setattr(Inserts, "_run", run)


def in_threads(work, count: int) -> list:
    """``work(i)`` in ``count`` threads, the first leading the first group; each result or exception."""
    results: list = [None] * count

    def one(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - the test reads it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(count)]
    threads[0].start()
    waited = 0.0
    while not actions._INBOX._leading and waited < WAIT:  # noqa: SLF001 - the first thread leads the first group
        threading.Event().wait(0.01)
        waited += 0.01
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
        assert not thread.is_alive(), "a callback was left waiting"
    return results


def receive(account, msg_id: int, openid: str = "oFollower0001"):
    xml = text_xml(account, f"第 {msg_id} 条：社保基数什么时候调整？", msg_id=msg_id, openid=openid)
    return actions.receive(account, parse_message(xml), xml=xml, signed_with=f"1772413200:{msg_id}")


def test_messages_arriving_during_a_commit_share_the_next_one_and_each_gets_its_row(monkeypatch):
    on_postgresql()
    account = make_account("safe")
    held = HeldLeader(monkeypatch, followers=5)

    results = in_threads(lambda index: receive(account, 24000000000000100 + index), 6)

    assert held.statements == [1, 5], "the five that arrived during the first commit were written together"
    stored = dict(InboundMessage.objects.filter(account=account).values_list("msg_id", "pk"))
    assert len(stored) == 6
    for index, received in enumerate(results):
        assert received.created
        assert stored[str(24000000000000100 + index)] == received.pk, "each callback got its own row's id"


def test_a_retry_in_the_same_group_finds_the_message_stored_once(monkeypatch):
    on_postgresql()
    account = make_account("safe")
    held = HeldLeader(monkeypatch, followers=3)
    ids = [24000000000000200, 24000000000000201, 24000000000000201, 24000000000000202]

    results = in_threads(lambda index: receive(account, ids[index]), 4)

    assert held.statements == [1, 3]
    assert InboundMessage.objects.filter(account=account).count() == 3
    twins = [results[1], results[2]]
    assert sorted(received.created for received in twins) == [False, True], "one stored it, the other found it"
    assert twins[0].pk == twins[1].pk


def test_a_row_the_database_refuses_fails_its_own_callback_only(monkeypatch):
    on_postgresql()
    account, gone = make_account("safe"), make_account("safe")
    gone_pk = gone.pk
    gone.delete()
    gone.pk = gone_pk  # a callback for an account deleted while it was in flight
    held = HeldLeader(monkeypatch, followers=3)

    results = in_threads(lambda index: receive(gone if index == 2 else account, 24000000000000300 + index), 4)

    assert held.statements == [1, 3, 1, 1, 1], "the group was tried together, then each row alone"
    assert isinstance(results[2], actions.ReplayedRequest), "refused (the view answers 404: no such account)"
    assert InboundMessage.objects.filter(account_id=gone_pk).count() == 0
    assert sorted(InboundMessage.objects.filter(account=account).values_list("msg_id", flat=True)) == [
        str(24000000000000300 + index) for index in (0, 1, 3)]
    assert all(results[index].created for index in (0, 1, 3))


def test_when_the_leader_stops_its_group_is_told_and_nobody_is_left_waiting(monkeypatch):
    on_postgresql()
    account = make_account("safe")
    held = HeldLeader(monkeypatch, followers=3, stop_second_with=WorkerAborted())

    results = in_threads(lambda index: receive(account, 24000000000000400 + index), 4)

    assert results[0].created
    second = results[1:]
    assert sum(isinstance(result, WorkerAborted) for result in second) == 1, "the leader's own stop reaches it"
    assert sum(isinstance(result, Interrupted) for result in second) == 2, "the others are told (they answer 503)"
    assert held.statements == [1]
    assert InboundMessage.objects.filter(account=account).count() == 1, "nothing of the stopped group was written"
    assert receive(account, 24000000000000401).created, "WeChat's retry of a message of that group is stored"
    assert receive(account, 24000000000000499).created
