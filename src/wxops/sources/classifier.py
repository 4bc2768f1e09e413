"""Sort candidates into the account's categories, with a confidence.

A TF-IDF over jieba tokens (plus character bigrams, which survive segmentation errors)
feeds a logistic regression; its class probabilities are the scores and the top one is
the confidence. It starts from the seed examples shipped in ``data/seed_examples/`` — at
least 30 realistic texts for each of the five default categories of the plan (一 信息推送分类)
— and is retrained with the editors' choices (see ``tasks.retrain_classifier``).

No Django imports: the model is a plain object; the Django side stores it as bytes.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .tokens import analyser

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

DEFAULT_CATEGORIES = ("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")


@dataclass(frozen=True)
class Example:
    text: str
    category: str


@dataclass(frozen=True)
class Classification:
    """The most likely category, its probability, and every category's probability."""

    category: str
    confidence: float
    scores: dict[str, float]

    def as_dict(self) -> dict:
        return {"category": self.category, "confidence": round(self.confidence, 4),
                "scores": {name: round(score, 4) for name, score in self.scores.items()}}


class ClassifierError(ValueError):
    """The classifier cannot be trained or used; the message says why."""


def seed_examples() -> list[Example]:
    """The shipped seed examples: one file per category, one example per line."""
    examples = []
    folder = resources.files("wxops.sources") / "data" / "seed_examples"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        category = entry.name.removesuffix(".txt").split("-", 1)[-1]
        for line in entry.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                examples.append(Example(line, category))
    return examples


def build_pipeline() -> Pipeline:
    # scikit-learn is imported here, not at module level: every web and worker process
    # imports this module, and only those that classify should pay for it (~1 s, ~150 MB).
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer=analyser, sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=2,
                                  max_features=50_000)),
    ])
    return Pipeline([
        ("features", features),
        ("model", LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced")),
    ])


class Classifier:
    """A trained classifier. ``Classifier.train(examples)``; ``classify(text)``; ``dumps()``/``loads()``."""

    def __init__(self, pipeline: Pipeline):
        self._pipeline = pipeline
        self.categories: tuple[str, ...] = tuple(str(name) for name in pipeline.classes_)

    @classmethod
    def train(cls, examples: list[Example]) -> Classifier:
        """Fit on ``examples``. Raises :class:`ClassifierError` with fewer than two categories."""
        categories = {e.category for e in examples}
        if len(categories) < 2:
            raise ClassifierError(
                "至少需要两个分类的样本 / need examples of at least two categories to train, "
                f"got {sorted(categories) or 'none'}"
            )
        pipeline = build_pipeline()
        pipeline.fit([e.text for e in examples], [e.category for e in examples])
        return cls(pipeline)

    @classmethod
    def from_seed(cls, categories: tuple[str, ...] | None = None) -> Classifier:
        """Trained on the shipped seed examples (restricted to ``categories`` if given)."""
        examples = seed_examples()
        if categories is not None:
            examples = [e for e in examples if e.category in categories]
        return cls.train(examples)

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Classification]:
        probabilities = self._pipeline.predict_proba(texts)
        results = []
        for row in probabilities:
            scores = {name: float(p) for name, p in zip(self.categories, row, strict=True)}
            best = max(scores, key=scores.__getitem__)
            results.append(Classification(best, scores[best], scores))
        return results

    def dumps(self) -> bytes:
        return pickle.dumps(self._pipeline, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> Classifier:
        # Only ever loads bytes wxops itself stored in its own database (ClassifierModel).
        return cls(pickle.loads(data))  # noqa: S301
