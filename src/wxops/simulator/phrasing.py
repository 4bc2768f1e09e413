"""Natural variation for simulated followers' words: the profile's texts, rephrased.

A follower rarely types the exact sentence of a feedback topic. Each message keeps the
topic's meaning and varies its greeting, wording, punctuation and sign-off, so that the
inbox and the analysis see realistic, non-identical texts.
"""

from __future__ import annotations

import random

GREETINGS = ("", "", "", "您好，", "你好，", "老师好，", "请问一下，", "打扰一下，", "想咨询一下：", "hi，")
SIGN_OFFS = ("", "", "", "谢谢！", "谢谢", "麻烦回复一下", "急", "～", "多谢", "期待回复")
SYNONYMS = {
    "什么时候": ("何时", "啥时候", "什么时候"),
    "怎么": ("如何", "怎样", "怎么"),
    "可以": ("能", "可以", "能否"),
    "需要": ("要", "需要"),
    "公司": ("单位", "公司", "我们公司"),
    "员工": ("职工", "员工"),
    "多少": ("多少", "几多"),
}
PRAISE = ("写得很好", "有用，收藏了", "学习了", "干货！", "感谢分享", "很实用", "讲得清楚", "转给同事看看")


def vary(text: str, draw: random.Random) -> str:
    body = text.strip()
    for word, choices in SYNONYMS.items():
        if word in body and draw.random() < 0.35:
            body = body.replace(word, draw.choice(choices), 1)
    roll = draw.random()
    if roll < 0.2:
        body = body.rstrip("？?。！!") + "?"
    elif roll < 0.35:
        body = body.rstrip("？?。！!")
    greeting = draw.choice(GREETINGS)
    if greeting.startswith("请问") and body.startswith("请问"):
        greeting = ""
    sign_off = draw.choice(SIGN_OFFS)
    if sign_off and body and body[-1] not in "？?。！!～":
        sign_off = "，" + sign_off
    return f"{greeting}{body}{sign_off}"


def comment(texts: tuple[str, ...], draw: random.Random) -> str:
    """A comment: mostly a question from the topics when there are any, else a short reaction."""
    if texts and draw.random() < 0.7:
        return vary(draw.choice(texts), draw)
    return draw.choice(PRAISE)
