"""Every clause fires on its own examples, stays quiet on near-misses, and sees through evasions."""

import pytest
from stdnum import luhn
from stdnum.cn import ric

from wxops.compliance.engine import check
from wxops.compliance.findings import Severity, Verdict


def found(text):
    return [(f.clause, f.rule, f.text, f.severity.value) for f in check(text).findings]


POSITIVES = [
        ("有人号召废除宪法。", "1.1", "politics", "废除宪法", "block"),
        ("他们密谋颠覆国家政权。", "1.2", "politics", "颠覆国家政权", "block"),
        ("视频里有人焚烧国旗。", "1.3", "politics", "焚烧国旗", "block"),
        ("这是在煽动民族仇恨。", "1.4", "ethnic", "民族仇恨", "block"),
        ("欢迎修炼法轮功。", "1.5", "cult", "法轮功", "block"),
        ("紧急扩散！明天停水。", "1.6", "rumour", "紧急扩散", "review"),
        ("最新六合彩开奖结果。", "1.7", "gambling", "六合彩", "block"),
        ("教你制作炸药。", "1.7", "violence", "制作炸药", "block"),
        ("这个人就是个傻逼。", "1.8", "insult", "傻逼", "review"),
        ("本品是同类最佳之选。", "1.9", "ad_law", "最佳", "review"),
        ("我们是国内第一品牌。", "1.9", "ad_law", "第一品牌", "review"),
        ("这个理财稳赚不赔。", "1.9", "finance_promise", "稳赚不赔", "block"),
        ("承诺保本保息，年年分红。", "1.9", "finance_promise", "保本保息", "block"),
        ("深夜福利请看这里。", "2.1", "sexual", "深夜福利", "review"),
        ("有意者请加微信详谈。", "2.2", "contact_lure", "加微信", "review"),
        ("请转发到朋友圈领取礼品。", "2.2", "inducing_share", "转发到朋友圈", "block"),
        ("集赞满50个可参与。", "2.2", "inducing_share", "集赞", "block"),
        ("分享后领取电子书。", "2.2", "inducing_share", "分享后领取", "block"),
        ("点击领取你的红包。", "2.2", "spam", "点击领取", "review"),
        ("专业刷阅读量，价格优惠。", "2.4", "interference", "刷阅读量", "review"),
        ("附件是内部资料。", "3", "company", "内部资料", "review"),
]


@pytest.mark.parametrize(("text", "clause", "rule", "term", "severity"), POSITIVES)
def test_each_clause_fires_with_its_clause_and_severity(text, clause, rule, term, severity):
    assert found(text) == [(clause, rule, term, severity)]


@pytest.mark.parametrize(
    "text",
    [
        "最近市场波动较大。",
        "第一季度营收增长。",
        "这是我第一次参加年会。",
        "最后一天报名。",
        "全国第一次经济普查结果公布。",
        "该地区获批国家级新区。",
        "本产品不保本，投资需谨慎。",
        "资管新规要求打破刚性兑付。",
        "无风险利率下行，债券走强。",
        "公司持续加强反洗钱工作。",
        "增加微小企业贷款投放。",
        "我妈妈的生日在下周。",
        "固体废物处理行业分析。",
        "今天天气很好，我们去公园。",
        "欢迎加入我们的VIP会员，请增加vip权益。",
        "发行人统一社会信用代码：91110000600037341L。",
        "全面依宪法治国。",  # 1.1 宪法 alone is not 废除宪法
        "加强国家安全教育。",  # 1.2
        "齿轮功能完好。",  # 1.5 not 法轮功
        "公安机关严厉打击赌博。",  # 1.7 allowlisted
        "文明用语，请勿骂人。",  # 1.8
        "刷新页面即可看到最新公告。",  # 2.4 not 刷粉/刷阅读
        "完善内部控制制度。",  # 3 not 内部资料
    ],
)
def test_near_misses_do_not_fire(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["六合彩", "六*合*彩", "六 合 彩", "六.合.彩", "六\u200b合\u200b彩", "六合綵", "liuhecai", "liu he cai", "六he彩",
     "六合彩\ufeff", "六—合—彩", "六🎲合彩"],
)
def test_evasions_are_seen_through(text):
    report = check(text)
    assert [(f.clause, f.start, f.end, f.text) for f in report.findings] == [("1.7", 0, len(text.rstrip("\ufeff")),
                                                                             text.rstrip("\ufeff"))]


