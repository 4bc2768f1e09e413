"""Quality of the content-rules checker on real labelled data (issue 4). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/compliance_eval.py --data ../shared/data

``--data`` is the shared real-world data folder (not part of the project; see its README).
Uses the project's default rule set only (no database). Per family it prints precision and
recall of "the checker raised a finding of that family's clauses" against the labels:

- COLD offensive language (label 1 = offensive) → clauses 1.4 (ethnic) and 1.8 (insult), the
  lexicon alone and with the trained model; on the whole COLD test set too when it is there
  (accuracy and macro-F1);
- Weibo rumours (CED; label_rumor 1) → clause 1.6;
- SMS spam (CCF 2015; label 1 = spam) → clause 2.2;
- the Advertising-Law absolute-terms list: recall of ad_law findings with each term in a
  carrier sentence, and false positives on near-miss sentences written here;
- python-stdnum's doctest cases: ID numbers (valid → reported), credit codes (never
  reported), Luhn numbers (valid 16–19 digits → reported as a bank card);
- OCR (``--ocr``): sentences written here, drawn as images with a CJK font, read back by
  RapidOCR: character accuracy, seconds per image, and whether the finding survives.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

from wxops.compliance.engine import check
from wxops.compliance.rules import RULES

#: Every rule but the trained model: "the lexicon alone" in the figures below.
WITHOUT_MODEL = [rule for rule in RULES if rule.name != "model.offensive"]

NEAR_MISSES = [
    "最近市场波动加大，投资者情绪谨慎。", "第一季度营收同比增长百分之八。", "这是公司第一次举办线上年会。",
    "最后一天报名，请抓紧时间。", "全国第一次经济普查数据发布。", "该区域获批国家级新区。",
    "资管新规要求打破刚性兑付。", "本产品不保本，投资需谨慎。", "无风险利率下行推动债券走强。",
    "公司持续加强反洗钱工作。", "最初的计划在最终方案中有所调整。", "第一时间通知所有员工。",
    "我们的第一步是梳理财务流程。", "他是团队里最早到的人。", "最新数据显示就业平稳。",
    "绝对值较上月下降。", "万能险的结算利率有所调整。", "这是本季度最大的一笔订单。",
    "最高级别的防控措施已经解除。", "最优解并不总是存在。",
]


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float, int]:
    tp = sum(1 for truth, guess in pairs if truth and guess)
    fp = sum(1 for truth, guess in pairs if not truth and guess)
    fn = sum(1 for truth, guess in pairs if truth and not guess)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


def clauses_found(text: str) -> set[str]:
    return {f.clause for f in check(text).findings}


def report(name: str, pairs: list[tuple[bool, bool]], note: str = "") -> None:
    precision, recall, f1, count = prf(pairs)
    positives = sum(1 for truth, _guess in pairs if truth)
    print(f"{name:34s} n={count:5d} positives={positives:4d}  precision={precision:5.2f}  recall={recall:5.2f}  "
          f"F1={f1:5.2f}  {note}")


def accuracy_and_macro_f1(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    accuracy = sum(t == g for t, g in pairs) / len(pairs)
    f1s = [prf([(t == side, g == side) for t, g in pairs])[2] for side in (True, False)]
    return accuracy, sum(f1s) / 2


def cold(folder: Path) -> None:
    with (folder / "labelled/cold_test_sample1500.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for name, rules in (("lexicon alone", WITHOUT_MODEL), ("with the model", None)):
        found = [(row["label"] == "1", {f.clause for f in check(row["TEXT"], rules=rules).findings}) for row in rows]
        report(f"COLD 1500 → 1.4/1.8, {name}", [(t, bool(c & {"1.4", "1.8"})) for t, c in found])
    report("COLD 1500 → any finding", [(t, bool(c)) for t, c in found])
    full = folder / "labelled/cold/test.csv"
    if full.exists():
        with full.open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        for name, rules in (("lexicon alone", WITHOUT_MODEL), ("with the model", None)):
            pairs = [(row["label"] == "1", bool({f.clause for f in check(row["TEXT"], rules=rules).findings}
                                                & {"1.4", "1.8"})) for row in rows]
            accuracy, macro_f1 = accuracy_and_macro_f1(pairs)
            report(f"COLD test → 1.4/1.8, {name}", pairs, f"accuracy={accuracy:.3f} macro-F1={macro_f1:.3f}")


def rumours(folder: Path) -> None:
    rows = [json.loads(line) for line in (folder / "labelled/weibo_rumor_CED_sample500.jsonl").open(encoding="utf-8")]
    found = [(row["label_rumor"] == 1, clauses_found(row["text"])) for row in rows]
    report("Weibo rumours → 1.6", [(t, "1.6" in c) for t, c in found])
    report("Weibo rumours → any finding", [(t, bool(c)) for t, c in found])


def spam(folder: Path) -> None:
    rows = [line.rstrip("\n").split("\t", 2) for line in
            (folder / "labelled/sms_spam_ccf2015_sample_LiaoPan.tsv").open(encoding="utf-8") if line.strip()]
    found = [(row[1] == "1", clauses_found(row[2])) for row in rows if len(row) == 3]
    report("SMS spam → 2.2", [(t, "2.2" in c) for t, c in found])
    report("SMS spam → 2.2 or 1.9", [(t, bool(c & {"2.2", "1.9"})) for t, c in found])


def advertising_law(folder: Path) -> None:
    data = json.loads((folder / "advertising_law/absolute_terms_KeyWordsUtil.json").read_text(encoding="utf-8"))
    terms = data.get("all_unique") or sorted({t for group in data["categories"].values() for t in group})
    hits = [any(f.rule == "ad_law" for f in check(f"本店{term}产品，欢迎选购。").findings) for term in terms]
    missed = [t for t, hit in zip(terms, hits, strict=True) if not hit]
    print(f"{'Ad-law absolute terms (recall)':34s} n={len(terms):5d} flagged={sum(hits):4d}  "
          f"recall={sum(hits) / len(terms):5.2f}  missed e.g. {'、'.join(missed[:12])}")
    false = [s for s in NEAR_MISSES if any(f.clause == "1.9" for f in check(s).findings)]
    print(f"{'Ad-law near-miss sentences':34s} n={len(NEAR_MISSES):5d} false positives={len(false)}  "
          f"{'; '.join(false)}")


DOCTEST_CALL = re.compile(r">>> (ric|uscc|luhn)\.validate\('([^']+)'\)")


def doctest_cases(path: Path):
    """(module, number, valid) from ``>>> x.validate('N')`` lines and ``numbers = '''`` blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    module = path.stem.replace("test_", "").replace("cn_", "")
    block = False
    for index, line in enumerate(lines):
        if line.startswith(">>> numbers = '''"):
            block = True
            continue
        if block:
            if line.strip() == "... '''":
                block = False
            elif line.startswith("... ") and line[4:].strip():
                yield module, line[4:].strip(), True
            continue
        match = DOCTEST_CALL.match(line)
        if match and "alphabet" not in line:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            yield match.group(1), match.group(2), not following.startswith("Traceback")


