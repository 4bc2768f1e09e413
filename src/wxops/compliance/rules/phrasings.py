"""What a fixed word list misses because it is said in other words: patterns over the normalised text.

Each pattern is a family of phrasings, not a phrase: 虚开/代开/出售 … 增值税专用发票/专票/
普票; 转发/分享 … 本文/链接/海报 … 朋友圈/微信群 (with or without a reward); a promise of
principal, interest or a fixed return; 集资 with a promised monthly interest; weapons and
explosives offered for sale or taught to make; job adverts that exclude people by region
or ethnicity; a home address down to the building, unit or room (家住…3号楼2单元501室). They run on the normalised text (traditional → simplified, separators and
look-alikes folded), so the evasions the lexicon survives, these survive too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy

from wxops.compliance.findings import Finding, Severity
from wxops.compliance.rules.base import Found, Rule, Subject, findings_at

# Within one clause: no sentence punctuation or line break in between.
_NEAR = "[^。！？!?；;\n]{0,%d}"
_PLACES = ("北京|天津|河北|山西|内蒙古?|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|"
           "海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|台湾|香港|澳门|东北|西北|外地|外省|农村|本地|潮汕|温州")
_ETHNIC = "少数民族|[\u4e00-\u9fff]{1,3}族"
# A home address down to the dwelling: building (3号楼, 5栋, 6幢), unit (2单元), room (501室).
_D = "[0-9一二三四五六七八九十零〇两百]"
_BUILDING = rf"(?<!{_D}){_D}{{1,4}}(?:栋|幢|号楼|座|号院)"
_UNIT = rf"(?<!{_D}){_D}{{1,3}}单元"
_NUMBERED = rf"(?<!{_D}){_D}{{1,5}}(?:室|户|房|号(?![线码])|组|队)"
_ROOM = rf"(?:{_D}{{1,5}}(?:室|户|房)|{_D}{{3,5}}(?!{_D}))"
_DWELLING = rf"(?:{_BUILDING}|{_UNIT}|{_NUMBERED})(?:{_BUILDING}|{_UNIT}|{_NUMBERED}|(?<!{_D}){_D}{{3,5}}(?!{_D}))*"
_LIVES = "家住|住在|家庭住址|家庭地址|现住址|现住|住址|居住地址?|居住在|居住于|家在|收货地址|收件地址"
_RESIDENTIAL = "小区|花园|家园|公寓|新村|社区|宿舍|家属院|家属楼|苑|村|里|庄"


@dataclass(frozen=True)
class Phrasing:
    family: str
    clause: str
    severity: Severity
    pattern: re.Pattern
    message: str
    suggestion: str
    #: Words every match contains: the pattern only runs near them (a clean text costs one scan),
    #: or, on the original text, only if one of them is there.
    anchors: tuple[str, ...] = ()
    #: Run on the original text: what normalising removes is the signal (the + of +V). Such a
    #: pattern's matches start with one of its anchors: it is only tried where one is.
    on_original: bool = False

    def __post_init__(self):
        if self.on_original and not self.anchors:
            raise ValueError(f"a phrasing run on the original text needs its anchors: {self.pattern.pattern}")


def _p(text: str) -> re.Pattern:
    return re.compile(text.replace("{near}", _NEAR % 8).replace("{far}", _NEAR % 16))


PHRASINGS: tuple[Phrasing, ...] = (
    Phrasing("crime", "1.7", Severity.BLOCK, _p(
        r"(?:虚开|代开|代办|代理开具|出售|售卖|倒卖|买卖|购买|收购|伪造|变造|低价开|有偿开|可开|能开|帮开|代为开具)"
        r"(?:各类|各种|全国|正规|真实|普通|增值税|专用|普通|电子|通用|机打|定额|进项|销项)*"
        r"(?:发票|专票|普票|税票|进项票|完税证明)"
        r"|(?:发票|专票|普票|税票)(?:代开|出售|买卖|可开|能开|有偿|低价)"
        r"|(?:骗取|骗)出口退税|(?:偷税|逃税|漏税|避税)(?:方法|技巧|攻略|秘籍|教程|服务)"),
        "涉嫌发票或税务犯罪（虚开、代开、买卖发票，骗税）", "删除该内容；财税服务只可介绍合法的开票与申报",
        ("发票", "专票", "普票", "税票", "进项票", "完税证明", "出口退税", "偷税", "逃税", "漏税", "避税")),
    Phrasing("inducing_share", "2.2", Severity.BLOCK, _p(
        r"(?:转发|分享|转载|发送|发到|发至|晒到|晒至|转到|转至)(?:本文|此文|这篇文章?|该文|文章|本篇|此条|这条|链接|海报|截图|图片|内容)?"
        r"{near}(?:朋友圈|微信群|好友群|[0-9一二三四五六七八九十两几多]+个群|群聊|空间|好友)"
        r"|(?:集|攒|凑)(?:满)?[0-9一二三四五六七八九十百]+个?(?:赞|点赞|在看)"
        r"|(?:点赞|在看|转发|分享)(?:数)?(?:满|超过|达到|够)[0-9一二三四五六七八九十百]+"),
        "诱导分享（微信平台明令禁止，任何措辞都算）", "删除转发、分享、集赞换取奖励或资格的要求",
        ("朋友圈", "群", "空间", "好友", "赞", "在看")),
    Phrasing("finance_promise", "1.9", Severity.BLOCK, _p(
        r"(?:保证|确保|承诺|包|担保|保障)(?:到期|按期|按时|如期|准时|每月|每年)?"
        r"(?:还本付息|还本|付息|本息|兑付|本金|收益|回报|利息|分红|盈利|赚钱|不亏|零亏损|高收益|年化)"
        r"|(?:本金|本息|资金)(?:无忧|无风险|零风险|绝对安全|百分之百安全|100%安全|有保障|保障|保证)"
        r"|(?:零|无|没有|不存在)(?:任何)?(?:风险|亏损)(?:投资|理财|收益|回报)"
        r"|(?:稳|包|只)(?:赚|挣|赢)不(?:赔|亏)|(?:保底|刚性兑付|刚兑)(?:收益|回报|承诺)|(?:承诺|保证|确保)刚性?兑付?"
        r"|(?:每月|每年|按月|月月|每天|日)(?:固定|稳定|保底)?(?:返还?|分红|付息|派息|返利)"
        r"{near}(?:[0-9]+(?:\.[0-9]+)?\s*[%％]|[0-9一二三四五六七八九十]+(?:分|厘)(?:利|息)?)"),
        "金融营销中禁止的收益或保本承诺", "删除收益承诺，并提示「市场有风险，投资需谨慎」",
        ("还本", "付息", "本息", "兑付", "本金", "资金", "收益", "回报", "利息", "分红", "盈利", "赚", "挣", "赢", "不亏", "亏损", "年化", "风险", "保底", "刚兑", "刚性兑付", "%", "％", "分利", "厘")),
    Phrasing("prohibited", "1.9", Severity.BLOCK, _p(
        r"(?:集资|募集资金|筹集资金|众筹|入股|投资入伙|内部认购){far}"
        r"(?:月息|年息|日息|月利|利息|回报率|返利|返息|分红|保本|高息|[0-9]+(?:\.[0-9]+)?\s*[%％]|(?:[0-9一二三四五六七八九十]+)分利)"
        r"|(?:月息|高息|高额回报|高额返利|固定回报){far}(?:集资|募集|众筹|入股|拉人|介绍|发展下线)"
        r"|(?:拉人头|发展下线|推荐返利|介绍费返)"),
        "疑似非法集资（承诺回报的集资、拉人头）", "删除该内容",
        ("集资", "募集资金", "筹集资金", "众筹", "入股", "入伙", "内部认购", "月息", "高息", "高额回报", "高额返利", "固定回报", "拉人头", "发展下线", "推荐返利", "介绍费")),
    Phrasing("crime", "1.7", Severity.BLOCK, _p(
        r"(?:出售|销售|售卖|卖|买卖|代购|批发|零售|网购|求购|有货|现货|出|收|包邮|低价)(?:各类|各种|正品|进口|高仿|全新)?"
        r"{near}(?:管制刀具|弹簧刀|跳刀|蝴蝶刀|三棱刀|军刺|开刃(?:刀|剑)|枪支|仿真枪|气枪|钢珠枪|猎枪|手枪|步枪|火药枪|弓弩|"
        r"子弹|弹药|炸药|雷管|导火索|爆炸物|烟火药|黑火药|催泪瓦斯|电击器)"),
        "买卖武器、管制刀具、爆炸物", "删除该内容",
        ("刀", "剑", "枪", "弓弩", "子弹", "弹药", "炸药", "雷管", "导火索", "爆炸物", "火药", "瓦斯", "电击器")),
    Phrasing("violence", "1.7", Severity.BLOCK, _p(
        r"(?:制作|自制|制造|手工做|diy|组装|改装)(?:简易)?{near}(?:炸药|炸弹|雷管|爆炸物|枪支|土枪|火药枪|燃烧瓶)"
        r"|(?:炸药|炸弹|雷管|爆炸物|枪支|土枪|燃烧瓶)(?:的)?(?:配方|制作方法|做法|教程|图纸)"),
        "教人制作爆炸物或枪支", "删除该内容",
        ("炸药", "炸弹", "雷管", "爆炸物", "枪", "燃烧瓶")),
    Phrasing("ethnic", "1.4", Severity.BLOCK, _p(
        r"(?:只招|仅招|限招|不招|不要|谢绝|拒绝|不收|不考虑|不录用|只要|仅限|限|只收|优先)"
        r"(?:收|录用|录取|招聘|考虑)?(?:" + _PLACES + r")(?:人|籍|户口|户籍|的人|来的)"
        r"|(?:" + _PLACES + r")(?:人|籍)(?:勿扰|免谈|勿投|勿来|不要|不收|不招|除外|谢绝)"
        r"|(?:只招|仅招|限招|不招|不要|谢绝|拒绝|不收|不考虑|不录用|只要|仅限|限)(?:" + _ETHNIC + r")"
        r"|(?:" + _ETHNIC + r")(?:勿扰|免谈|勿投|不要|不收|不招|除外|谢绝)"),
        "招聘中按地域或民族歧视（附件一 1.4；违反《就业促进法》）", "删除地域、民族限制，只写与岗位相关的要求",
        (*_PLACES.replace("?", "").split("|"), "族")),
    Phrasing("pii.address", "2.3", Severity.REVIEW, _p(
        rf"(?:{_LIVES})[:：]?[^。！？!?；;\n，,]{{2,30}}?{_DWELLING}"
        rf"|{_BUILDING}{_UNIT}{_ROOM}?|{_UNIT}{_ROOM}|(?:{_RESIDENTIAL}){_BUILDING}{_ROOM}"),
        "疑似个人住址，具体到楼栋、单元或门牌（附件一 2.3 个人信息）", "删除住址，或只写到区县、街道",
        ("住", "家在", "收货地址", "收件地址", "单元", "栋", "幢", "号楼", "座", "号院")),
    Phrasing("contact_lure", "2.2", Severity.REVIEW, _p(
        r"(?<![a-z0-9])(?:v|vx|wx|wechat|weixin|qq|q)\s?[:：]?\s?(?=[a-z0-9_-]*[0-9])[a-z0-9_-]{5,20}(?![a-z0-9])"),
        "引导添加联系方式（微信号、QQ 号，骚扰、垃圾广告）", "删除私下联系方式的引导",
        ("v", "wx", "wechat", "weixin", "q")),
    Phrasing("contact_lure", "2.2", Severity.REVIEW, re.compile(r"[+＋➕]\s?(?:[vV]|[vVwW][xX]|微信?|薇|[qQ])(?![a-zA-Z])"),
             "引导添加联系方式（+V、+微，骚扰、垃圾广告）", "删除私下联系方式的引导", ("+", "＋", "➕"), on_original=True),
)


#: Characters around an anchor that a match may reach.
REACH = 48


@dataclass(frozen=True)
class _Anchors:
    """The anchor words, indexed for finding them all (overlapping ones too) with array operations."""

    first: numpy.ndarray  # per code point: is it the first character of an anchor?
    second: numpy.ndarray  # per code point: is it the second character of an anchor?
    single: dict[int, list[int]]  # a one-character anchor's code point → the phrasings it anchors
    prefixes: numpy.ndarray  # sorted keys of the first two characters of the longer anchors
    by_prefix: dict[int, list[tuple[str, list[int]]]]  # such a key → (anchor, the phrasings it anchors)


def _key(first: int, second: int) -> int:
    return (first << 21) | second


@lru_cache(maxsize=1)
def _anchors() -> _Anchors:
    words = sorted({anchor for phrasing in PHRASINGS if not phrasing.on_original for anchor in phrasing.anchors})
    owners = {word: [i for i, p in enumerate(PHRASINGS) if word in p.anchors] for word in words}
    first = numpy.zeros(0x110000, dtype=bool)
    first[[ord(word[0]) for word in words]] = True
    second = numpy.zeros(0x110000, dtype=bool)
    second[[ord(word[1]) for word in words if len(word) > 1]] = True
    by_prefix: dict[int, list[tuple[str, list[int]]]] = {}
    for word in words:
        if len(word) > 1:
            by_prefix.setdefault(_key(ord(word[0]), ord(word[1])), []).append((word, owners[word]))
    single = {ord(word): owners[word] for word in words if len(word) == 1}
    return _Anchors(first, second, single, numpy.array(sorted(by_prefix), dtype=numpy.uint64), by_prefix)


def windows(text: str, codes: numpy.ndarray | None = None) -> list[list[tuple[int, int]]]:
    """For each phrasing, the merged ``[start, end)`` windows around its anchors in ``text``
    (``codes``: its code points, when the caller has them).

    Every occurrence of every anchor counts, overlapping ones too. The characters that can
    start an anchor are found with one table lookup, and only those whose next character
    continues one are read in Python (a Chinese text has few)."""
    anchors = _anchors()
    if codes is None:
        codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    size = len(codes)
    at = numpy.flatnonzero(anchors.first[codes])
    firsts = codes[at]
    found = numpy.isin(firsts, numpy.array(list(anchors.single), dtype=numpy.uint32))
    # A longer anchor: its first two characters, the second tested first (few characters are).
    pair = numpy.flatnonzero(at + 1 < size)
    pair = pair[anchors.second[codes[at[pair] + 1]]]
    if len(pair) and len(anchors.prefixes):
        keys = (firsts[pair].astype(numpy.uint64) << numpy.uint64(21)) | codes[at[pair] + 1].astype(numpy.uint64)
        index = numpy.minimum(numpy.searchsorted(anchors.prefixes, keys), len(anchors.prefixes) - 1)
        found[pair[anchors.prefixes[index] == keys]] = True
    at, firsts = at[found], firsts[found]
    seconds = codes[numpy.minimum(at + 1, size - 1)] if size else firsts
    keys = (firsts.astype(numpy.uint64) << numpy.uint64(21)) | seconds.astype(numpy.uint64)
    spans: list[list[tuple[int, int]]] = [[] for _ in PHRASINGS]
    for start, first, key in zip(at.tolist(), firsts.tolist(), keys.tolist(), strict=True):
        for owner in anchors.single.get(first, ()):
            spans[owner].append((max(0, start - REACH), min(size, start + 1 + REACH)))
        for word, owners in anchors.by_prefix.get(key, ()):
            if text.startswith(word, start):
                for owner in owners:
                    spans[owner].append((max(0, start - REACH), min(size, start + len(word) + REACH)))
    return [_merged(found) for found in spans]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1]:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


class PhrasingRule(Rule):
    """Every :data:`PHRASINGS` pattern; the finding's rule is the pattern's family."""

    name = "phrasing"
    clause = "1.9"

    def find(self, subject: Subject) -> list[Finding]:
        text = subject.text
        found: list[Found] = []
        on_original: list[Finding] = []
        for phrasing, spans in zip(PHRASINGS, windows(text, subject.normalised.code_points()), strict=True):
            if phrasing.on_original:
                on_original += self._on_original(subject, phrasing)
                continue
            said = (phrasing.family, phrasing.clause, phrasing.severity, f"{phrasing.message}（附件一 {phrasing.clause}）",
                    phrasing.suggestion)
            spans_found = {m.span() for low, high in spans for m in phrasing.pattern.finditer(text, low, high)}
            found += [(start, end, *said) for start, end in sorted(spans_found)]
        return findings_at(subject, found) + on_original

    @staticmethod
    def _on_original(subject: Subject, phrasing: Phrasing) -> list[Finding]:
        original = subject.original
        message = f"{phrasing.message}（附件一 {phrasing.clause}）"
        return [Finding(phrasing.family, phrasing.clause, phrasing.severity, match.start(), match.end(), match.group(),
                        message, phrasing.suggestion) for match in _matches_at_anchors(phrasing, original)]


def _matches_at_anchors(phrasing: Phrasing, text: str):
    """What ``phrasing.pattern.finditer(text)`` finds, for a pattern whose matches start with one of
    its anchors: tried only where one is (found with ``str.find``, not the regex engine stepping
    through a long text)."""
    places = []
    for anchor in phrasing.anchors:
        at = text.find(anchor)
        while at >= 0:
            places.append(at)
            at = text.find(anchor, at + 1)
    resume = 0
    for at in sorted(places):
        if at >= resume and (match := phrasing.pattern.match(text, at)) is not None:
            resume = match.end()
            yield match
