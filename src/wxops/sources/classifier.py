"""Sort candidates into the account's categories, with a confidence.

A TF-IDF over jieba tokens (plus character bigrams, which survive segmentation errors)
feeds a logistic regression; its class probabilities are the scores and the top one is
the confidence. It starts from the seed examples shipped in ``data/seed_examples/`` — at
least 30 realistic texts for each of the five default categories of the plan (一 信息推送分类)
— and is retrained with the editors' choices (see ``tasks.retrain_classifier``).

No Django imports: the model is a plain object; the Django side stores it as bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .segmentation import analyser

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

logger = logging.getLogger(__name__)

DEFAULT_CATEGORIES = ("行业信息", "企业管理", "人力资源管理", "财务管理", "公司融智综合服务体系")
#: The class the classifier learns from editors' "not relevant" dismissals; no account has
#: a category of this name, so a story classified as it is filed as other / not relevant.
OTHER = "其他（不相关）"
#: Bump when the features or the model change: cached fitted seed models are then retrained.
MODEL_VERSION = "2"


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

    @classmethod
    def seed(cls, cache: Path | None = None) -> Classifier:
        """The seed classifier, fitted once and then loaded from ``cache`` (default: the user's cache folder).

        Fitting takes 5–40 s; loading well under a second. The file name carries a hash of
        the seed examples, the model version and scikit-learn's version, so a change to any of
        them fits a new one. A cache that cannot be written is no error: the fitted model is
        simply not kept.
        """
        path = (cache or cache_folder()) / f"seed-classifier-{seed_fingerprint()}.pickle"
        if path.is_file() and path.stat().st_uid == os.getuid():
            try:
                return cls.loads(path.read_bytes())
            except Exception as error:  # a truncated or stale file: fit again below
                logger.info("refitting the seed classifier: cached %s unreadable (%s)", path, error)
        classifier = cls.from_seed()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(classifier.dumps())
            os.replace(partial, path)
        except OSError:
            pass
        return classifier

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

    @property
    def pipeline(self) -> Pipeline:
        """The fitted scikit-learn pipeline (features, then the logistic regression)."""
        return self._pipeline

    @property
    def knows_other(self) -> bool:
        """Was it trained with "not relevant" examples?"""
        return OTHER in self.categories

    def dumps(self) -> bytes:
        return pickle.dumps(self._pipeline, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> Classifier:
        # Only ever loads bytes wxops itself stored: its own database (ClassifierModel) or the
        # user's own cache folder (checked to belong to this user).
        return cls(pickle.loads(data))  # noqa: S301


def cache_folder() -> Path:
    """The user's private cache folder for wxops (``$XDG_CACHE_HOME/wxops``, else ``~/.cache/wxops``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wxops"


def seed_fingerprint() -> str:
    """Hash of what the seed model depends on: examples, model version, scikit-learn version."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{MODEL_VERSION}|{version('scikit-learn')}|{version('jieba')}".encode())
    for example in seed_examples():
        digest.update(f"{example.category}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
