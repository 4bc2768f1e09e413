"""``wxops sources classify FILE`` without booting Django: the seed classifier, fitted once and cached.

``wxops`` hands ``sources classify …`` here (``wxops.cli.STANDALONE``). Without
``--account`` no database is needed, so it runs in plain Python — jieba, scikit-learn and
the cached seed model, well under 2 s. With ``--account`` (or ``--help``),
:func:`needs_django` says so and the Django management command runs instead; both print
the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def classify_text(path: Path) -> str:
    """The text to classify in ``path``: an article extracted from HTML, else the file's decoded text."""
    from .charsets import decode_readable

    data = path.read_bytes()
    if path.suffix.lower() in {".html", ".htm"} or data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        from .extraction import extract_page  # trafilatura: only for HTML

        document = extract_page(data)
        return f"{document.title}\n{document.text}"
    return decode_readable(data, where=path.name).text


def needs_django(argv: list[str]) -> bool:
    """``--account`` reads the account's retrained model from the database; ``--help`` is Django's."""
    return any(a == "--account" or a.startswith("--account=") or a in ("-h", "--help") for a in argv)


def main(argv: list[str]) -> int:
    """``argv`` is what follows ``wxops sources classify``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="wxops sources classify")
    parser.add_argument("file")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    options = parser.parse_args(argv)
    from .candidates import ExplainedError
    from .compact_classifier import CompactClassifier

    path = Path(options.file)
    if not path.is_file():
        print(f"CommandError: {options.file}: no such file.", file=sys.stderr)
        return 1
    try:
        text = classify_text(path)
    except ExplainedError as error:  # not an article (trafilatura is imported only for HTML)
        print(f"CommandError: {options.file}: {error}", file=sys.stderr)
        return 1
    if not text.strip():
        print(f"CommandError: {options.file} is empty.", file=sys.stderr)
        return 1
    print(render(CompactClassifier.seed().classify(text[:3000]), options.format))
    return 0


def render(result, output_format: str) -> str:
    """The classification as the command prints it (text table or one JSON object)."""
    if output_format == "json":
        return json.dumps(result.as_dict(), ensure_ascii=False)
    lines = [f"{result.category}  ({result.confidence:.0%})"]
    lines += [f"  {name:<14} {score:.3f}" for name, score in sorted(result.scores.items(), key=lambda item: -item[1])]
    return "\n".join(lines)
