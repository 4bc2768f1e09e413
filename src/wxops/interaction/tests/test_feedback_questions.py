"""A follower's text said as the question it asks: one helper (clustering.question_of) for the Q&A
compilation's frequent questions, the fortnightly report's and the director's open questions."""

from wxops.interaction.feedback.clustering import as_question, question_of


def test_a_question_is_said_in_its_words_with_one_question_mark():
    assert question_of("您好，请问年假没休完能折算工资吗？？多谢") == "年假没休完能折算工资吗？"
    assert question_of("发票怎么开?") == "发票怎么开？"
    assert question_of("  社保基数什么时候调整  ") == "社保基数什么时候调整？"


def test_punctuation_alone_is_one_question_mark_however_it_is_reached():
    """The report wrote core_text(t) or t, then its own ？: a follower's bare ？？ became ？？？, while
    as_question (the core issues' titles) said ？."""
    for text in ("？", "？？", "?", " ？? "):
        assert question_of(text) == as_question(text.strip()) == "？"
    assert question_of("。。。") == "。。。？"  # what is not a question mark stays the follower's


def test_as_question_keeps_the_words_and_ends_in_exactly_one_question_mark():
    assert as_question("年假怎么休") == as_question("年假怎么休？?") == "年假怎么休？"
