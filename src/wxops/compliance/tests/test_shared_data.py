"""Against the shared real-world data when it is there (skipped in a user's clone)."""

import importlib.util
from pathlib import Path

import pytest

from wxops.compliance.engine import check

DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "compliance"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="the shared data folder is not here")


def doctest_cases():
    """The evaluation script's own reader of the doctest files (one parser, not two)."""
    path = Path(__file__).resolve().parents[4] / "benchmarks" / "compliance_eval.py"
    spec = importlib.util.spec_from_file_location("compliance_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("test_cn_ric.doctest", "test_cn_uscc.doctest"):
        yield from module.doctest_cases(DATA / name)


def test_stdnum_id_numbers_and_credit_codes():
    checked = 0
    for module, number, valid in doctest_cases():
        rules = {f.rule for f in check(f"号码：{number}。").findings}
        if module == "ric":
            assert ("pii.id_number" in rules) == valid, number
        else:
            assert not any(rule.startswith("pii.") for rule in rules), number
        checked += 1
    assert checked > 200


def test_no_advertising_law_false_positive_on_the_bbc_article():
    text = (DATA.parent / "pages" / "newspaper_bbczh__chinese.expected.txt").read_text(encoding="utf-8")
    assert [f for f in check(text).findings if f.severity.value != "advisory"] == []
