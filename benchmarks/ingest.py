"""Sentences per second of ``alliances ingest`` reading articles, against a bare regex scan.

Run with ``.venv/bin/python benchmarks/ingest.py [--sentences N] [--repeats R] [--json]``.
It reads the labelled articles of ``tests/ingest/corpus`` (HTML and plain text), repeats
them until they hold about ``--sentences`` sentences (20,000 by default; a sentence as
:func:`alliances.ingest.text.split_sentences` counts them in the cleaned text), and times,
on one core (the process is pinned to one CPU where the system allows it), each article
read as its own document through the whole pipeline:

1. ``text.clean`` (HTML through trafilatura, the line filter);
2. ``actors.find_actors``;
3. ``figures.find_figures``, ``find_events`` and ``find_negative_ties``;
4. ``question.find_question``.

The baseline, measured in the same run on the same cleaned texts, is one plain
``re.finditer`` of an alternation of every name the ``countries`` module knows (names,
adjectives, capitals): the least a gazetteer pass can cost. The script prints the
sentences per second of each step and of the whole pipeline, the best of ``--repeats``
runs, its ratio to the baseline and whether it meets the goal of issue 13 (2,000 sentences
a second on one core; PETRARCH coders do about 150, TABARI 1,000–2,000). The first pass
over the articles is also timed apart: later passes read the same articles, so any cache
keyed on their words is warm there.

``--scaling`` measures instead the time per MiB of the reading steps (clean, actors,
figures, events, ties, question; the draft and its Sobol' share are left out) on
inputs of 64 KiB, 256 KiB, 1 MiB and 5 MiB of three shapes: the labelled articles
repeated (many lines), the same text on one line, and one run-on sentence full of figures.
It prints each rate as a ratio to the 64 KiB rate: a flat row (ratios near 1) is linear
time; ``--sizes`` picks other sizes in KiB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

from alliances import countries

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "ingest" / "corpus"
GOAL = 2000.0


def pin_to_one_core() -> str:
    """Pin the process to its first allowed CPU; say which (or why not)."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def baseline_pattern() -> re.Pattern[str]:
    names = {n for c in countries.all_countries() for n in c.names() if n and len(n) > 2}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b")


