"""The fortnightly report at a year's scale: time and peak memory, against a baseline.

    .venv/bin/python benchmarks/report_scale.py [--messages 1000000] [--pushes 500] [--keep DIR]

A fresh data folder (SQLite; or ``--database-url postgres://…`` for an empty PostgreSQL
database) gets a year of one account's data, written with ``bulk_create``: ``--pushes``
sent pushes (one to three articles each, with WeChat's totals), the year's followers,
reading and sync ledger, and ``--messages`` stored follower messages and comments (nine
messages to one comment; a few hundred wordings of real questions and remarks, a fifth made
unique by a number or a name, like real ones).

Then, each in a child process of its own (so its peak resident memory is its own):

* **report** — ``make_report`` of the last fortnight: metrics, the Q&A grouping, the
  planner's weights and slot plan, three charts, XLSX, PDF (WeasyPrint, fonts embedded)
  and DOCX;
* **baseline** — the same ``make_report`` over a fortnight of a second account without any
  data: the fixed cost of booting Django, matplotlib, WeasyPrint and python-docx.

Prints the seconds and peak RSS of both, the ratio, and the targets (< 30 s, < 1 GB).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from django_boot import boot  # noqa: E402 - beside this script

ZONE = ZoneInfo("Asia/Shanghai")
YEAR_END = date(2026, 3, 1)  # a Sunday: the fortnight 2026-02-16 … 03-01 is reported on Monday 03-02
YEAR_START = YEAR_END - timedelta(days=364)
CATEGORIES = {"行业信息": 0.06, "企业管理": 0.09, "人力资源管理": 0.2, "财务管理": 0.12, "公司融智综合服务体系": 0.04}
TOPICS = ["社保基数", "个税汇算", "年假", "发票", "公积金", "劳动合同", "加班费", "五险一金", "企业所得税", "增值税",
          "财务报表", "工资条", "离职证明", "试用期", "招聘", "绩效考核", "股权激励", "融资", "审计", "预算"]
ASKING = ["{t}什么时候调整？", "请问{t}怎么办理？", "{t}在哪里查？", "{t}有没有新规定？", "{t}是否需要本人去？",
          "想咨询一下{t}的问题", "{t}多少钱？", "{t}如何计算"]
REMARKS = ["谢谢分享", "很有用，收藏了", "干货！", "写得很清楚", "已转给同事", "支持", "第一", "学习了"]
BATCH = 5000


def text_of(rng: random.Random) -> str:
    text = rng.choice(REMARKS) if rng.random() < 0.3 else rng.choice(ASKING).format(t=rng.choice(TOPICS))
    if rng.random() < 0.2:  # real messages carry numbers and names that make them unique
        text = f"{text}（工号{rng.randrange(10**6):06d}）" if rng.random() < 0.5 else f"我是{rng.choice('张王李赵刘陈')}经理，{text}"
    return text


def fill(messages: int, pushes: int, seed: int = 7) -> dict:
    """A year of one account's data; returns what was written and how long it took."""
    from wxops.accounts.models import Account, Category
    from wxops.analytics.models import ArticleTotal, FollowerDay, ReadingDay, SyncedDay, SyncPart, SyncStatus
    from wxops.editorial.models import Push, PushArticle, PushStatus
    from wxops.interaction.models import InboundKind, InboundMessage
    from wxops.interaction.models.feedback import Comment
    from wxops.materials.models import Article

    rng = random.Random(seed)
    started = time.perf_counter()
    account = Account.objects.create(name="规模测试号", app_id="wxreportscale0001")
    Account.objects.create(name="空白对照号", app_id="wxreportscale0002")
    categories = [Category.objects.create(account=account, name=name, position=n)
                  for n, name in enumerate(CATEGORIES)]
    days = [YEAR_START + timedelta(days=n) for n in range(365)]
    push_days = sorted(rng.sample(days, min(pushes, len(days)))) if pushes <= len(days) else sorted(
        rng.choices(days, k=pushes))
    followers = 20000
    follower_rows, reading_rows = [], []
    for day in days:
        new, lost = rng.randint(20, 90), rng.randint(5, 40)
        followers += new - lost
        follower_rows.append(FollowerDay(account=account, day=day, new_user=new, cancel_user=lost,
                                         cumulate_user=followers))
        reading_rows.append(ReadingDay(account=account, day=day, read_user=rng.randint(800, 4000),
                                       share_user=rng.randint(20, 200), comment_count=rng.randint(0, 80)))
    FollowerDay.objects.bulk_create(follower_rows, batch_size=BATCH)
    ReadingDay.objects.bulk_create(reading_rows, batch_size=BATCH)
    SyncedDay.objects.bulk_create([SyncedDay(account=account, part=part, day=day, status=SyncStatus.DONE)
                                   for day in days for part in SyncPart.values], batch_size=BATCH)
    push_rows, per_day = [], Counter()
    for day in push_days:
        per_day[day] += 1  # a second push on a day goes out an hour later
        slot = datetime.combine(day, clock_time(11, 30), ZONE) + timedelta(hours=per_day[day] - 1)
        push_rows.append(Push(account=account, slot_at=slot, review_deadline_at=slot - timedelta(hours=1),
                              latest_send_at=slot + timedelta(hours=2), status=PushStatus.SENT))
    pushes_made = Push.objects.bulk_create(push_rows, batch_size=BATCH)
    article_rows, links, totals = [], [], []
    for n, push in enumerate(pushes_made):
        for position in range(rng.choice((1, 1, 2, 3))):
            category = rng.choice(categories)
            article_rows.append(Article(account=account, title=f"第{n + 1}期 第{position + 1}篇 {category.name}要点",
                                        category=category))
            links.append((push, position, category))
    articles = Article.objects.bulk_create(article_rows, batch_size=BATCH)
    PushArticle.objects.bulk_create([PushArticle(push=push, article=article, position=position)
                                     for article, (push, position, _c) in zip(articles, links, strict=True)],
                                    batch_size=BATCH)
    for n, (article, (push, position, category)) in enumerate(zip(articles, links, strict=True)):
        reached = followers - rng.randint(0, 500)
        readers = int(reached * CATEGORIES[category.name] * rng.uniform(0.6, 1.4))
        sent_on = push.slot_at.astimezone(ZONE).date()
        totals.append(ArticleTotal(account=account, msgid=f"{1000 + n}_{position + 1}", msg_data_id=1000 + n,
                                   index=position, title=article.title, sent_on=sent_on, target_user=reached,
                                   stat_date=sent_on + timedelta(days=6), read_user=readers,
                                   read_count=int(readers * 1.3), share_user=readers // 15,
                                   share_count=readers // 12, favorite_user=readers // 30))
    ArticleTotal.objects.bulk_create(totals, batch_size=BATCH)

    comments = messages // 10
    span = 365 * 86400
    start_moment = datetime.combine(YEAR_START, clock_time(), ZONE)
    written = 0
    while written < messages - comments:
        size = min(BATCH, messages - comments - written)
        InboundMessage.objects.bulk_create([
            InboundMessage(account=account, kind=InboundKind.TEXT, msg_type="text",
                           from_openid=f"o{rng.randrange(50000):06d}", dedupe_key=f"m:{written + i}",
                           msg_id=str(written + i), content=text_of(rng), xml="<xml/>",
                           received_at=start_moment + timedelta(seconds=rng.randrange(span)))
            for i in range(size)])
        written += size
    for start in range(0, comments, BATCH):
        batch = []
        for i in range(start, min(comments, start + BATCH)):
            push = pushes_made[i % len(pushes_made)]
            batch.append(Comment(account=account, push=push, msg_data_id=1000 + i % len(pushes_made), index=0,
                                 user_comment_id=i, openid=f"o{rng.randrange(50000):06d}", content=text_of(rng),
                                 created_at=push.slot_at + timedelta(minutes=rng.randrange(1, 2880)),
                                 synced_at=push.slot_at + timedelta(days=2)))
        Comment.objects.bulk_create(batch)
    return {"seconds": round(time.perf_counter() - started, 1), "messages": written, "comments": comments,
            "pushes": len(pushes_made), "articles": len(articles)}


def child(account_name: str, start: date, end: date) -> None:
    """In the child process: make the report, print seconds and peak RSS as JSON."""
    from wxops.accounts.models import Account
    from wxops.analytics import actions
    from wxops.core import clock

    account = Account.objects.get(name=account_name)
    with clock.frozen(datetime.combine(end + timedelta(days=1), clock_time(9), ZONE)):
        started = time.perf_counter()
        report = actions.make_report(account, start, end)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_bytes": peak, "pdf_bytes": report.pdf.size,
                      "xlsx_bytes": report.xlsx.size, "docx_bytes": report.docx.size}))


