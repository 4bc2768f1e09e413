"""How many of the simulator's planted feedback topics the 24-hour document finds as core issues.

Simulated weeks (3 pushes a week) of the demo audience profile: after each push, followers
comment and write with the category's rates, rephrasing the profile's ``feedback_topics``
(``wxops.simulator.phrasing``). A planted text that occurs at least twice in a window must
appear as a core issue of that window — a group whose majority came from it, quoted with
one of them. Printed beside two baselines measured on the same windows: identical texts
counted together (a most-asked table), and one issue per message.

    .venv/bin/python benchmarks/feedback_topics.py --weeks 8 --followers 30000
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wxops.interaction.feedback.clustering import find_core_issues  # noqa: E402
from wxops.interaction.tests.feedback_planted import (  # noqa: E402
    exact_text_baseline,
    one_per_message_baseline,
    score,
    simulated_windows,
)


def split_topics(windows) -> tuple[int, int]:
    """(planted texts listed as more than one core issue, core issues that mix topics) over all windows."""
    split = mixed = 0
    for window in windows:
        majorities = Counter()
        for issue in find_core_issues(list(window.feedback)):
            labels = Counter(window.labels[i] for i in issue.members)
            label, count = labels.most_common(1)[0]
            majorities[label] += 1
            mixed += count < issue.volume
        split += sum(n > 1 for label, n in majorities.items() if label)
    return split, mixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--followers", type=int, default=30000, help="audience size (sets each window's volume)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    windows = simulated_windows(args.weeks, followers=args.followers, seed=args.seed)
    sizes = sorted(len(w.feedback) for w in windows)
    print(f"{len(windows)} windows ({args.weeks} weeks × 3 pushes), feedback per window: "
          f"median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
    results = {}
    for name, finder in (("core issues (jieba + TF-IDF, clustering)", find_core_issues),
                         ("baseline: identical texts counted together", exact_text_baseline),
                         ("baseline: one issue per message", one_per_message_baseline)):
        started = time.perf_counter()
        result = score(windows, finder)
        elapsed = time.perf_counter() - started
        results[name] = result
        print(f"{name:45} {result.found:4}/{result.planted:<4} planted topics found = {result.share:6.1%}   "
              f"{result.issues / len(windows):5.1f} issues/window   {elapsed / len(windows) * 1000:6.1f} ms/window")
    ours, baseline = (results["core issues (jieba + TF-IDF, clustering)"],
                      results["baseline: identical texts counted together"])
    print(f"ratio to the identical-texts baseline: {ours.share / max(baseline.share, 1e-9):.2f}×  (target: ≥ 90 % found)")
    split, mixed = split_topics(windows)
    print(f"a planted text listed as two issues: {split}; issues mixing topics: {mixed}")


if __name__ == "__main__":
    main()
