"""The account-wide inspections a time-lapse reads: deliveries (with duplicates) and reads by category."""

from wxops.simulator.tests.conftest import errcode

PROFILE = {
    "seed": 3, "followers": 400, "daily_new_followers": 0, "daily_unsubscribe_rate": 0,
    "categories": {"人力资源管理": {"read_rate": 0.5, "share_rate": 0, "favorite_rate": 0, "comment_rate": 0,
                                  "keywords": ["社保"]},
                   "财务管理": {"read_rate": 0.2, "share_rate": 0, "favorite_rate": 0, "comment_rate": 0,
                            "keywords": ["发票"]}},
}


def test_deliveries_count_every_repeat_of_the_same_content_to_a_follower(sim, api):
    api.subscribe(3)
    assert errcode(api.sendall(api.draft(title="同一篇"), clientmsgid="monday")) == 0
    sim.advance(5)
    assert sim.inspect(f"/accounts/{api.app_id}/deliveries") == {
        "mass_sends": 1, "deliveries": 3, "duplicate_deliveries": 0, "followers_with_duplicates": 0}
    sim.set_clock("2026-03-03T11:30:00+08:00")  # the next day: a second send of the same content
    assert errcode(api.sendall(api.draft(title="同一篇"), clientmsgid="tuesday")) == 0
    sim.advance(5)
    assert sim.inspect(f"/accounts/{api.app_id}/deliveries") == {
        "mass_sends": 2, "deliveries": 6, "duplicate_deliveries": 3, "followers_with_duplicates": 3}


def test_nothing_sent_nothing_delivered_nothing_read(sim, api):
    api.subscribe(2)
    assert sim.inspect(f"/accounts/{api.app_id}/deliveries")["deliveries"] == 0
    assert sim.inspect(f"/accounts/{api.app_id}/reads") == {
        "until": "2026-03-02T09:00:00+08:00", "total": 0, "by_category": {}, "articles": []}


def test_reads_per_article_and_category_match_the_activity_and_grow_with_time(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}/audience", **PROFILE)
    hr = api.sendall(api.draft(title="社保基数调整指南"), clientmsgid="hr")
    sim.set_clock("2026-03-04T11:30:00+08:00")
    finance = api.sendall(api.draft(title="电子发票报销要点", content="<p>报销流程说明。</p>"), clientmsgid="finance")
    sim.set_clock("2026-03-04T11:30:05+08:00")
    early = sim.inspect(f"/accounts/{api.app_id}/reads")
    sim.advance(days=4)
    late = sim.inspect(f"/accounts/{api.app_id}/reads")
    assert early["total"] < late["total"]
    by_article = {row["msg_data_id"]: row for row in late["articles"]}
    assert by_article[hr["msg_data_id"]]["category"] == "人力资源管理"
    assert by_article[finance["msg_data_id"]]["category"] == "财务管理"
    assert late["by_category"] == {"人力资源管理": by_article[hr["msg_data_id"]]["reads"],
                                   "财务管理": by_article[finance["msg_data_id"]]["reads"]}
    # about half of 400 read the HR article, a fifth the finance one (a fifth of readers read twice)
    assert 150 < by_article[hr["msg_data_id"]]["readers"] < 250
    assert 40 < by_article[finance["msg_data_id"]]["readers"] < 120
    assert by_article[hr["msg_data_id"]]["readers"] <= by_article[hr["msg_data_id"]]["reads"]
    activity = sim.inspect(f"/accounts/{api.app_id}/activity")["days"]
    assert late["total"] == sum(day.get("read", {}).get("times", 0) for day in activity.values())
    cut = sim.inspect(f"/accounts/{api.app_id}/reads", until="2026-03-04T11:30:05+08:00")
    assert cut["total"] == early["total"]
