"""Train the offensive-language classifier on COLD and write the model the package ships (issue 13).

    .venv/bin/python benchmarks/compliance_train_offensive.py --data ../shared/data [--write]

``--data`` is the shared real-world data folder (COLD lives in
``compliance/labelled/cold/{train,dev,test}.csv``: thu-coai/COLDataset @a0c55a94,
Apache-2.0). Chooses the regularisation on dev, refits on train + dev, and prints accuracy
and macro-F1 on COLD test next to the paper's BERT (COLDetector, 0.81 accuracy) and the
lexicon alone, plus the scoring speed. ``--write`` saves the model to
``src/wxops/compliance/data/offensive_cold.npz`` (what ``wxops.compliance.classifier``
loads). Deterministic: the same data gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from wxops.compliance.classifier import OffensiveClassifier, vocabulary_codes
from wxops.compliance.engine import check

MODEL = Path(__file__).resolve().parents[1] / "src" / "wxops" / "compliance" / "data" / "offensive_cold.npz"
NGRAMS = (1, 3)
CHOICES_OF_C = (2.0, 4.0, 10.0)


def load(folder: Path, split: str) -> tuple[list[str], list[int], list[str]]:
    with (folder / f"{split}.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return [r["TEXT"] for r in rows], [int(r["label"]) for r in rows], [r["topic"] for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder (../shared/data)")
    parser.add_argument("--write", action="store_true", help="save the model into the package")
    options = parser.parse_args()
    folder = options.data / "compliance" / "labelled" / "cold"
    train, dev, test = (load(folder, split) for split in ("train", "dev", "test"))

    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, min_df=2, sublinear_tf=True, dtype=numpy.float32)
    features = vectoriser.fit_transform(train[0])
    dev_features = vectoriser.transform(dev[0])
    scores = {}
    for c in CHOICES_OF_C:
        model = LogisticRegression(C=c, max_iter=3000).fit(features, train[1])
        scores[c] = accuracy_score(dev[1], model.predict(dev_features))
        print(f"C={c:<5} dev accuracy {scores[c]:.4f}")
    best = max(scores, key=scores.get)

    # The final model: the chosen C, refitted on train + dev.
    texts, labels, topics = train[0] + dev[0], train[1] + dev[1], train[2] + dev[2]
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, min_df=2, sublinear_tf=True, dtype=numpy.float32)
    features = vectoriser.fit_transform(texts)
    offensive = LogisticRegression(C=best, max_iter=3000).fit(features, labels)
    attacked = [i for i, label in enumerate(labels) if label == 1]
    target = LogisticRegression(C=best, max_iter=3000).fit(features[attacked], [topics[i] for i in attacked])

    vocabulary = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.get)
    arrays = {
        **vocabulary_codes(vocabulary, NGRAMS),
        "idf": vectoriser.idf_.astype(numpy.float32),
        "offensive_weights": offensive.coef_[0].astype(numpy.float32),
        "offensive_bias": numpy.array(offensive.intercept_[0], dtype=numpy.float32),
        "target_weights": target.coef_.astype(numpy.float32),
        "target_bias": target.intercept_.astype(numpy.float32),
        "targets": numpy.array(",".join(target.classes_)),
        "ngram_range": numpy.array(NGRAMS),
    }
    shipped = OffensiveClassifier.from_arrays(arrays)

    began = time.perf_counter()
    probabilities = [score.offensive for score in shipped.score_many(test[0])]
    seconds = time.perf_counter() - began
    predicted = [int(p >= 0.5) for p in probabilities]
    reference = offensive.predict(vectoriser.transform(test[0]))
    agreement = numpy.mean(numpy.array(predicted) == reference)
    megabytes = sum(len(t.encode()) for t in test[0]) / 1e6
    lexicon = [int(bool({f.clause for f in check(t).findings} & {"1.4", "1.8"})) for t in test[0]]
    either = [max(a, b) for a, b in zip(predicted, lexicon, strict=True)]

    print(f"chosen C={best}; {len(vocabulary):,} features; trained on {len(texts):,} (train + dev)")
    print(f"COLD test (n={len(test[0]):,}):")
    for name, guess in (("model", predicted), ("lexicon alone (1.4/1.8)", lexicon), ("model or lexicon", either)):
        print(f"  {name:24s} accuracy {accuracy_score(test[1], guess):.4f}  macro-F1 "
              f"{f1_score(test[1], guess, average='macro'):.4f}")
    print("  paper's BERT (COLDetector) accuracy 0.81")
    print(f"numpy scorer agrees with scikit-learn on {agreement:.4%} of test; "
          f"{megabytes / seconds:.2f} MB/s ({len(test[0]) / seconds:,.0f} sentences/s)")
    if options.write:
        numpy.savez_compressed(MODEL, **arrays)
        print(f"wrote {MODEL} ({MODEL.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
