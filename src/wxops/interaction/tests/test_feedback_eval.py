"""The core issues find the simulator's planted feedback topics (target ≥ 90 %), and beat counting identical texts."""

from __future__ import annotations

from wxops.interaction.feedback.clustering import Feedback, find_core_issues

from .feedback_planted import exact_text_baseline, score, simulated_windows


def test_planted_topics_appear_as_core_issues_with_a_quote():
    windows = simulated_windows(weeks=4, followers=10000, seed=11)

    found = score(windows)
    baseline = score(windows, exact_text_baseline)

    assert found.planted > 50
    assert found.share >= 0.9, found
    assert found.share > baseline.share + 0.3, (found, baseline)


def test_two_different_questions_are_not_one_issue_and_lone_remarks_are_not_issues():
    texts = ["今年社保缴费基数什么时候调整？", "请问社保缴费基数何时调整", "电子发票怎么报销入账？", "电子发票如何报销入账",
             "融智的服务怎么收费？"]

    issues = find_core_issues([Feedback(text) for text in texts])

    assert sorted(issue.members for issue in issues) == [(0, 1), (2, 3)]
    assert all(issue.questions == 2 and issue.unanswered == 2 for issue in issues)
