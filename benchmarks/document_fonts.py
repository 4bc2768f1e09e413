"""The CJK font embedded in a process's DOCX documents: kept TrueType cut against cutting the CFF face each time.

    .venv/bin/python benchmarks/document_fonts.py [--documents 8] [--seed 1]

Makes ``--documents`` DOCX documents in one process, each a report-like text (headings,
the demo profile's categories and its followers' questions in a random order and
selection, numbers), through ``core.documents.word`` as the reports and the director's
documents do — once with the process's kept cut (``glyphs``, what the product does), once
as a baseline with the kept cut forgotten before each document (every document cut from
the CFF face and redrawn, as before the kept cut). Prints the CPU seconds of each document
and the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "src/wxops/simulator/data/profiles/demo.json"
FRAME = ("运营情况分析报告", "读者关心什么：分类与文章排名", "读者问了什么：问答汇编", "关注者增长", "下两周的建议",
         "分类", "阅读人数", "阅读次数", "阅读率", "分享", "收藏", "留言", "新增关注", "取消关注", "推送反馈核心问题")


def a_document_text(draw: random.Random, phrases: list[str]) -> list[str]:
    lines = list(FRAME)
    for _ in range(draw.randint(20, 60)):
        lines.append(f"{draw.choice(phrases)} {draw.randint(0, 9999)} {draw.random():.1%}")
    return lines


def make(lines: list[str]) -> bytes:
    from wxops.core.documents import word

    document = word.new_document()
    document.add_heading(lines[0], level=0)
    for line in lines[1:]:
        document.add_paragraph(line)
    return word.docx_bytes(document)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from wxops.core.documents import glyphs

    profile = json.loads(PROFILE.read_text(encoding="utf-8"))
    phrases = [text for topic in profile["feedback_topics"] for text in topic["texts"]]
    phrases += [f"{name}：{'、'.join(values['keywords'])}" for name, values in profile["categories"].items()]
    draw = random.Random(arguments.seed)
    texts = [a_document_text(draw, phrases) for _ in range(arguments.documents)]
    make(["预热"])  # imports and the font lookup, outside both timings
    totals = {}
    for name, forget in (("baseline: each cut from the CFF face", True), ("kept cut (the product)", False)):
        glyphs.forget()
        seconds = []
        for lines in texts:
            if forget:
                glyphs.forget()
            started = time.process_time()
            make(lines)
            seconds.append(time.process_time() - started)
        totals[name] = sum(seconds)
        print(f"{name}: {sum(seconds):.2f} s CPU for {len(texts)} documents; each: "
              + " ".join(f"{value:.2f}" for value in seconds))
    distinct = len(set("".join(line for lines in texts for line in lines)))
    baseline, kept = totals.values()
    print(f"{distinct} distinct characters over the documents; kept / baseline = {kept / baseline:.2f}; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
