"""Reporting, warning against or quoting a forbidden phrase is not making the claim.

Court news (法院判决 … 虚开增值税专用发票), a tax bureau's or the police's warning (警惕
“稳赚不赔”骗局), a regulator's penalty notice quoting absolute ad terms, a quotation of
Advertising Law art. 9, or a product that no longer promises capital protection (不再保本)
name the forbidden thing without doing it. Such a ``block`` finding is lowered to
``review`` — never further: a person still looks — with the reason in its message.

What keeps this from being a hole: only the sentence holding the finding counts; a
quotation counts only with a word of reporting (所谓, 宣称, 打着 … 旗号); and a sentence
that also makes an offer (加微信, 扫码, 立即, 认购, 名额 …) stays blocked, so a promoter
cannot buy a review by writing 警惕 in front of his own promise.
"""

from __future__ import annotations

import re
from dataclasses import replace

from wxops.compliance.findings import Finding, Severity

#: Families whose findings name a claim or an offer that a report can quote.
LOWERABLE = frozenset({"finance_promise", "crime", "violence", "prohibited", "gambling", "inducing_share", "ad_law",
                       "contact_lure", "spam", "ethnic"})

WARNING = ("警惕", "谨防", "提防", "小心", "防范", "当心", "识破", "揭穿", "揭露", "曝光", "提醒", "风险提示",
           "切勿", "不要相信", "别信", "骗局", "诈骗", "陷阱", "套路", "上当")
REPORT = ("被罚", "罚款", "处罚", "判决", "判处", "宣判", "一审", "二审", "法院", "检察院", "公诉", "被告",
          "犯罪嫌疑人", "涉嫌", "通报", "查处", "查获", "立案", "警方", "公安", "税务局", "税务机关", "税务部门",
          "市场监管", "监管局", "监管部门", "证监会", "人民银行", "广告法", "第九条", "违法", "违规", "虚假宣传",
          "案件", "责令")
REPORTED_SPEECH = ("所谓", "宣称", "声称", "号称", "自称", "打着", "旗号", "话术", "口号", "鼓吹", "吹嘘", "承诺所谓")
NEGATION = re.compile(r"(?:不再|并非|并不|绝不|从不|不会|不能|无法|不得|禁止|严禁|切勿|不要|拒绝|没有|不是|不)"
                      r"(?:再|会|能|可|得|作|做|给予?|提供|承诺|保证|宣传|使用)?[“「『\"‘]?$")
#: An offer in the same sentence: the author is selling, not reporting.
OFFER = ("加微信", "加v", "加V", "+v", "+V", "扫码", "立即", "马上", "抢购", "认购", "下单", "报名", "名额", "限时",
         "私信", "详询", "咨询热线", "联系我们", "欢迎咨询", "点击", "速来", "赶紧", "错过")
_BOUNDARY = re.compile(r"[。！？!?\n]")
_OPEN, _CLOSE = "“「『\"‘《", "”」』\"’》"


def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One search for "does any of ``words`` occur" (the words' own order still picks the cue)."""
    return re.compile("|".join(map(re.escape, words)))


_HAS_OFFER, _HAS_REPORT, _HAS_WARNING, _HAS_REPORTED_SPEECH = map(_any_of, (OFFER, REPORT, WARNING, REPORTED_SPEECH))
#: Any cue at all: most sentences have none, and then only a negation can count.
_HAS_CUE = _any_of(OFFER + REPORT + WARNING + REPORTED_SPEECH)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    low = max(0, start - 300)
    before = max(text.rfind("。", low, start), text.rfind("！", low, start), text.rfind("？", low, start),
                 text.rfind("!", low, start), text.rfind("?", low, start), text.rfind("\n", low, start))
    after = _BOUNDARY.search(text, end, end + 300)
    return before + 1 if before >= 0 else low, after.start() if after else min(len(text), end + 300)


def _quoted(sentence: str, start: int, end: int) -> bool:
    opened = max(sentence.rfind(c, 0, start) for c in _OPEN)
    closed_before = max(sentence.rfind(c, opened + 1, start) for c in _CLOSE) if opened >= 0 else -1
    return opened >= 0 and closed_before < 0 and any(c in sentence[end:] for c in _CLOSE)


def why_not_a_claim(text: str, finding: Finding) -> str:
    """The reason (in words) the finding is reported, warned against, quoted or negated; "" if none."""
    low, high = _sentence(text, finding.start, finding.end)
    sentence = text[low:high]
    start, end = finding.start - low, finding.end - low
    cue = _HAS_CUE.search(sentence) is not None
    if cue and _HAS_OFFER.search(sentence):
        return ""
    if NEGATION.search(sentence[max(0, start - 6):start]):
        return "否定语境（并未作出该表述）"
    if not cue:
        return ""
    for words, present, kind in ((REPORT, _HAS_REPORT, "报道、判决或处罚通报"), (WARNING, _HAS_WARNING, "风险警示")):
        if present.search(sentence):
            cue = next(w for w in words if w in sentence)
            return f"{kind}语境（「{cue}」）"
    if _HAS_REPORTED_SPEECH.search(sentence) and _quoted(sentence, start, end):
        cue = next(w for w in REPORTED_SPEECH if w in sentence)
        return f"引用他人说法（「{cue}」）"
    return ""


def lower_in_context(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` with each ``block`` of :data:`LOWERABLE` that is reported, warned against,
    quoted or negated turned into ``review``, its message saying why (a ``review`` finding in
    such a context stays ``review``; its message names the context for the reviewer)."""
    lowered = []
    for finding in findings:
        if finding.rule in LOWERABLE and finding.severity != Severity.ADVISORY:
            reason = why_not_a_claim(text, finding)
            if reason and finding.severity == Severity.BLOCK:
                finding = replace(finding, severity=Severity.REVIEW,
                                  message=f"{finding.message}；出现在{reason}中，不是在作出该表述，降为人工审核")
            elif reason:
                finding = replace(finding, message=f"{finding.message}；出现在{reason}中，请审核人确认")
        lowered.append(finding)
    return lowered
