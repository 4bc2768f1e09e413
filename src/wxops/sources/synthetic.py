"""Generated articles and their reprints, for tests, the benchmark and the evaluation.

Base articles are built from clauses of the seed examples with random figures and
places, so every one is distinct; :func:`reprint` makes the copy a portal would publish:
sentences reordered, punctuation changed, a source line and a disclaimer added, a
sentence dropped. Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from .candidates import Document
from .classifier import seed_examples

PLACES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "苏州", "天津", "重庆",
          "长沙", "郑州", "青岛", "厦门", "合肥", "济南", "沈阳", "昆明")
PORTALS = ("新浪财经", "网易新闻", "搜狐", "腾讯网", "凤凰网", "澎湃新闻", "中国经济网", "人民网", "新华网")
BOILERPLATE = (
    "免责声明：本文转自网络，版权归原作者所有，如有侵权请联系删除。",
    "（本文来源：{portal}，责任编辑：{editor}）",
    "点击上方蓝字关注我们，获取更多资讯。",
    "声明：转载此文是出于传递更多信息之目的，不代表本网观点。",
)
LEADS = (
    "{clause}", "{clause}", "{clause}",
    "{place}{n}家企业反映，{clause}",
    "{company}负责人介绍，{clause}",
    "据{place}有关部门统计，{clause}，涉及约{n}家单位",
    "{clause}，{company}就是其中一例",
    "记者在{place}走访发现，{clause}",
    "{company}财务总监认为，{clause}",
    "{place}某企业人事经理说，{clause}",
)
SYLLABLES = ["华", "中", "恒", "远", "达", "信", "诚", "嘉", "瑞", "泰", "鼎", "盛", "丰", "安", "博", "创", "源", "海", "天", "宏", "锦", "新", "捷", "辰", "德", "汇", "通", "兴", "联", "智"]
TRADES = ("科技", "制造", "商贸", "物流", "餐饮", "建设", "医药", "电子", "文化", "能源")
EDITORS = ("王敏", "李强", "张伟", "刘洋", "陈静", "杨帆")


def _company(rng: random.Random) -> str:
    return f"{rng.choice(PLACES)}{''.join(rng.sample(SYLLABLES, 2))}{rng.choice(TRADES)}有限公司"


def _clauses() -> list[tuple[str, str]]:
    found = []
    for example in seed_examples():
        for clause in re.split(r"(?<=[，。；！？])", example.text):
            clause = clause.strip("，。；！？ ")
            if len(clause) >= 8:
                found.append((clause, example.category))
    return found


def article(rng: random.Random, number: int, clauses: list[tuple[str, str]] | None = None) -> Document:
    """A distinct made-up article of 7–12 sentences, most of them from one category."""
    clauses = clauses or _clauses()
    category = rng.choice(sorted({c for _, c in clauses}))
    own = [c for c, cat in clauses if cat == category]
    sentences = []
    for _ in range(rng.randint(7, 12)):
        pool = own if rng.random() < 0.8 else [c for c, _ in clauses]
        sentence = rng.choice(pool)
        sentences.append(rng.choice(LEADS).format(
            place=rng.choice(PLACES), n=rng.randint(2, 980), company=_company(rng), clause=sentence) + "。")
    title = f"{rng.choice(PLACES)}：{sentences[0][:18]}（第{number}期）"
    published = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 60 * 24 * 20))
    return Document(
        title=title,
        text="".join(sentences),
        url=f"https://news.example.com/{category}/{number}.html",
        guid=f"urn:example:{number}",
        source_name="示例资讯",
        published=published,
        tags=(category,),
    )


def reprint(rng: random.Random, original: Document, number: int) -> Document:
    """A portal's reprint of ``original``: same story, different bytes, different URL."""
    sentences = [s for s in re.split(r"(?<=。)", original.text) if s.strip()]
    if len(sentences) > 4 and rng.random() < 0.5:
        sentences.pop(rng.randrange(len(sentences)))
    for _ in range(2):
        i, j = rng.randrange(len(sentences)), rng.randrange(len(sentences))
        sentences[i], sentences[j] = sentences[j], sentences[i]
    text = "".join(sentences)
    if rng.random() < 0.7:
        text = text.replace("，", ", ").replace("。", ". ")
    portal = rng.choice(PORTALS)
    lines = [text]
    for template in rng.sample(BOILERPLATE, k=rng.randint(1, 2)):
        lines.insert(rng.choice((0, len(lines))), template.format(portal=portal, editor=rng.choice(EDITORS)))
    title = original.title if rng.random() < 0.5 else f"{original.title.split('（')[0]}｜{portal}"
    return Document(
        title=title,
        text="\n\n".join(lines),
        url=f"https://{number % 7}.portal.example.net/a/{number}",
        guid=f"urn:portal:{number}",
        source_name=portal,
        published=original.published + timedelta(hours=rng.randint(1, 30)) if original.published else None,
    )


def corpus(size: int, near_duplicate_share: float, seed: int = 5) -> tuple[list[Document], list[int]]:
    """``size`` documents of which ``near_duplicate_share`` are reprints of earlier ones.

    Returns the documents (reprints placed after their original, shuffled otherwise) and
    for each one the index of its original story (its own index for originals).
    """
    rng = random.Random(seed)
    clauses = _clauses()
    originals = int(size * (1 - near_duplicate_share))
    documents = [article(rng, n, clauses) for n in range(originals)]
    truth = list(range(originals))
    for n in range(size - originals):
        source = rng.randrange(originals)
        documents.append(reprint(rng, documents[source], n))
        truth.append(source)
    return documents, truth
