"""Chinese tokens and keywords with jieba, loaded once per process.

jieba keeps its prefix dictionary cache in the temp folder; loading takes ~0.7 s the
first time. Domain words the company writes about every day are added so that they stay
whole (公众号, 人力资源, 融智 …).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

import jieba

DOMAIN_WORDS = (
    "公众号", "人力资源", "人力资源管理", "企业管理", "财务管理", "融智", "社保", "个税", "汇算清缴",
    "劳动合同", "绩效考核", "薪酬", "股权激励", "现金流", "增值税", "企业所得税", "数字化转型",
    "灵活用工", "用工风险", "内部控制", "预算管理", "融资", "高新技术企业", "专精特新",
)
_STOP = frozenset(
    ["的", "了", "和", "是", "在", "也", "与", "及", "等", "对", "把", "被", "将", "就", "都", "而", "或", "并", "又", "及其", "以及", "其", "这", "那", "之", "为", "于", "从", "向", "给", "让", "由", "我", "你", "他", "她", "它", "我们", "你们", "他们", "一个", "一些", "这个", "那个", "可以", "已经", "进行", "表示", "通过", "没有", "还", "要", "会", "能", "上", "中", "下", "个", "年", "月", "日", "有", "不", "人", "说", "到", "着", "吗", "呢", "吧", "啊"]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_lock = threading.Lock()
_ready = False


def _ensure_loaded() -> None:
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word, freq=20000)
        _ready = True


def tokens(text: str) -> list[str]:
    """Content tokens of ``text``: jieba words, lower-cased, without punctuation and stop words."""
    return list(_cached_tokens(text))


@lru_cache(maxsize=2048)
def _cached_tokens(text: str) -> tuple[str, ...]:
    # Cached because one ingestion tokenises the same text for the MinHash signature,
    # the classifier and the keywords: segmentation is the most expensive step.
    _ensure_loaded()
    return tuple(
        word
        for word in (w.strip().lower() for w in jieba.lcut(text))
        if word and word not in _STOP and _WORD.search(word)
    )


def analyser(text: str) -> list[str]:
    """scikit-learn ``analyzer`` callable: the tokens of :func:`tokens`."""
    return list(_cached_tokens(text))


def keywords(text: str, limit: int = 8) -> list[str]:
    """The ``limit`` most characteristic words of ``text``: TF × IDF with jieba's bundled IDF table."""
    import jieba.analyse  # 0.8 s to import (part-of-speech tables): only for keywords, not to classify

    _ensure_loaded()
    idf, median = jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf
    counts: dict[str, int] = {}
    for word in _cached_tokens(text):
        if len(word) > 1 and not word.isdigit() and not word.replace(".", "").isdigit():
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=lambda word: (-counts[word] * idf.get(word, median), word))
    return ranked[:limit]
