"""Offensive language that has no fixed words (1.4, 1.8): the trained classifier, sentence by sentence.

Each sentence the model scores as offensive becomes a ``review`` finding — never
``block``: a model can be wrong, a person decides. The finding quotes the sentence and names
clause 1.4 when the attack is on a region or a race (地域、种族歧视) and 1.8 when it is on a
gender or a person (侮辱). See :mod:`wxops.compliance.classifier`.
"""

from __future__ import annotations

import re

from wxops.compliance.classifier import classifier
from wxops.compliance.findings import Severity
from wxops.compliance.rules.base import Rule, Subject

#: Probability from which a sentence is reported. 0.5 is where COLD's accuracy is measured;
#: higher, fewer ordinary sentences reach a reviewer (see docs/compliance.md).
THRESHOLD = 0.7
#: Sentences end at these; longer stretches are cut at commas, at most this long.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_CLAUSE_PART = re.compile(r"[^，,]+[，,]?")
LONGEST = 160
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: House rules about civility (请勿骂人) name the offence without committing it; the n-gram
#: model cannot tell, so sentences with these words are left to the lexicon.
CIVILITY = ("请勿", "切勿", "文明用语", "文明上网", "文明发言", "不得辱骂", "禁止辱骂", "禁止人身攻击", "拒绝网络暴力")
TARGETS = {"region": ("1.4", "地域"), "race": ("1.4", "种族或民族"), "gender": ("1.8", "性别")}


def sentences(text: str):
    """``(start, end)`` of each sentence of ``text`` with at least four Chinese characters."""
    for match in _SENTENCE.finditer(text):
        spans = [match.span()]
        if match.end() - match.start() > LONGEST:
            spans = [(match.start() + m.start(), match.start() + m.end())
                     for m in _CLAUSE_PART.finditer(match.group())]
        for start, end in spans:
            if len(_HAN.findall(text, start, end)) >= 4:
                yield start, end


class OffensiveLanguageRule(Rule):
    name = "model.offensive"
    clause = "1.8"

    def find(self, subject: Subject):
        text = subject.text
        spans = []
        for start, end in sentences(text):
            while end > start and text[end - 1] in " \t":
                end -= 1
            if not any(word in text[start:end] for word in CIVILITY):
                spans.append((start, end))
        scores = classifier().score_many([text[start:end] for start, end in spans])
        for (start, end), score in zip(spans, scores, strict=True):
            if score.offensive < THRESHOLD:
                continue
            clause, whom = TARGETS.get(score.target, ("1.8", "他人"))
            yield self.finding(
                subject, start, end, severity=Severity.REVIEW, clause=clause,
                message=f"疑似攻击、歧视或侮辱{whom}的言论（模型判断，把握 {score.offensive:.0%}；"
                        f"附件一 {clause}），请审核人判断",
                suggestion="核实后改用中性、客观的表述，或删除该句")