def shaped(raws: list[str], shape: str, size: int) -> str:
    """``size`` bytes of text: the articles repeated (``many``), on one line (``one``), or
    one run-on sentence full of figures (``figures``)."""
    if shape == "figures":
        unit = "Russia paid Iran $1.5 billion and 3 percent, "
        return ("In 2015 " + unit * (size // len(unit) + 1))[:size] + "."
    from alliances.ingest.text import clean

    body = "\n\n".join(clean(raw).text for raw in raws)
    text = body
    while len(text.encode()) < size:
        text += "\n\n" + body
    text = text.encode()[:size].decode(errors="ignore")
    return " ".join(text.split()) if shape == "one" else text


def scaling(raws: list[str], sizes_kib: list[int], as_json: bool) -> None:
    """Seconds per MiB of the reading steps by input size and shape, and their ratios."""
    from alliances.ingest.actors import find_actors
    from alliances.ingest.figures import find_events, find_figures, find_negative_ties
    from alliances.ingest.question import find_question
    from alliances.ingest.text import clean

    find_actors("Russia")  # the gazetteer is built once, outside the timing
    report: dict[str, dict[int, float]] = {}
    for shape in ("many", "one", "figures"):
        rates = report.setdefault(shape, {})
        for kib in sizes_kib:
            raw = shaped(raws, shape, kib * 1024)
            started = time.perf_counter()
            cleaned = clean(raw)
            mentions = find_actors(cleaned.text, year=2015)
            find_figures(cleaned.text, mentions, year=2015)
            find_events(cleaned.text, mentions, year=2015)
            find_negative_ties(cleaned.text, mentions)
            find_question(cleaned.text, mentions, title=cleaned.title, year=2015)
            rates[kib] = (time.perf_counter() - started) / (kib / 1024)
            if not as_json:
                base = rates[sizes_kib[0]]
                print(
                    f"  {shape:8} {kib:6,} KiB  {rates[kib]:8.2f} s/MiB  "
                    f"x{rates[kib] / base:5.2f} the {sizes_kib[0]} KiB rate",
                    flush=True,
                )
    if as_json:
        print(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--scaling", action="store_true", help="time per MiB by input size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 256, 1024, 5120])
    args = parser.parse_args()

    from alliances.ingest import actors, figures, question, text

    clean, split_sentences = text.clean, text.split_sentences
    find_actors, find_question = actors.find_actors, question.find_question
    find_figures, find_events = figures.find_figures, figures.find_events
    find_negative_ties = figures.find_negative_ties

    pinned = pin_to_one_core()
    raws = [
        p.read_text(encoding="utf-8")
        for p in sorted(args.corpus.iterdir())
        if p.suffix in (".txt", ".html")
    ]
    if not raws:
        raise SystemExit(f"no articles in {args.corpus}")
    if args.scaling:
        print(f"time per MiB of the reading steps; {pinned}", flush=True)
        scaling(raws, args.sizes, args.json)
        return

    def read(raw: str, times: list[float]) -> None:
        t0 = time.perf_counter()
        cleaned = clean(raw)
        t1 = time.perf_counter()
        mentions = find_actors(cleaned.text)
        t2 = time.perf_counter()
        find_figures(cleaned.text, mentions)
        find_events(cleaned.text, mentions)
        find_negative_ties(cleaned.text, mentions)
        t3 = time.perf_counter()
        find_question(cleaned.text, mentions, title=cleaned.title, year=2015)
        t4 = time.perf_counter()
        for i, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4))):
            times[i] += b - a

    texts = [clean(raw).text for raw in raws]
    per_pass = sum(len(split_sentences(t)) for t in texts)
    passes = max(1, -(-args.sentences // per_pass))
    sentences = per_pass * passes

    # The first pass, cold: no article has been read yet in this process.
    cold = [0.0] * 4
    for raw in raws:
        read(raw, cold)

    steps = ("clean", "actors", "figures, events, ties", "question")
    best: list[float] | None = None
    for _ in range(args.repeats):
        times = [0.0] * 4
        for _ in range(passes):
            for raw in raws:
                read(raw, times)
        if best is None or sum(times) < sum(best):
            best = times
    assert best is not None
    total = sum(best)

    pattern = baseline_pattern()
    base = float("inf")
    for _ in range(args.repeats):
        started = time.perf_counter()
        hits = 0
        for _ in range(passes):
            for cleaned_text in texts:
                for _match in pattern.finditer(cleaned_text):
                    hits += 1
        base = min(base, time.perf_counter() - started)

    rate = sentences / total
    base_rate = sentences / base
    report = {
        "articles": len(raws),
        "sentences_per_pass": per_pass,
        "passes": passes,
        "sentences": sentences,
        "cpu": pinned,
        "first_pass_sentences_per_s": per_pass / sum(cold),
        "steps_sentences_per_s": {s: sentences / t for s, t in zip(steps, best, strict=True)},
        "pipeline_seconds": total,
        "pipeline_sentences_per_s": rate,
        "baseline_sentences_per_s": base_rate,
        "baseline_matches": hits,
        "ratio_to_baseline": rate / base_rate,
        "goal_sentences_per_s": GOAL,
        "goal_met": rate >= GOAL,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{len(raws)} articles, {per_pass} sentences a pass, {passes} passes = "
        f"{sentences:,} sentences; {pinned}; best of {args.repeats}"
    )
    for step, seconds in zip(steps, best, strict=True):
        print(f"  {step:24} {seconds:8.3f} s  {sentences / seconds:12,.0f} sentences/s")
    print(f"  {'whole pipeline':24} {total:8.3f} s  {rate:12,.0f} sentences/s")
    print(
        f"  {'first pass (cold)':24} {sum(cold):8.3f} s  {per_pass / sum(cold):12,.0f} sentences/s"
    )
    print(
        f"  {'baseline: re.finditer':24} {base:8.3f} s  {base_rate:12,.0f} sentences/s "
        f"({hits:,} name matches)"
    )
    print(
        f"pipeline / baseline: {rate / base_rate:.2f}x the baseline's speed "
        f"({base_rate / rate:.1f}x slower); goal {GOAL:,.0f} sentences/s: "
        f"{'met' if rate >= GOAL else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
