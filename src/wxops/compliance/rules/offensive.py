"""Offensive language that has no fixed words (1.4, 1.8): the trained classifier, sentence by sentence.

Each sentence the model scores as offensive becomes a ``review`` finding — never
``block``: a model can be wrong, a person decides. The finding quotes the sentence and names
clause 1.4 when the attack is on a region or a race (地域、种族歧视) and 1.8 when it is on a
gender or a person (侮辱). See :mod:`wxops.compliance.classifier`.

A warning or a report is not an attack: an n-gram model trained on COLD reads 诈骗, 骗局,
警方提醒 or a quoted 「稳赚不赔」 as signs of offence (诈骗 alone scores 0.97), so a police
warning against "稳赚不赔" investments scored 0.90. A sentence the model flags is scored
again without the words that make it a warning or a report (:mod:`~wxops.compliance.context`'s
warning and report words) and without the lexicon's terms of claims, offers and schemes (稳赚不赔, 代开发票,
杀猪盘 — the lexicon reports those itself, lowered in such a context); it is reported only if
it still scores as offensive. An attack stays one: 警方提醒：河南人都是骗子 keeps its finding.
"""

from __future__ import annotations

import re

from wxops.compliance import context
from wxops.compliance.classifier import classifier
from wxops.compliance.findings import Severity
from wxops.compliance.lexicon import CompiledLexicon
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
#: The words that make a sentence a warning or a report (警方, 提醒, 谨防, 诈骗, 法院 …). Not the
#: words of reported speech: 所谓 is as often a sneer (所谓的女权) as a quotation.
_CONTEXT_WORDS = re.compile("|".join(map(re.escape, sorted(set(context.WARNING + context.REPORT), key=len, reverse=True))))
#: Lexicon families whose terms are a claim, an offer or a scheme, never an attack on people (not
#: the ad-law family: 绝对, 无敌 are as often said of people).
CLAIM_FAMILIES = frozenset({"finance_promise", "crime", "prohibited", "gambling", "inducing_share", "contact_lure",
                            "spam"})


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
        model = classifier()
        scores = model.score_many([text[start:end] for start, end in spans])
        flagged = [(span, score) for span, score in zip(spans, scores, strict=True) if score.offensive >= THRESHOLD]
        flagged = _without_warning_words(text, flagged, subject.lexicon, model)
        for (start, end), score in flagged:
            clause, whom = TARGETS.get(score.target, ("1.8", "他人"))
            yield self.finding(
                subject, start, end, severity=Severity.REVIEW, clause=clause,
                message=f"疑似攻击、歧视或侮辱{whom}的言论（模型判断，把握 {score.offensive:.0%}；"
                        f"附件一 {clause}），请审核人判断",
                suggestion="核实后改用中性、客观的表述，或删除该句")


def without_warning_words(sentence: str, lexicon: CompiledLexicon) -> str:
    """``sentence`` (normalised) with the cue words of a warning or report and the lexicon's claim
    terms each replaced by a space."""
    claims = [(start, end) for entry, start, end in lexicon.scan(sentence) if entry.term.family in CLAIM_FAMILIES]
    for start, end in reversed(claims):
        sentence = f"{sentence[:start]} {sentence[end:]}"
    return _CONTEXT_WORDS.sub(" ", sentence)


def _without_warning_words(text: str, flagged, lexicon: CompiledLexicon, model):
    """The flagged ``((start, end), score)`` that still score as offensive without the words of a
    warning or report (:func:`without_warning_words`); their scores are the second ones."""
    kept, again = [], []
    for (start, end), score in flagged:
        sentence = text[start:end]
        rest = without_warning_words(sentence, lexicon)
        if rest == sentence:
            kept.append(((start, end), score))
        elif len(_HAN.findall(rest)) >= 4:
            again.append(((start, end), rest))
    rescored = model.score_many([rest for _span, rest in again])
    kept += [(span, score) for (span, _rest), score in zip(again, rescored, strict=True) if score.offensive >= THRESHOLD]
    return sorted(kept, key=lambda item: item[0])
