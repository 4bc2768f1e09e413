"""Lexicons in the database, per account with a global default; decisions; import/export."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from wxops.compliance import actions
from wxops.compliance.findings import Verdict
from wxops.compliance.models import Decision, FindingDecision, Lexicon, Term


def rules_of(report):
    return [(f.clause, f.rule, f.text) for f in report.findings]


def test_the_default_lexicon_is_loaded_and_used(default_lexicon):
    assert default_lexicon.terms.count() > 400
    assert rules_of(actions.check_text("稳赚不赔")) == [("1.9", "finance_promise", "稳赚不赔")]


@pytest.mark.django_db
def test_an_accounts_own_terms_apply_to_that_account_only(account, other_account):
    own = Lexicon.objects.create(name="竞品", account=account)
    Term.objects.create(lexicon=own, term="友商财务", clause="3", severity="block", family="company")
    assert rules_of(actions.check_text("推荐友商财务", account)) == [("3", "company", "友商财务")]
    assert actions.check_text("推荐友商财务", other_account).findings == ()
    assert actions.check_text("推荐友商财务").findings == ()


@pytest.mark.django_db
def test_edits_reach_the_next_check_through_the_cache(account):
    own = Lexicon.objects.create(name="内部", account=account)
    assert actions.check_text("项目甲子", account).findings == ()
    Term.objects.create(lexicon=own, term="项目甲子", clause="3", severity="review", family="company")
    assert rules_of(actions.check_text("项目甲子", account)) == [("3", "company", "项目甲子")]
    own.allowed_phrases.create(phrase="项目甲子")
    assert actions.check_text("项目甲子", account).findings == ()


@pytest.mark.django_db
def test_an_allowlisted_address_is_not_reported_as_personal_information(account):
    own = Lexicon.objects.create(name="本公司", account=account)
    own.allowed_phrases.create(phrase="service@zhongheng.example.com", note="our own service address")
    assert actions.check_text("联系 service@zhongheng.example.com", account).findings == ()
    assert [f.rule for f in actions.check_text("联系 li@zhongheng.example.com", account).findings] == ["pii.email"]


def test_with_every_lexicon_switched_off_the_builtin_default_still_applies(default_lexicon):
    Lexicon.objects.update(active=False)
    assert actions.check_text("稳赚不赔").verdict == Verdict.BLOCK


@pytest.mark.django_db
def test_import_csv_and_lines_then_export(account, administrator):
    lexicon = Lexicon.objects.create(name="导入", account=account)
    count = actions.import_terms(administrator, lexicon, "term,clause,severity\n友商A,3,block\n友商B,3,review\n")
    assert count == 2
    actions.import_terms(administrator, lexicon, "# comment\n代号X\n", clause="3", severity="advisory")
    assert lexicon.version == 3
    assert actions.export_terms(lexicon, as_csv=False) == "代号X\n友商A\n友商B\n"
    assert actions.export_terms(lexicon).splitlines()[:2] == ["term,clause,severity,family,pinyin,suggestion",
                                                              "代号X,3,advisory,custom,0,"]
    assert ModelLogEntry.objects.filter(action="wxops.compliance.import", object_id=str(lexicon.pk)).count() == 2


@pytest.mark.django_db
def test_import_names_the_bad_line(administrator):
    lexicon = Lexicon.objects.create(name="坏")
    with pytest.raises(ValidationError, match="line 3: clause '7.7'"):
        actions.import_terms(administrator, lexicon, "term,clause,severity\n好,3,review\n坏,7.7,block\n")
    with pytest.raises(ValidationError, match="must be block, review or advisory"):
        actions.import_terms(administrator, lexicon, "词,3,fatal\n")
    assert lexicon.terms.count() == 0


def article(**fields):
    values = {"pk": None, "title": "", "author": "", "digest": "", "body": "", "cover": None, "account": None}
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.django_db
def test_check_document_reports_each_part_with_its_own_offsets():
    result = actions.check_document(article(title="最佳理财", digest="点击领取",
                                            body='<p>转发到朋友圈</p><img src="x.png" alt="加微信">'))
    assert [(field, f.clause, f.text, f.start) for field, f, _d in result.findings()] == [
        ("title", "1.9", "最佳", 0), ("digest", "2.2", "点击领取", 0),
        ("body", "2.2", "转发到朋友圈", 0), ("body", "2.2", "加微信", 11),
    ]
    assert result.part("body").report.text == "转发到朋友圈\n[图片 加微信]"
    assert result.verdict == Verdict.BLOCK


@pytest.mark.django_db
def test_override_needs_an_administrator_and_a_reason_and_is_audited(account, administrator, reviewer):
    from wxops.accounts.models import Category

    subject = Category.objects.create(account=account, name="测试")  # any saved model can carry decisions
    finding = actions.check_text("稳赚不赔").findings[0]
    with pytest.raises(PermissionDenied):
        actions.decide(reviewer, subject, "body", finding, Decision.OVERRIDDEN, "引用监管通报原文")
    with pytest.raises(ValidationError, match="不能仅确认"):
        actions.decide(reviewer, subject, "body", finding, Decision.ACKNOWLEDGED, "引用监管通报原文")
    with pytest.raises(ValidationError, match="理由"):
        actions.decide(administrator, subject, "body", finding, Decision.OVERRIDDEN, " ")
    assert FindingDecision.objects.count() == 0
    actions.decide(administrator, subject, "body", finding, Decision.OVERRIDDEN, "引用监管通报原文")
    entry = ModelLogEntry.objects.get(action="wxops.compliance.override", object_id=str(subject.pk))
    assert entry.data["reason"] == "引用监管通报原文" and entry.data["clause"] == "1.9"
    assert actions.decisions_for(subject) == {("body", finding.fingerprint): "overridden"}


@pytest.mark.django_db
def test_decisions_change_the_document_verdict(account, administrator, reviewer):
    from wxops.accounts.models import Category

    subject = Category.objects.create(account=account, name="测试")
    doc = SimpleNamespace(pk=subject.pk, title="", author="", digest="", body="<p>同类最佳，稳赚不赔</p>",
                          cover=None, account=account, _meta=subject._meta)
    first = actions.check_document(doc)
    assert first.verdict == Verdict.BLOCK
    best, promise = [f for _field, f, _d in first.findings()]
    actions.decide(administrator, subject, "body", promise, Decision.OVERRIDDEN, "这是监管案例引用")
    doc_after = actions.check_document(subject_proxy(subject, doc))
    assert doc_after.verdict == Verdict.REVIEW
    actions.decide(reviewer, subject, "body", best, Decision.ACKNOWLEDGED, "引用原文，已核实")
    assert actions.check_document(subject_proxy(subject, doc)).verdict == Verdict.PASS


def subject_proxy(subject, doc):
    """The Category stands in for an article: same pk and content type, the document's text."""
    for name in ("title", "author", "digest", "body", "cover", "account"):
        setattr(subject, name, getattr(doc, name))
    return subject
