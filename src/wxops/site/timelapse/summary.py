"""``summary.json``: what the simulator recorded, matched to the slots of the run.

Every number comes from the simulator's inspection API — its sends, its deliveries to
followers, its followers' reads — never from wxops's own tables; the driver only
contributes the slots (when they were, which category the planner chose, what the
reviewer decided) so that a slot without a send can be told apart:

- ``pushes_sent``: mass sends the simulator finished (``deliveries.mass_sends``);
- ``duplicate_deliveries``: for each follower and content, every delivery after the first;
- a slot is *sent* when the simulator holds a send made from its minute to the end of
  its day (the account's time zone); ``held_slots``: slots without one whose push the
  reviewer did not approve in time (late, rejected, never submitted, or an approval
  editorial refused); ``missed_slots``: slots without one although approved — what must
  stay 0;
- ``reads_total`` and ``reads_by_category``: openings of the sent articles up to the end
  of the run (a follower reading twice counts twice, as WeChat's 阅读次数), filed by the
  simulator under the category it read from each article (``未分类`` when none);
- ``planner_choices``: ``[date, slot time, category]`` per slot, as the editor followed
  the planner;
- ``feedback_items`` and ``director_documents`` come from wxops's records instead
  (``feedback.py``): the comments and messages linked to pushes' 24-hour windows, and the
  documents made when those windows closed.

``slots.json`` beside it lists each slot with both sides (decision, wxops's status and the
delivery count it learnt from MASSSENDJOBFINISH; the simulator's msg_id, recipients and reads).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

UNCATEGORISED = "未分类"
KEYS = ("weeks", "slots", "pushes_sent", "duplicate_deliveries", "missed_slots", "held_slots", "reads_total",
        "reads_by_category", "planner_choices", "reports", "feedback_items", "director_documents")


@dataclass(frozen=True)
class Result:
    summary: dict
    slots: list[dict]


def _get(sim: httpx.Client, path: str, **params) -> dict:
    answer = sim.get("/sim/inspect" + path, params=params)
    answer.raise_for_status()
    return answer.json()


def match_sends(records, sends: list[dict], zone: ZoneInfo) -> dict[int, dict]:
    """Slot index → the simulator's send made from the slot's minute to the end of its day."""
    matched: dict[int, dict] = {}
    taken: set[int] = set()
    for index, record in enumerate(records):
        local = record.at.astimezone(zone)
        day_end = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        for send in sends:
            if send["msg_id"] in taken or send["status"] != "success":
                continue
            if record.at.timestamp() <= send["created_at"] < day_end.timestamp():
                matched[index] = send
                taken.add(send["msg_id"])
                break
    return matched


def collect(sim: httpx.Client, account, records, *, weeks: int, start: datetime, end: datetime) -> Result:
    app_id = account.app_id
    zone = ZoneInfo(account.time_zone)
    sends = [s for s in _get(sim, f"/accounts/{app_id}/sends")["sends"]
             if start.timestamp() <= s["created_at"] < end.timestamp()]
    deliveries = _get(sim, f"/accounts/{app_id}/deliveries")
    reads = _get(sim, f"/accounts/{app_id}/reads", until=end.timestamp())
    matched = match_sends(records, sends, zone)
    reads_by_msg: dict[int, int] = {}
    for article in reads["articles"]:
        reads_by_msg[article["msg_data_id"]] = reads_by_msg.get(article["msg_data_id"], 0) + article["reads"]
    categories = list(account.categories.order_by("position").values_list("name", flat=True))
    by_category = dict.fromkeys(categories, 0)
    for name, count in sorted(reads["by_category"].items()):
        key = name or UNCATEGORISED
        by_category[key] = by_category.get(key, 0) + count
    approved = [i for i, r in enumerate(records) if r.review == "approved"]
    summary = {
        "weeks": weeks,
        "slots": len(records),
        "pushes_sent": deliveries["mass_sends"],
        "duplicate_deliveries": deliveries["duplicate_deliveries"],
        "missed_slots": sum(1 for i in approved if i not in matched),
        "held_slots": sum(1 for i, r in enumerate(records) if r.review != "approved" and i not in matched),
        "reads_total": reads["total"],
        "reads_by_category": by_category,
        "planner_choices": [[r.at.astimezone(zone).date().isoformat(), r.at.astimezone(zone).strftime("%H:%M"),
                             r.category] for r in records],
    }
    slots = []
    for index, record in enumerate(records):
        send = matched.get(index)
        local = record.at.astimezone(zone)
        slots.append({
            "date": local.date().isoformat(), "slot": local.strftime("%H:%M"), "category": record.category,
            "review": record.review, "wxops_status": record.status, "wxops_delivered": record.delivered,
            "sent": send is not None, "msg_id": send["msg_id"] if send else None,
            "sent_at": send["created_iso"] if send else None,
            "simulator_categories": send["categories"] if send else [],
            "recipients": send["recipients"] if send else 0,
            "reads": reads_by_msg.get(send["msg_data_id"], 0) if send else 0,
            "notes": record.notes,
        })
    return Result(summary, slots)


def write(out: Path, result: Result) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(result.summary, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
    (out / "slots.json").write_text(json.dumps(result.slots, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