def pii(folder: Path) -> None:
    results: dict[str, list[bool]] = {}
    for name in ("test_cn_ric.doctest", "test_cn_uscc.doctest", "test_luhn.doctest"):
        for module, number, valid in doctest_cases(folder / name):
            rules = {f.rule for f in check(f"号码：{number}。").findings}
            if module == "ric":
                ok = ("pii.id_number" in rules) == valid
            elif module == "uscc":
                ok = not any(r.startswith("pii.") for r in rules)
            else:
                digits = re.sub(r"\D", "", number)
                expected = valid and 16 <= len(digits) <= 19
                ok = ("pii.bank_card" in rules) == expected
            results.setdefault(module, []).append(ok)
    for module, label in (("ric", "PRC ID numbers (valid → found)"), ("uscc", "credit codes (never PII)"),
                          ("luhn", "Luhn numbers (cards 16–19)")):
        oks = results.get(module, [])
        print(f"{'PII ' + label:34s} n={len(oks):5d} correct={sum(oks):4d}  accuracy={sum(oks) / max(len(oks), 1):5.2f}")


OCR_SENTENCES = [
    "本基金稳赚不赔，欢迎咨询", "转发到朋友圈即可领取红包", "第一季度营收同比增长百分之八",
    "添加客服微信领取资料", "集赞满三十个送精美礼品", "今天的市场整体表现平稳",
    "公司年会将于下周五举行", "理财有风险，投资需谨慎", "点击领取专属优惠券", "人力资源管理的三个要点",
]


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def ocr() -> None:
    import io
    import time

    from PIL import Image, ImageDraw, ImageFont

    from wxops.compliance.images import read_image

    font_path = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font_path.exists():
        print("OCR: skipped (no CJK font; apt-get install fonts-noto-cjk)")
        return
    font = ImageFont.truetype(str(font_path), 36)
    errors = characters = kept = expected = 0
    timings = []
    for sentence in OCR_SENTENCES:
        image = Image.new("RGB", (900, 140), (250, 248, 240))
        ImageDraw.Draw(image).text((30, 45), sentence, font=font, fill=(30, 30, 30))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        began = time.perf_counter()
        read = read_image(buffer.getvalue())
        timings.append(time.perf_counter() - began)
        text = read.text.replace("\n", "").replace(" ", "")
        errors += edit_distance(sentence, text)
        characters += len(sentence)
        wanted = {f.text for f in check(sentence).findings}
        expected += len(wanted)
        kept += len(wanted & {f.text for f in check(read.text).findings})
    print(f"{'OCR (RapidOCR PP-OCRv4)':34s} n={len(OCR_SENTENCES):5d} character accuracy={1 - errors / characters:5.3f}  "
          f"first image {timings[0]:.2f} s, then median {sorted(timings[1:])[len(timings[1:]) // 2]:.2f} s  "
          f"findings kept {kept}/{expected}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path,
                        help="the shared data folder, e.g. ../shared/data (holds compliance/)")
    parser.add_argument("--ocr", action="store_true", help="also measure OCR on drawn sentences (~10 s)")
    options = parser.parse_args()
    folder = options.data / "compliance"
    if not folder.is_dir():
        print(f"{folder} does not exist; give the shared data folder, e.g. --data ../shared/data", file=sys.stderr)
        return 2
    print("default rule set (and the shipped model) only; a finding of the family's clauses counts as a "
          "positive prediction; the model reports from probability 0.7\n")
    cold(folder)
    rumours(folder)
    spam(folder)
    advertising_law(folder)
    pii(folder)
    if options.ocr:
        ocr()
    return 0


if __name__ == "__main__":
    sys.exit(main())
