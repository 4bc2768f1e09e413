"""What simulated followers do over time, driven by the account's audience profile.

- Loading a profile creates the initial followers (subscribed over the past two years).
- Each simulated day (China time) brings new followers through the profile's QR scenes,
  unsubscribes, and a few messages; they are planned when the clock enters the day.
- Each push (a finished mass send) is read, shared, favourited, commented and answered by
  message according to its articles' categories, spread over the following three days.
Reads, shares and favourites are recorded with their time (datacube only counts those in
the past); comments, messages, subscribes and unsubscribes are scheduled and applied when
the clock reaches them, with their callbacks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import TYPE_CHECKING, Any

from . import audience, followers, phrasing
from .clock import DAY, china_date, day_start

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World

MARKER = re.compile(r"<!--\s*(?:wxops:)?category\s*[:=]\s*(.+?)\s*-->|data-category=[\"']([^\"']+)[\"']")


def profile_of(sim: World, app_id: str) -> audience.Profile | None:
    row = sim.state.one("SELECT profile FROM audiences WHERE app_id = ?", (app_id,))
    return audience.parse(json.loads(row["profile"])) if row else None


def seed_of(sim: World, profile: audience.Profile | None) -> int:
    return profile.seed if profile and profile.seed is not None else sim.seed


def categorize(account: Account, profile: audience.Profile | None, article: dict[str, Any]) -> str:
    """An article's category: a marker in its content, else a keyword of the account or profile, else ''."""
    content = article.get("content", "")
    marker = MARKER.search(content)
    if marker:
        return (marker.group(1) or marker.group(2)).strip()
    text = f"{article.get('title', '')} {article.get('digest', '')}"
    for keyword, category in account.categories.items():
        if keyword in text:
            return category
    if profile:
        for category, rates in profile.categories.items():
            if category in text or any(k in text for k in rates.keywords):
                return category
    return ""


def load(sim: World, account: Account, raw: dict[str, Any]) -> dict[str, Any]:
    """Store the profile; create the initial followers unless the account has some already."""
    profile = audience.parse(raw)
    now = sim.clock.now()
    with sim.state.transaction():
        existing = sim.state.scalar("SELECT COUNT(*) FROM followers WHERE app_id = ?", (account.app_id,))
        sim.state.execute(
            "INSERT INTO audiences (app_id, profile, loaded_at, planned_until) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(app_id) DO UPDATE SET profile = excluded.profile",
            (account.app_id, json.dumps(raw, ensure_ascii=False), now, china_date(now).isoformat()))
        created = 0
        if not existing:
            draw = audience.rng(seed_of(sim, profile), account.app_id, "population")
            times = sorted(round(now - draw.uniform(1, 730) * DAY) for _ in range(profile.followers))
            for at in times:
                scene = audience.pick_scene(profile, draw)
                followers.subscribe(sim, account, at, scene_str=scene, notify=False, seed=seed_of(sim, profile))
                created += 1
    return {"followers_created": created, "followers_before": existing}


def _plan_day(sim: World, account: Account, profile: audience.Profile, day: dt.date) -> None:
    seed = seed_of(sim, profile)
    draw = audience.rng(seed, account.app_id, "day", day.isoformat())
    start = day_start(day)

    def at_some_time() -> float:
        # Most activity happens between 07:00 and 23:00.
        return round(start + draw.uniform(7, 23) * 3600)

    def poisson(mean: float) -> int:
        return max(0, round(draw.gauss(mean, math.sqrt(mean)))) if mean > 0 else 0

    rows = []
    for _ in range(poisson(profile.daily_new_followers)):
        rows.append((at_some_time(), "subscribe", {"scene_str": audience.pick_scene(profile, draw)}))
    for openid in followers.subscribed(sim, account.app_id):
        if draw.random() < profile.daily_unsubscribe_rate:
            rows.append((at_some_time(), "unsubscribe", {"openid": openid}))
    daily_messages = profile.daily_messages
    if daily_messages is None:
        daily_messages = profile.followers * 0.001
    current = followers.subscribed(sim, account.app_id)
    for _ in range(poisson(daily_messages) if current else 0):
        topic = audience.pick_topic(profile.feedback_topics, draw)
        if topic is not None:
            text = phrasing.vary(draw.choice(topic.texts), draw)
            rows.append((at_some_time(), "message", {"openid": draw.choice(current), "content": text}))
    _schedule(sim, account.app_id, rows)


def _schedule(sim: World, app_id: str, rows: list[tuple[float, str, dict[str, Any]]]) -> None:
    sim.state.executemany(
        "INSERT INTO schedule (app_id, due_at, kind, payload) VALUES (?, ?, ?, ?)",
        [(app_id, at, kind, json.dumps(payload, ensure_ascii=False)) for at, kind, payload in rows])


