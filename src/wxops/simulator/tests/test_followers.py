import json
from contextlib import contextmanager

from wxops.simulator.testing import running_simulator
from wxops.simulator.tests.conftest import Api, errcode

TEXTS = ["社保基数什么时候调整？", "年假怎么计算？", "公司可以帮员工办理居住证吗？"]
PROFILE = {
    "seed": 7, "followers": 600, "daily_new_followers": 20, "daily_unsubscribe_rate": 0.002,
    "categories": {"人力资源管理": {"read_rate": 0.3, "share_rate": 0.05, "favorite_rate": 0.03,
                                  "comment_rate": 0.02, "keywords": ["社保"]}},
    "feedback_topics": [{"category": "人力资源管理", "weight": 3, "texts": TEXTS}],
    "scenes": {"branch:001": 0.5, "branch:002": 0.25},
}


@contextmanager
def month_of(seed_profile=PROFILE):
    """Load the profile, push an HR article and an uncategorised one, then let 10 days pass."""
    with running_simulator() as sim:
        config = sim.register_account(app_id="wxaudience", app_secret="s")
        api = Api(sim, config)
        api.refresh()
        sim.control("POST", "/accounts/wxaudience/audience", **seed_profile)
        hr = api.sendall(api.draft(title="社保基数调整指南", need_open_comment=1), clientmsgid="hr")
        sim.set_clock("2026-03-04T11:30:00+08:00")
        other = api.sendall(api.draft(title="公司年会照片", content="<p>年会现场</p>", need_open_comment=1),
                            clientmsgid="other")
        sim.advance(days=10)
        yield {
            "sim": sim, "api": api, "hr": hr, "other": other,
            "followers": sim.inspect("/accounts/wxaudience/followers", limit=10000)["followers"],
            "activity": sim.inspect("/accounts/wxaudience/activity")["days"],
            "messages": [json.loads(m["payload"])["content"]
                         for m in sim.inspect("/accounts/wxaudience/outbox", kind="inbound")["items"]],
            "comments": [c["content"] for c in sim.inspect("/accounts/wxaudience/comments")["comments"]],
            "articles": sim.inspect("/accounts/wxaudience/articles")["articles"],
            "summary": [api.post("/datacube/getusersummary", {"begin_date": b, "end_date": e})["list"]
                        for b, e in (("2026-03-02", "2026-03-08"), ("2026-03-09", "2026-03-11"))],
            "article_summary": api.post("/datacube/getarticlesummary",
                                        {"begin_date": "2026-03-02", "end_date": "2026-03-02"})["list"],
        }


def run_month(seed_profile=PROFILE):
    with month_of(seed_profile) as month:
        return {k: v for k, v in month.items() if k not in ("sim", "api")}


def test_the_same_profile_and_calls_give_the_same_followers_and_activity():
    first, second = run_month(), run_month()
    for key in ("followers", "activity", "messages", "comments", "summary", "article_summary"):
        assert first[key] == second[key], key
    other_seed = run_month({**PROFILE, "seed": 8})
    assert other_seed["followers"] != first["followers"]


def test_followers_react_by_category_with_varied_words():
    month = run_month()
    categories = {a["title"]: a["category"] for a in month["articles"]}
    assert categories == {"社保基数调整指南": "人力资源管理", "公司年会照片": ""}
    reads = {}
    for day in month["activity"].values():
        for kind, figures in day.items():
            reads[kind] = reads.get(kind, 0) + figures["events"]
    assert reads["read"] > 100 and reads["share"] > 10 and reads["comment"] > 3
    hr_readers = sum(1 for _ in month["article_summary"])
    assert hr_readers == 1  # only the HR article clears WeChat's 3-event threshold on its first day
    assert month["messages"] and any(m not in TEXTS for m in month["messages"])
    assert all(any(core in m for core in ("社保基数", "年假", "居住证")) for m in month["messages"])
    subscribes = [f for f in month["followers"] if f["subscribe_time"] > 1772409600]
    scenes = [f["qr_scene_str"] for f in subscribes]
    assert len(subscribes) >= 150
    assert 0.35 < scenes.count("branch:001") / len(scenes) < 0.65
    assert 0.12 < scenes.count("branch:002") / len(scenes) < 0.38


def test_uncategorised_pushes_get_the_low_default_rates():
    with month_of() as month:
        api = month["api"]
        reads = {}
        for begin in ("2026-03-02", "2026-03-04"):
            total = api.post("/datacube/getarticletotal", {"begin_date": begin, "end_date": begin})["list"]
            reads[begin] = total[0]["details"][-1]["int_page_read_user"]
    assert reads["2026-03-02"] > 150  # HR: read_rate 0.3 of 600
    assert reads["2026-03-04"] < 40  # no category: the default 0.02