def run_child(data_dir: Path, database_url: str | None, account: str, start: date, end: date) -> dict:
    command = [sys.executable, __file__, "--child", account, "--data-dir", str(data_dir),
               "--start", start.isoformat(), "--end", end.isoformat()]
    if database_url:
        command += ["--database-url", database_url]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"the child failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1_000_000, help="messages and comments stored (a tenth comments)")
    parser.add_argument("--pushes", type=int, default=500)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of SQLite")
    parser.add_argument("--keep", type=Path, help="keep the data folder here (default: a temporary one, removed); "
                        "run again with the same --keep to measure again without writing the data again")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument("--end", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        boot(args.data_dir, args.database_url, WXOPS_REPORT_EMAILS="")
        child(args.child, args.start, args.end)
        return

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="wxops-report-scale-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        boot(data_dir, args.database_url, WXOPS_REPORT_EMAILS="")
        from django.core.management import call_command
        from django.db import connections

        marker = data_dir / "report-scale.json"
        if args.keep and marker.exists():  # a kept folder is filled once, measured again and again
            written = json.loads(marker.read_text())
        else:
            call_command("migrate", verbosity=0, interactive=False)
            written = fill(args.messages, args.pushes)
            marker.write_text(json.dumps(written))
        connections.close_all()
        print(f"a year of data: {written['messages']:,} messages + {written['comments']:,} comments, "
              f"{written['pushes']} pushes, {written['articles']} articles — written in {written['seconds']} s "
              f"({'PostgreSQL' if args.database_url else 'SQLite'})")
        start, end = YEAR_END - timedelta(days=13), YEAR_END
        baseline = run_child(data_dir, args.database_url, "空白对照号", start, end)
        report = run_child(data_dir, args.database_url, "规模测试号", start, end)
        mb = 1024 * 1024
        print(f"fortnight {start} … {end}")
        for name, figures in (("baseline (no data)", baseline), ("fortnightly report", report)):
            print(f"  {name:20s} {figures['seconds']:6.1f} s to make   peak RSS {figures['peak_bytes'] / mb:7.0f} MB   "
                  f"(process {figures['process_seconds']:.1f} s; PDF {figures['pdf_bytes'] // 1024} KB, "
                  f"XLSX {figures['xlsx_bytes'] // 1024} KB, DOCX {figures['docx_bytes'] // 1024} KB)")
        print(f"  ratio to baseline:   time ×{report['seconds'] / baseline['seconds']:.1f}, "
              f"memory ×{report['peak_bytes'] / baseline['peak_bytes']:.2f}")
        ok_time, ok_memory = report["seconds"] < 30, report["peak_bytes"] < 1024 * mb
        print(f"  targets: < 30 s {'met' if ok_time else 'MISSED'}, < 1 GB {'met' if ok_memory else 'MISSED'}")
    finally:
        if args.keep is None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