def test_traditional_full_width_and_homoglyph_evasions():
    assert found("穩賺不賠") == [("1.9", "finance_promise", "穩賺不賠", "block")]
    assert found("请加ＶＸ联系") == [("2.2", "contact_lure", "加ＶＸ", "review")]
    assert found("加Vх详聊") == [("2.2", "contact_lure", "加Vх", "review")]  # Cyrillic х
    assert found("转 发 到 朋 友 圈") == [("2.2", "inducing_share", "转 发 到 朋 友 圈", "block")]


def test_offsets_point_into_the_original_text():
    text = "前言。\n本基金稳*赚*不*赔，欢迎咨询。"
    finding = check(text).findings[0]
    assert (finding.start, finding.end) == (7, 14)
    assert text[finding.start:finding.end] == "稳*赚*不*赔"


def valid_id(prefix="11010519900307"):
    base = prefix + "123"
    return base + ric.calc_check_digit(base + "0")


def test_id_number_with_valid_checksum_is_masked():
    number = valid_id()
    report = check(f"客户身份证{number}已登记")
    assert [(f.rule, f.clause, f.severity, f.text, f.suggestion) for f in report.findings] == [
        ("pii.id_number", "2.3", Severity.BLOCK, number, number[:6] + "********" + number[-4:])
    ]


def test_id_number_with_a_wrong_check_digit_is_not_reported():
    number = valid_id()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    assert [f.rule for f in check(f"编号{wrong}").findings if f.rule == "pii.id_number"] == []


def test_mobile_bank_card_and_email():
    card = "622202123456789"
    card += luhn.calc_check_digit(card)
    grouped = " ".join(card[i:i + 4] for i in range(0, 16, 4))
    report = check(f"电话：138-1234-5678；卡号：{grouped}；邮箱：li.lei@example.com")
    assert [(f.rule, f.text, f.suggestion) for f in report.findings] == [
        ("pii.mobile", "138-1234-5678", "138****5678"),
        ("pii.bank_card", grouped, "622202******" + card[-4:]),
        ("pii.email", "li.lei@example.com", "l***@example.com"),
    ]


def test_a_number_failing_luhn_is_not_a_bank_card():
    assert check("订单号 6222021234567890").findings == ()


def test_external_link_but_not_wechat_itself():
    report = check("详情见 https://spam.example.top/a?b=1 或 https://mp.weixin.qq.com/s/xyz")
    assert [(f.rule, f.clause, f.text) for f in report.findings] == [
        ("external_link", "2.2", "https://spam.example.top/a?b=1")
    ]


def test_verdict_is_the_worst_severity():
    assert check("今天天气很好").verdict == Verdict.PASS
    assert check("这是唯一的办法").verdict == Verdict.PASS  # advisory only
    assert check("同类最佳").verdict == Verdict.REVIEW
    assert check("同类最佳，稳赚不赔").verdict == Verdict.BLOCK


def test_allowlist_drops_a_non_lexicon_finding():
    report = check("联系 service@ourcompany.com", allowlist=["service@ourcompany.com"])
    assert report.findings == ()


def test_report_json_shape():
    data = check("稳赚不赔").as_dict()
    assert data == {"verdict": "block", "findings": [{
        "rule": "finance_promise", "clause": "1.9", "severity": "block", "start": 0, "end": 4, "text": "稳赚不赔",
        "message": data["findings"][0]["message"], "suggestion": "删除收益承诺，并提示「市场有风险，投资需谨慎」",
    }]}
    assert "1.9" in data["findings"][0]["message"]


def test_country_domains_are_whole_links_and_file_names_are_not_links():
    assert [f.text for f in check("见 bbc.co.uk/zhongwen 与 report.txt、3.14").findings] == ["bbc.co.uk/zhongwen"]


@pytest.mark.parametrize(("text", "term"), [("这些阿三又来了", "阿三"), ("你就是个白痴", "白痴")])
def test_slurs_and_insults(text, term):
    assert [(f.clause, f.text) for f in check(text).findings][0][1] == term


def evasions(term):
    spaced = " ".join(term)
    starred = "*".join(term)
    invisible = "\u200b".join(term)
    import opencc

    traditional = opencc.OpenCC("s2t").convert(term)
    return [spaced, starred, invisible, traditional]


@pytest.mark.parametrize(("text", "clause", "rule", "term", "severity"), POSITIVES)
def test_each_clause_sees_through_evasions(text, clause, rule, term, severity):
    for variant in evasions(term):
        evaded = text.replace(term, variant)
        assert (clause, rule, variant) in [(f.clause, f.rule, f.text) for f in check(evaded).findings], evaded