def test_datacube_reports_what_happened(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}/audience", **PROFILE)
    pushed = api.sendall(api.draft(title="社保新规", need_open_comment=1), clientmsgid="dc")
    sim.advance(days=3)
    outbox = sim.inspect(f"/accounts/{api.app_id}/outbox", kind="mass")["total"]
    total = api.post("/datacube/getarticletotal", {"begin_date": "2026-03-02", "end_date": "2026-03-02"})["list"]
    assert total[0]["msgid"] == f"{pushed['msg_data_id']}_1"
    assert [d["stat_date"] for d in total[0]["details"]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert total[0]["details"][0]["target_user"] == outbox == 600
    activity = sim.inspect(f"/accounts/{api.app_id}/activity")["days"]
    for day in ("2026-03-03", "2026-03-04"):
        rows = api.post("/datacube/getusersummary", {"begin_date": day, "end_date": day})["list"]
        assert sum(r["new_user"] for r in rows) == activity[day].get("subscribe", {}).get("events", 0)
        assert sum(r["cancel_user"] for r in rows) == activity[day].get("unsubscribe", {}).get("events", 0)
        read = api.post("/datacube/getuserread", {"begin_date": day, "end_date": day})["list"][0]
        assert read["share_count"] == activity[day].get("share", {}).get("times", 0)
    cumulate = api.post("/datacube/getusercumulate", {"begin_date": "2026-03-04", "end_date": "2026-03-04"})["list"]
    following = sim.inspect(f"/accounts/{api.app_id}/followers", limit=1)["subscribed"]
    subscribed_since = sum(1 for f in sim.inspect(f"/accounts/{api.app_id}/followers", limit=10000)["followers"]
                           if f["subscribe_time"] >= 1772640000 and f["subscribed"])
    unsubscribed_since = sum(1 for f in sim.inspect(f"/accounts/{api.app_id}/followers", limit=10000)["followers"]
                             if (f["unsubscribe_time"] or 0) >= 1772640000)
    assert cumulate[0]["cumulate_user"] == following - subscribed_since + unsubscribed_since
    upstream = api.post("/datacube/getupstreammsg", {"begin_date": "2026-03-02", "end_date": "2026-03-04"})["list"]
    messages = sim.inspect(f"/accounts/{api.app_id}/outbox", kind="inbound")["total"]
    assert sum(r["msg_count"] for r in upstream) <= messages


def test_datacube_date_rules(sim, api):
    def ask(path, begin, end):
        return api.post(f"/datacube/{path}", {"begin_date": begin, "end_date": end})

    assert errcode(ask("getusersummary", "2026-02-20", "2026-02-26")) == 0
    assert errcode(ask("getusersummary", "2026-02-20", "2026-02-27")) == 61501  # 8 days
    assert errcode(ask("getarticlesummary", "2026-02-26", "2026-02-27")) == 61501
    assert errcode(ask("getuserread", "2026-02-25", "2026-02-27")) == 0
    assert errcode(ask("getusersummary", "2026-03-02", "2026-03-02")) == 61501  # today
    assert errcode(ask("getusersummary", "2026-02-27", "2026-02-26")) == 61501
    assert errcode(ask("getusersummary", "2014-11-30", "2014-11-30")) == 61501
    assert errcode(ask("getusersummary", "2026/02/01", "2026-02-02")) == 61500
    sim.set_clock("2026-03-03T07:59:00+08:00")
    assert ask("getusercumulate", "2026-03-02", "2026-03-02") == {"list": []}  # published at 08:00
    sim.set_clock("2026-03-03T08:00:00+08:00")
    assert len(ask("getusercumulate", "2026-03-02", "2026-03-02")["list"]) == 1


def test_invalid_profiles_are_refused_with_a_reason(sim, api):
    response = sim.http.post(f"/sim/accounts/{api.app_id}/audience", json={"followers": -1})
    assert response.status_code == 400 and "followers" in response.json()["error"]
    response = sim.http.post(f"/sim/accounts/{api.app_id}/audience", json={"scenes": {"a": 0.8, "b": 0.4}})
    assert response.status_code == 400 and "more than 1" in response.json()["error"]
    response = sim.http.post(f"/sim/accounts/{api.app_id}/audience", json={"categories": {"x": {"read": 1}}})
    assert response.status_code == 400 and "unknown field" in response.json()["error"]


def test_the_demo_profile_ships_with_the_plan_categories(sim, api):
    demo = sim.control("GET", "/profiles/demo")
    assert set(demo["categories"]) == {"行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系"}
    loaded = sim.http.post(f"/sim/accounts/{api.app_id}/audience", params={"preset": "demo"}).json()
    assert loaded == {"followers_created": 3000, "followers_before": 0}
    assert sim.http.get("/sim/profiles/nothing").status_code == 404


def test_new_datacube_endpoints_match_the_old_ones_and_flag_delay(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}/audience", **PROFILE)
    sent = api.sendall(api.draft(title="社保新规"), clientmsgid="new-dc")
    sim.set_clock("2026-03-03T07:00:00+08:00")
    early = api.post("/datacube/getbizsummary", {"begin_date": "2026-03-02", "end_date": "2026-03-02"})
    assert early["is_delay"] is True and len(early["list"]) == 1
    sim.set_clock("2026-03-05T09:00:00+08:00")
    day = {"begin_date": "2026-03-02", "end_date": "2026-03-02"}
    old = api.post("/datacube/getarticlesummary", day)["list"][0]
    new = api.post("/datacube/getarticleread", day)
    assert new["is_delay"] is False
    assert new["list"][0]["msgid"] == old["msgid"] == f"{sent['msg_data_id']}_1"
    assert new["list"][0]["detail"]["read_user"] == old["int_page_read_user"]
    assert new["list"][0]["detail"]["share_user"] == old["share_user"]
    biz = api.post("/datacube/getbizsummary", {"begin_date": "2026-03-02", "end_date": "2026-03-04"})["list"]
    read = api.post("/datacube/getuserread", {"begin_date": "2026-03-02", "end_date": "2026-03-04"})["list"]
    assert [b["read_user"] for b in biz] == [r["int_page_read_user"] for r in read]
    total = api.post("/datacube/getarticletotaldetail", day)["list"][0]
    assert total["publish_type"] == 0 and [d["stat_date"] for d in total["detail_list"]] == [
        "2026-03-02", "2026-03-03", "2026-03-04"]
    assert errcode(api.post("/datacube/getarticleread", {"begin_date": "2026-03-02", "end_date": "2026-03-03"})) \
        == 61501