def _delay(draw: Any) -> float:
    """Seconds between a push and a reaction: most within hours, a tail over three days."""
    return round(min(draw.expovariate(1 / (4 * 3600)), 72 * 3600) + draw.uniform(30, 600))


def plan_push(sim: World, account: Account, msg_data_id: int, recipients: list[str],
              articles: list[dict[str, Any]], sent_at: float) -> None:
    """Followers' reactions to a push: reads, shares, favourites now (timestamped), comments and messages later."""
    profile = profile_of(sim, account.app_id)
    if profile is None or not articles:
        return
    seed = seed_of(sim, profile)
    activity, scheduled = [], []
    for idx, article in enumerate(articles):
        category = article.get("category", "")
        rates = profile.rates(category)
        texts = tuple(t for topic in profile.topics_for(category) for t in topic.texts)
        draw = audience.rng(seed, account.app_id, "push", msg_data_id, idx)
        reader_rate = max(rates.read_rate, 1e-9)
        for openid in recipients:
            if draw.random() >= rates.read_rate:
                continue
            at = sent_at + _delay(draw)
            day = china_date(at).isoformat()
            activity.append((at, day, "read", openid, idx, 0, 1 + (draw.random() < 0.2)))
            if article.get("content_source_url") and draw.random() < 0.1:
                activity.append((at + 60, day, "read", openid, idx, 1, 1))
            if draw.random() < rates.share_rate / reader_rate:
                scene = 1 if draw.random() < 0.7 else 2
                activity.append((at + 90, day, "share", openid, idx, scene, 1 + (draw.random() < 0.3)))
            if draw.random() < rates.favorite_rate / reader_rate:
                activity.append((at + 120, day, "favorite", openid, idx, 0, 1))
            if draw.random() < rates.comment_rate / reader_rate:
                scheduled.append((at + 180, "comment", {"openid": openid, "msg_data_id": msg_data_id, "idx": idx,
                                                        "content": phrasing.comment(texts, draw)}))
            if texts and draw.random() < rates.message_rate / reader_rate:
                scheduled.append((at + 240, "message", {"openid": openid, "content": phrasing.vary(
                    draw.choice(texts), draw)}))
    sim.state.executemany(
        "INSERT INTO activity (app_id, at, day, kind, openid, msg_data_id, idx, detail, times) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(account.app_id, at, day, kind, openid, msg_data_id, idx, detail, times)
         for at, day, kind, openid, idx, detail, times in activity])
    _schedule(sim, account.app_id, scheduled)


def _apply(sim: World, account: Account, kind: str, payload: dict[str, Any], at: float) -> None:
    try:
        if kind == "subscribe":
            profile = profile_of(sim, account.app_id)
            scene = payload.get("scene_str")
            ticket = sim.state.scalar(
                "SELECT ticket FROM qrcodes WHERE app_id = ? AND scene_str = ? ORDER BY created_at DESC LIMIT 1",
                (account.app_id, scene)) if scene else None
            followers.subscribe(sim, account, at, scene_str=scene, ticket=ticket, seed=seed_of(sim, profile))
        elif kind == "unsubscribe":
            followers.unsubscribe(sim, account, payload["openid"], at)
        elif kind == "message":
            followers.send_message(sim, account, payload["openid"], at, payload["content"])
        elif kind == "comment":
            followers.add_comment(sim, account, payload["openid"], payload["msg_data_id"], payload["idx"],
                                  payload["content"], at)
    except followers.FollowerError:
        pass  # the follower left or comments closed in the meantime: the action simply does not happen


def _run_due(sim: World, until: float) -> None:
    rows = sim.state.all("SELECT * FROM schedule WHERE done = 0 AND due_at <= ? ORDER BY due_at, id", (until,))
    accounts: dict[str, Any] = {}
    for row in rows:
        account = accounts.setdefault(row["app_id"], sim.accounts.get(row["app_id"]))
        if account is not None:
            _apply(sim, account, row["kind"], json.loads(row["payload"]), row["due_at"])
        sim.state.execute("UPDATE schedule SET done = 1 WHERE id = ?", (row["id"],))


def settle(sim: World, now: float) -> None:
    today = china_date(now)
    for row in sim.state.all("SELECT app_id, planned_until FROM audiences"):
        account = sim.accounts.get(row["app_id"])
        profile = profile_of(sim, row["app_id"])
        day = dt.date.fromisoformat(row["planned_until"])
        while account is not None and profile is not None and day < today:
            day += dt.timedelta(days=1)
            _run_due(sim, day_start(day) - 0.001)
            _plan_day(sim, account, profile, day)
            sim.state.execute("UPDATE audiences SET planned_until = ? WHERE app_id = ?",
                              (day.isoformat(), row["app_id"]))
    _run_due(sim, now)

