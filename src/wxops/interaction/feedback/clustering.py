"""Core issues: a window's feedback grouped by meaning, ranked by volume and tone, with quotes.

Pure Python and scikit-learn, no Django, so the evaluation (``benchmarks/feedback_topics.py``)
runs it on thousands of simulated windows::

    issues = find_core_issues([Feedback("社保基数什么时候调整？"), Feedback("请问社保基数何时调整")])
    issues[0].volume == 2

How: each text loses its greeting and sign-off (您好 … 谢谢), common synonyms are folded
(何时/啥时候 → 什么时候, 如何 → 怎么 …), jieba cuts it into words; TF-IDF over words and
character bigrams, then average-linkage clustering on cosine distance with a threshold.
Short praise without a question (学习了, 很实用 …) is one group of its own: those
texts share no words, but to the director they are one thing — readers liked it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import jieba
import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

jieba.setLogLevel(60)

#: Cosine distance under which two groups are merged (tuned on the planted topics, see docs/interaction.md).
DISTANCE_THRESHOLD = 0.8
#: A core issue needs at least this many texts; lone remarks are counted, not listed.
MIN_VOLUME = 2
MAX_ISSUES = 15
MAX_QUOTES = 3

GREETINGS = re.compile(
    r"^(?:(?:您好|你好|老师好|大家好|hi|hello|请问一下|请问|打扰一下|打扰了|想咨询一下|咨询一下|小编)[，,:：!！\s]*)+",
    re.IGNORECASE)
SIGN_OFFS = re.compile(r"[，,\s]*(?:谢谢|多谢|感谢|麻烦回复一下|麻烦回复|期待回复|急|～|~)[！!。.～~\s]*$")
SYNONYMS = (("啥时候", "什么时候"), ("何时", "什么时候"), ("如何", "怎么"), ("怎样", "怎么"), ("能否", "可以"),
            ("职工", "员工"), ("单位", "公司"), ("几多", "多少"))
STOPWORDS = frozenset("的 了 吗 呢 吧 啊 呀 么 是 在 有 和 与 及 我 我们 你们 你 您 他 她 它 这 那 这个 那个 一下 一份 "  # noqa: SIM905
                      "请问 可以 能 要 需要 什么 怎么 还 会 都 也 就 对 把 被 给 从 到 又 很 太 哦 嘛".split())
#: Words that ask but name nothing: never an issue's keyword (the director read 关键词：有没有、还会).
NOT_KEYWORDS = frozenset("有没有 还会 能不能 是不是 可不可以 会不会 还有 还能 一下 为什么 多少 是否 能否 可否 如何 "  # noqa: SIM905
                         "哪些 哪里 哪个 怎么样 什么样 多久".split())
#: Characters that glue a question together (能 不 没 …): a word jieba guessed around one of them,
#: not one it knows, is a piece of a sentence (能不交, 完能, 讲得), not a thing the feedback names.
FUNCTION_CHARACTERS = frozenset("能会得要可还不没吗呢吧了的")
QUESTION_WORDS = ("吗", "么", "什么", "怎么", "如何", "哪", "几", "多少", "是否", "能否", "可否", "有没有", "为什么",
                  "何时", "啥", "请问", "咨询")
POSITIVE = ("好", "有用", "收藏", "学习了", "干货", "感谢", "谢谢分享", "实用", "清楚", "转给", "赞", "支持", "不错",
            "受益", "点赞", "精彩")
NEGATIVE = ("投诉", "不满", "失望", "差", "错误", "错了", "慢", "没人回", "不回", "骗", "垃圾", "坑", "太贵", "不行",
            "问题很大", "看不懂", "乱", "难用", "退订", "取关", "生气", "不合理", "广告")
#: Words in which a one-character tone word (差 poor, 慢 slow) means nothing of the kind: a question
#: about 差旅费 was ranked and followed up as a complaint.
NOT_TONE = ("差旅", "出差", "差额", "差异", "差距", "差价", "时差", "误差", "偏差", "慢慢", "慢性")
PRAISE_TITLE = "读者认可（好评、收藏、转发）"


@dataclass(frozen=True)
class Feedback:
    """One text of the window: a comment (with its article) or a message; ``answered`` when a reply went out."""

    text: str
    article_id: int | None = None
    answered: bool = False
    is_comment: bool = False


@dataclass(frozen=True)
class Issue:
    """A core issue: the indexes of its feedback, ranked (``rank`` from 1)."""

    rank: int
    title: str
    keywords: tuple[str, ...]
    members: tuple[int, ...]
    quotes: tuple[str, ...]
    tone: float
    questions: int
    unanswered: int
    article_id: int | None

    @property
    def volume(self) -> int:
        return len(self.members)


def core_text(text: str) -> str:
    """The text without greeting, sign-off and outer punctuation, synonyms folded."""
    body = text.strip()
    body = GREETINGS.sub("", body)
    for _ in range(2):
        body = SIGN_OFFS.sub("", body)
    for word, canonical in SYNONYMS:
        body = body.replace(word, canonical)
    return body.strip(" ，,。.！!？?～~")


def as_question(text: str) -> str:
    """``text`` said as one question: ending in exactly one ？ (a core issue's title, a typical question)."""
    return f"{text.rstrip('？?')}？"


def question_of(text: str) -> str:
    """The question a follower's ``text`` asks, in its words (:func:`core_text`: without one asker's
    您好 or 多谢) and :func:`as_question`: 请问年假怎么休？谢谢 → 年假怎么休？; a text of
    punctuation alone keeps it, one ？ at its end (？？ → ？)."""
    return as_question(core_text(text) or text.strip())


def words(text: str) -> list[str]:
    """jieba words of the core text, without stop words and punctuation."""
    return [w for w in jieba.lcut(core_text(text)) if w.strip() and w not in STOPWORDS and re.search(r"\w", w)]


def wording(text: str) -> str:
    """What makes two texts the same question: their content words (能/可以, greetings, punctuation ignored)."""
    return " ".join(words(text)) or core_text(text) or text.strip()


def is_keyword(word: str) -> bool:
    """Whether ``word`` names something: two characters or more, not a word that only asks (有没有), not
    a piece jieba guessed around a function character (能不交) — a word of its dictionary, or a name
    it does not know (融智), stays."""
    if len(word) < 2 or word in NOT_KEYWORDS:
        return False
    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0) > 0 or not FUNCTION_CHARACTERS & set(word)


