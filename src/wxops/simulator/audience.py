"""Audience profiles: who follows an account and how they behave (see docs/simulator.md).

A profile is JSON::

    {"seed": 7, "followers": 3000, "daily_new_followers": 15, "daily_unsubscribe_rate": 0.001,
     "categories": {"人力资源管理": {"read_rate": 0.08, "share_rate": 0.01, "favorite_rate": 0.005,
                                  "comment_rate": 0.002, "message_rate": 0.002, "keywords": ["社保"]}},
     "feedback_topics": [{"category": "人力资源管理", "weight": 3, "texts": ["社保基数什么时候调整？"]}],
     "scenes": {"branch:001": 0.4},
     "default_rates": {"read_rate": 0.02, ...}, "daily_messages": 3}

Rates are per follower reached by a push (a share, favourite, comment or message comes
from a reader); scene shares are the part of new followers arriving through each QR scene,
the rest arrive by search. Every random draw is seeded by the profile's seed (or the
server's ``--seed``), the account and what is drawn, so the same profile and the same calls
give the same followers, reads and messages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

RATES = ("read_rate", "share_rate", "favorite_rate", "comment_rate", "message_rate")
DEFAULT_RATES = {"read_rate": 0.02, "share_rate": 0.002, "favorite_rate": 0.001, "comment_rate": 0.0005,
                 "message_rate": 0.0005}
MAX_FOLLOWERS = 200_000


class ProfileError(ValueError):
    """An invalid audience profile; the message names the field."""


@dataclass(frozen=True)
class Rates:
    read_rate: float
    share_rate: float
    favorite_rate: float
    comment_rate: float
    message_rate: float
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    category: str
    weight: float
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    seed: int | None
    followers: int
    daily_new_followers: float
    daily_unsubscribe_rate: float
    categories: dict[str, Rates]
    default_rates: Rates
    feedback_topics: tuple[Topic, ...]
    scenes: dict[str, float]
    daily_messages: float | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def rates(self, category: str) -> Rates:
        return self.categories.get(category, self.default_rates)

    def topics_for(self, category: str) -> tuple[Topic, ...]:
        chosen = tuple(t for t in self.feedback_topics if t.category == category)
        return chosen or self.feedback_topics


def _number(data: dict, name: str, default: float, low: float, high: float) -> float:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ProfileError(f"{name} must be a number from {low} to {high}")
    return float(value)


def _rates(data: Any, where: str, fallback: dict[str, float]) -> Rates:
    if not isinstance(data, dict):
        raise ProfileError(f"{where} must be an object of rates")
    unknown = set(data) - set(RATES) - {"keywords"}
    if unknown:
        raise ProfileError(f"{where}: unknown field(s) {sorted(unknown)}; rates are {RATES} and keywords")
    values = {name: _number(data, name, fallback.get(name, data.get("comment_rate", 0.0)), 0, 1) for name in RATES}
    if "message_rate" not in data and "comment_rate" in data:
        values["message_rate"] = float(data["comment_rate"])
    keywords = data.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        raise ProfileError(f"{where}.keywords must be a list of non-empty strings")
    return Rates(**values, keywords=tuple(keywords))


def parse(data: Any) -> Profile:
    """Validate a profile; raises ProfileError with a message that says what to fix."""
    if not isinstance(data, dict):
        raise ProfileError("the audience profile must be a JSON object")
    known = {"seed", "followers", "daily_new_followers", "daily_unsubscribe_rate", "categories",
             "feedback_topics", "scenes", "default_rates", "daily_messages"}
    unknown = set(data) - known
    if unknown:
        raise ProfileError(f"unknown profile field(s) {sorted(unknown)}; known: {sorted(known)}")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ProfileError("seed must be an integer")
    followers = data.get("followers", 0)
    if isinstance(followers, bool) or not isinstance(followers, int) or not 0 <= followers <= MAX_FOLLOWERS:
        raise ProfileError(f"followers must be an integer from 0 to {MAX_FOLLOWERS}")
    categories_raw = data.get("categories", {})
    if not isinstance(categories_raw, dict):
        raise ProfileError("categories must map a category name to its rates")
    default_rates = _rates(data.get("default_rates", {}), "default_rates", DEFAULT_RATES)
    categories = {str(name): _rates(rates, f"categories.{name}", {}) for name, rates in categories_raw.items()}
    topics_raw = data.get("feedback_topics", [])
    if not isinstance(topics_raw, list):
        raise ProfileError("feedback_topics must be a list")
    topics = []
    for number, topic in enumerate(topics_raw):
        if not isinstance(topic, dict) or not isinstance(topic.get("texts"), list) or not topic["texts"]:
            raise ProfileError(f"feedback_topics[{number}] needs a non-empty list of texts")
        if not all(isinstance(t, str) and t.strip() for t in topic["texts"]):
            raise ProfileError(f"feedback_topics[{number}].texts must be non-empty strings")
        weight = _number(topic, "weight", 1, 0, 1e6)
        topics.append(Topic(str(topic.get("category", "")), weight, tuple(topic["texts"])))
    scenes = data.get("scenes", {})
    if not isinstance(scenes, dict) or not all(isinstance(v, int | float) and v >= 0 for v in scenes.values()):
        raise ProfileError("scenes must map a scene_str to its share (a number from 0 to 1)")
    if sum(scenes.values()) > 1.000001:
        raise ProfileError("the scene shares add up to more than 1")
    if any(not 1 <= len(str(s)) <= 64 for s in scenes):
        raise ProfileError("a scene_str is 1 to 64 characters")
    daily_messages = data.get("daily_messages")
    if daily_messages is not None:
        daily_messages = _number(data, "daily_messages", 0, 0, 1e6)
    return Profile(
        seed=seed, followers=followers,
        daily_new_followers=_number(data, "daily_new_followers", 0, 0, 1e6),
        daily_unsubscribe_rate=_number(data, "daily_unsubscribe_rate", 0, 0, 1),
        categories=categories, default_rates=default_rates, feedback_topics=tuple(topics),
        scenes={str(k): float(v) for k, v in scenes.items()}, daily_messages=daily_messages, raw=data,
    )


def rng(seed: int, app_id: str, *purpose: object) -> random.Random:
    """A random generator fixed by the seed, the account and what it draws."""
    return random.Random("|".join([str(seed), app_id, *map(str, purpose)]))


def pick_scene(profile: Profile, draw: random.Random) -> str | None:
    """A scene_str by the profile's shares, or None for a follower who found the account by search."""
    roll = draw.random()
    for scene, share in sorted(profile.scenes.items()):
        if roll < share:
            return scene
        roll -= share
    return None


def pick_topic(topics: tuple[Topic, ...], draw: random.Random) -> Topic | None:
    total = sum(t.weight for t in topics)
    if not topics or total <= 0:
        return None
    roll = draw.random() * total
    for topic in topics:
        if roll < topic.weight:
            return topic
        roll -= topic.weight
    return topics[-1]
