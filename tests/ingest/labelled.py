"""The labelled articles of ``tests/ingest/corpus`` and how well ``alliances.ingest``
reads them.

Each article ``NN-slug.txt`` or ``NN-slug.html`` has a sidecar ``NN-slug.yaml``::

    question: {divider: USA, target: RUS, partner: CHN}
    actors: [USA, RUS, CHN]              # states by canonical code, organisations by acronym
    figures:                             # value in plain units, shares as fractions
      - {value: 240.0e9, unit: money, currency: USD, period: year}
    events: [{year: 2014, kind: annexed}]
    furniture: [Accept all cookies]      # page text that must not survive cleaning

:func:`evaluate` runs the pipeline on every article (``clean`` → ``find_actors`` →
``find_figures`` / ``find_events`` → ``find_question``) and scores it: the question right
(all three ids), actor precision and recall, figure recall (a labelled figure is found
when a figure has its unit, currency and period and a value within 1%), event recall (year
and kind) and the share of furniture dropped. Run ``.venv/bin/python tests/ingest/labelled.py``
to print the scores; the articles are original prose written for these tests.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

STEPS = ("text", "actors", "figures", "question")
CORPUS = Path(__file__).resolve().parent / "corpus"
SUFFIXES = (".txt", ".html")
UNITS = {"money", "share", "growth", "count"}
PERIODS = {"year", "month", None}
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")


@dataclass
class Article:
    """One labelled article: its raw text and the expected values of its sidecar."""

    slug: str
    path: Path
    raw: str
    expected: dict[str, Any]


@dataclass
class Read:
    """What the pipeline found in one article."""

    text: str
    title: str | None
    mentions: list[Any]
    figures: list[Any]
    events: list[Any]
    question: Any
    seconds: float = 0.0
    sentences: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def articles(corpus_dir: str | Path = CORPUS) -> list[Article]:
    """Every article of ``corpus_dir`` with its expected values, in file order."""
    corpus_dir = Path(corpus_dir)
    yaml = YAML(typ="safe", pure=True)
    found = []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in SUFFIXES:
            continue
        sidecar = path.with_suffix(".yaml")
        if not sidecar.exists():
            msg = f"{path.name} has no sidecar {sidecar.name}"
            raise FileNotFoundError(msg)
        expected = yaml.load(sidecar.read_text(encoding="utf-8"))
        found.append(Article(path.stem, path, path.read_text(encoding="utf-8"), expected))
    return found


def article_year(text: str, date: str | None) -> int | None:
    """The year that dates the article: its metadata, else the latest year it mentions."""
    if date:
        return int(date[:4])
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= dt.date.today().year]
    return max(years) if years else None


def pipeline() -> tuple[Any, ...]:
    """The modules of the pipeline, in order: ``text``, ``actors``, ``figures``, ``question``."""
    return tuple(importlib.import_module(f"alliances.ingest.{name}") for name in STEPS)


def read(raw: str, con: Any = None, given: dict[str, str | None] | None = None) -> Read:
    """Run the pipeline on one article; with a store ``con``, the question is read with
    the world data's ties (as ``alliances ingest --ground``), and with ``given`` roles
    kept (as ``alliances ingest --target …``)."""
    text_, actors, figures_, question_ = pipeline()
    cleaned = text_.clean(raw)
    text = cleaned.text
    year = article_year(text, cleaned.date)
    mentions = actors.find_actors(text, year=year)
    figures = figures_.find_figures(text, mentions, year=year)
    events = figures_.find_events(text, mentions, year=year)
    ties = None
    if con is not None:
        from alliances.ingest.ties import world_ties

        ties = world_ties(con, mentions, year)
    question = question_.find_question(
        text, mentions, title=cleaned.title, year=year, ties=ties, given=given
    )
    roles = () if question is None else (question.divider, question.target, question.partner)
    parties = actors.find_parties(text, mentions, roles)
    extra = {"parties": parties}
    return Read(text, cleaned.title, mentions, figures, events, question, extra=extra)


def figure_matches(expected: dict[str, Any], figure: Any) -> bool:
    """Whether ``figure`` is the labelled one: same unit, currency and period, and a value
    within 1%."""
    value = float(expected["value"])
    return (
        figure.unit == expected["unit"]
        and figure.currency == expected.get("currency")
        and figure.period == expected.get("period")
        and abs(figure.value - value) <= 0.01 * abs(value)
    )


def _matched(expected: list[dict[str, Any]], got: list[Any], same: Any) -> list[bool]:
    """For each expected item, whether a found item matches it (each found item once)."""
    used: set[int] = set()
    out = []
    for item in expected:
        hit = next((i for i, g in enumerate(got) if i not in used and same(item, g)), None)
        if hit is not None:
            used.add(hit)
        out.append(hit is not None)
    return out


def score(article: Article, found: Read) -> dict[str, Any]:
    """The scores of one article."""
    exp = article.expected
    q = exp["question"]
    got_q = found.question
    question = (
        None
        if got_q is None
        else {"divider": got_q.divider, "target": got_q.target, "partner": got_q.partner}
    )
    actors_expected = set(exp.get("actors") or [])
    actors_found = {m.actor for m in found.mentions}
    figures = exp.get("figures") or []
    figure_hits = _matched(figures, found.figures, figure_matches)
    events = exp.get("events") or []
    event_hits = _matched(
        events, found.events, lambda e, g: g.year == e["year"] and g.kind == e["kind"]
    )
    lowered = found.text.lower()
    furniture = exp.get("furniture") or []
    kept = [f for f in furniture if str(f).lower() in lowered]
    return {
        "article": article.slug,
        "question_expected": dict(q),
        "question_found": question,
        "question_right": question == {k: q[k] for k in ("divider", "target", "partner")},
        "guessed": bool(got_q and got_q.guessed),
        "actors_true": len(actors_expected & actors_found),
        "actors_found": len(actors_found),
        "actors_expected": len(actors_expected),
        "actors_missed": sorted(actors_expected - actors_found),
        "actors_extra": sorted(actors_found - actors_expected),
        "figures_expected": len(figures),
        "figures_hit": sum(figure_hits),
        "figures_missed": [f for f, hit in zip(figures, figure_hits, strict=True) if not hit],
        "events_expected": len(events),
        "events_hit": sum(event_hits),
        "events_missed": [e for e, hit in zip(events, event_hits, strict=True) if not hit],
        "furniture_expected": len(furniture),
        "furniture_kept": kept,
    }


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def evaluate(corpus_dir: str | Path = CORPUS) -> dict[str, Any]:
    """Run the pipeline on every labelled article of ``corpus_dir`` and score it.

    Returns a dict with ``articles`` (how many), ``question_right`` (share with all three
    ids right), ``actor_precision`` and ``actor_recall`` (pooled over the articles),
    ``figure_recall``, ``event_recall``, ``furniture_dropped`` and ``per_article`` (the
    scores and misses of each).
    """
    rows = [score(a, read(a.raw)) for a in articles(corpus_dir)]

    def total(key: str) -> int:
        return sum(r[key] for r in rows)

    furniture = total("furniture_expected")
    return {
        "articles": len(rows),
        "question_right": _ratio(sum(r["question_right"] for r in rows), len(rows)),
        "actor_precision": _ratio(total("actors_true"), total("actors_found")),
        "actor_recall": _ratio(total("actors_true"), total("actors_expected")),
        "figure_recall": _ratio(total("figures_hit"), total("figures_expected")),
        "event_recall": _ratio(total("events_hit"), total("events_expected")),
        "furniture_dropped": _ratio(
            furniture - sum(len(r["furniture_kept"]) for r in rows), furniture
        ),
        "per_article": rows,
    }


def report(scores: dict[str, Any]) -> str:
    """The scores as a few lines of text, then what each article missed."""
    lines = [
        f"labelled articles   {scores['articles']}",
        f"question right      {scores['question_right']:.0%}",
        f"actor precision     {scores['actor_precision']:.2f}",
        f"actor recall        {scores['actor_recall']:.2f}",
        f"figure recall       {scores['figure_recall']:.2f}",
        f"event recall        {scores['event_recall']:.2f}",
        f"furniture dropped   {scores['furniture_dropped']:.0%}",
    ]
    for r in scores["per_article"]:
        notes = []
        if not r["question_right"]:
            notes.append(f"question {r['question_found']} (expected {r['question_expected']})")
        if r["actors_missed"]:
            notes.append(f"actors missed {r['actors_missed']}")
        if r["actors_extra"]:
            notes.append(f"actors extra {r['actors_extra']}")
        if r["figures_missed"]:
            missed = ", ".join(
                " ".join(str(f.get(k) or "") for k in ("value", "unit", "currency", "period"))
                for f in r["figures_missed"]
            )
            notes.append(f"figures missed [{missed}]")
        if r["events_missed"]:
            notes.append(
                "events missed "
                + ", ".join(f"{e['year']} {e['kind']}" for e in r["events_missed"])
            )
        if r["furniture_kept"]:
            notes.append(f"furniture kept {r['furniture_kept']}")
        lines.append(f"  {r['article']}: " + ("; ".join(notes) if notes else "all right"))
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(evaluate(sys.argv[1] if len(sys.argv) > 1 else CORPUS)))