def is_question(text: str) -> bool:
    return "?" in text or "？" in text or any(word in text for word in QUESTION_WORDS)


def tone_of(text: str) -> float:
    """-1 (a complaint) … +1 (praise), from two short word lists; questions are neutral (0)."""
    body = core_text(text)  # without 您好 / 谢谢, which are politeness, not praise
    for word in NOT_TONE:
        body = body.replace(word, "")
    positive = sum(word in body for word in POSITIVE)
    negative = sum(word in body for word in NEGATIVE)
    if negative > positive:
        return -1.0
    if positive > negative and not is_question(text):
        return 1.0
    return 0.0


def _is_praise(text: str) -> bool:
    return tone_of(text) > 0 and len(core_text(text)) <= 12


def _analyzer(text: str) -> list[str]:
    tokens = words(text)
    body = "".join(tokens)
    return tokens + [body[i:i + 2] for i in range(len(body) - 1)]


def cluster(texts: list[str], threshold: float = DISTANCE_THRESHOLD) -> list[list[int]]:
    """Groups of indexes of similar texts (every index in exactly one group), largest first."""
    groups: list[list[int]] = []
    praise = [i for i, text in enumerate(texts) if _is_praise(text)]
    rest = [i for i in range(len(texts)) if i not in set(praise)]
    if praise:
        groups.append(praise)
    # identical core texts count as one point for the clustering, then expand again
    unique: dict[str, list[int]] = {}
    for i in rest:
        unique.setdefault(wording(texts[i]), []).append(i)
    keys = list(unique)
    if len(keys) == 1:
        groups.append(unique[keys[0]])
    elif keys:
        try:
            matrix = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True).fit_transform(keys)
        except ValueError:  # nothing but stop words and punctuation
            matrix = None
        if matrix is None:
            groups.extend(unique[key] for key in keys)
        else:
            labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                             distance_threshold=threshold).fit_predict(matrix.toarray())
            by_label: dict[int, list[int]] = {}
            for key, label in zip(keys, labels, strict=True):
                by_label.setdefault(int(label), []).extend(unique[key])
            groups.extend(by_label.values())
    return sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))


def _quotes(texts: list[str], members: list[int]) -> tuple[str, ...]:
    """The most typical distinct texts of a group: closest to its centre, shortest first on ties."""
    by_core: dict[str, str] = {}  # one quote per wording: greetings and sign-offs do not make a new quote
    for i in members:
        by_core.setdefault(wording(texts[i]), texts[i].strip())
    distinct = list(by_core.values())
    if len(distinct) <= 1:
        return tuple(distinct)
    try:
        matrix = TfidfVectorizer(analyzer=_analyzer).fit_transform(distinct)
    except ValueError:
        return tuple(distinct[:MAX_QUOTES])
    centre = np.asarray(matrix.mean(axis=0))
    scores = cosine_similarity(matrix, centre).ravel()
    order = sorted(range(len(distinct)), key=lambda i: (-round(float(scores[i]), 3), len(distinct[i])))
    return tuple(distinct[i] for i in order[:MAX_QUOTES])


def _priority(volume: int, tone: float) -> float:
    """Volume first; complaints weigh 1.5×, praise 0.5× — the director acts on problems, not on applause."""
    return volume * (1.0 - 0.5 * tone)


def find_core_issues(feedback: list[Feedback], *, threshold: float = DISTANCE_THRESHOLD,
                     min_volume: int = MIN_VOLUME, limit: int = MAX_ISSUES) -> list[Issue]:
    """The window's core issues, most important first: groups of at least ``min_volume`` texts."""
    texts = [item.text for item in feedback]
    drafts = []
    for members in cluster(texts, threshold):
        if len(members) < min_volume:
            continue
        praise = all(_is_praise(texts[i]) for i in members)
        keyword_counts = Counter(w for i in members for w in dict.fromkeys(words(texts[i])) if is_keyword(w))
        keywords = tuple(w for w, _n in keyword_counts.most_common(4))
        quotes = _quotes(texts, members)
        tone = sum(tone_of(texts[i]) for i in members) / len(members)
        questions = [i for i in members if is_question(texts[i])]
        articles = Counter(feedback[i].article_id for i in members if feedback[i].article_id is not None)
        title = PRAISE_TITLE if praise else core_text(quotes[0])[:60] or quotes[0][:60]
        drafts.append((_priority(len(members), tone), members, title, keywords, quotes, tone, questions,
                       articles.most_common(1)[0][0] if articles else None))
    drafts.sort(key=lambda d: (-d[0], d[1][0]))
    return [Issue(rank, title, keywords, tuple(members), quotes, round(tone, 2), len(questions),
                  sum(not feedback[i].answered for i in questions), article_id)
            for rank, (_p, members, title, keywords, quotes, tone, questions, article_id)
            in enumerate(drafts[:limit], start=1)]
