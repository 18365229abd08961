"""The real articles of ``articles.yaml`` and how well ``alliances.ingest`` reads them.

The labels live in ``articles.yaml`` next to this file (its header gives every rule); the
texts do not: each article's opening is a file ``<id>.txt`` (a ``SOURCE:`` and a ``TITLE:``
line on top, as a user pastes them) in the folder named by ``ALLIANCES_REAL_ARTICLES``.

:func:`evaluate` reads every article of one split with the same pipeline as the written
corpus (``labelled.read``: ``clean`` → ``find_actors`` → ``find_figures`` →
``find_question``) and scores it:

- the question right: divider, target and partner all right; an article labelled with no
  divider (a pair drifting) is right only when the tool names the target and partner and
  says there is no divider (``divider`` None); finding no question is wrong;
- actor recall and precision, over states only (the labels list states; organisations are
  partners);
- figure recall: a labelled figure is found when a money figure has its currency and an
  amount within 1% (the labels give no period); ``figure_year_recall`` also asks for its year.

Run ``ALLIANCES_REAL_ARTICLES=/path .venv/bin/python tests/ingest/real_articles/real_scoring.py
[dev|dev2|dev3|test] [--ground] [--given ROLE]`` to print the scores of one split (dev by
default; with ``--ground``, the question read with the world data of the default store;
with ``--given divider|target|partner``, that role's labelled actor given to the reader,
as ``alliances ingest --partner``: how far one correction takes the question).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:  # labelled.py, the written corpus's scorer
    sys.path.insert(0, str(_HERE.parent))

from labelled import _matched, _ratio, read  # noqa: E402

LABELS = _HERE / "articles.yaml"
ENV = "ALLIANCES_REAL_ARTICLES"
SPLITS = ("dev", "test", "dev2", "dev3")
"""The splits: ``dev`` and ``test`` (fixed once, by the rule at the top of articles.yaml) and
``dev2``, a later development-only set outside that rule."""
HALVES = ("dev", "test")
ERAS = ("historical", "contemporary")
FIELDS = {
    "id": str,
    "url": str,
    "source": str,
    "date": (str, type(None)),
    "era": str,
    "title": str,
    "split": str,
    "divider": (str, type(None)),
    "target": str,
    "partner": str,
    "actors": list,
    "figures": list,
    "notes": (str, type(None)),
    "extract": str,
}
FIGURE_FIELDS = {"text": str, "amount": (int, float), "currency": str, "year": int}
CURRENCIES = {"USD", "EUR", "GBP", "CNY", "RUB", "INR", "JPY"}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class RealArticle:
    """One labelled real article (an entry of ``articles.yaml``)."""

    id: str
    label: dict[str, Any]

    def text(self, folder: str | Path) -> str:
        """The article's opening, from ``folder/<id>.txt``."""
        return (Path(folder) / f"{self.id}.txt").read_text(encoding="utf-8")


def load(path: str | Path = LABELS) -> list[RealArticle]:
    """Every entry of ``articles.yaml``, in file order."""
    doc = YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))
    return [RealArticle(str(e["id"]), dict(e)) for e in doc["articles"]]


def texts_folder() -> Path | None:
    """The folder of the article texts (``$ALLIANCES_REAL_ARTICLES``), or None when unset or
    not a folder."""
    value = os.environ.get(ENV)
    return Path(value) if value and Path(value).is_dir() else None


def actor_id(code: str) -> str:
    """The id ``alliances.ingest`` gives an actor: ``org:NATO`` is ``NATO``."""
    return code.removeprefix("org:")


def problems(entry: dict[str, Any], is_state: Any, is_organisation: Any) -> list[str]:
    """What is wrong with one entry: missing or mistyped fields, unknown codes, a split
    other than dev/test/dev2, figures out of shape. ``is_state(code)`` and
    ``is_organisation(id)`` say which codes are known."""
    where = f"articles.yaml entry {entry.get('id', '?')!r}"
    out = []
    if set(entry) != set(FIELDS):
        odd = sorted(set(entry) ^ set(FIELDS))
        out.append(f"{where}: fields {odd} differ from {sorted(FIELDS)}")
    for key, kind in FIELDS.items():
        if key in entry and not isinstance(entry[key], kind):
            out.append(f"{where}: {key} is {type(entry[key]).__name__}, expected {kind}")
    if out:
        return out
    if not _ID.fullmatch(entry["id"]):
        out.append(f"{where}: id must be a lower-case slug")
    if not entry["url"].startswith(("http://", "https://")):
        out.append(f"{where}: url must be an http(s) address")
    if entry["date"] is not None and not _DATE.fullmatch(entry["date"]):
        out.append(f"{where}: date {entry['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if entry["date"] is None and not entry["notes"]:
        out.append(f"{where}: an undated article needs a note saying so")
    if entry["split"] not in SPLITS:
        out.append(f"{where}: split {entry['split']!r} is not one of {SPLITS}")
    if entry["era"] not in ERAS:
        out.append(f"{where}: era {entry['era']!r} is not one of {ERAS}")
    states = [entry["target"], *entry["actors"]]
    if entry["divider"] is not None:
        states.append(entry["divider"])
    partner = entry["partner"]
    if partner.startswith("org:"):
        if not is_organisation(actor_id(partner)):
            out.append(f"{where}: partner {partner!r} is no organisation of the membership table")
    else:
        states.append(partner)
    out.extend(f"{where}: {c!r} is no canonical state code" for c in states if not is_state(c))
    roles = [entry["divider"], entry["target"], partner]
    if len({r for r in roles if r is not None}) != sum(r is not None for r in roles):
        out.append(f"{where}: divider, target and partner must differ")
    missing = [r for r in roles if r is not None and not r.startswith("org:")]
    if not set(missing) <= set(entry["actors"]):
        out.append(f"{where}: the question's states {missing} must be among the actors")
    if len(set(entry["actors"])) != len(entry["actors"]):
        out.append(f"{where}: actors repeat")
    for f in entry["figures"]:
        if not isinstance(f, dict) or set(f) != set(FIGURE_FIELDS):
            out.append(f"{where}: figure {f!r} must have exactly {sorted(FIGURE_FIELDS)}")
            continue
        for key, kind in FIGURE_FIELDS.items():
            if not isinstance(f[key], kind) or isinstance(f[key], bool):
                out.append(f"{where}: figure {f['text']!r}: {key} is not {kind}")
        if f["currency"] not in CURRENCIES:
            out.append(f"{where}: figure {f['text']!r}: currency {f['currency']!r} unknown")
    if len(entry["extract"].split()) > 45:
        out.append(f"{where}: extract longer than the headline and one short sentence")
    return out


def figure_found(expected: dict[str, Any], figure: Any) -> bool:
    """Whether ``figure`` is the labelled money figure: its currency and an amount within 1%."""
    amount = float(expected["amount"])
    return (
        figure.unit == "money"
        and figure.currency == expected["currency"]
        and abs(figure.value - amount) <= 0.01 * abs(amount)
    )


def score(article: RealArticle, found: Any) -> dict[str, Any]:
    """The scores of one article read by the pipeline (a ``labelled.Read``)."""
    lab = article.label
    expected = {
        "divider": lab["divider"],
        "target": lab["target"],
        "partner": actor_id(lab["partner"]),
    }
    q = found.question
    got = (
        None
        if q is None
        else {
            "divider": getattr(q, "divider", None),
            "target": q.target,
            "partner": q.partner,
        }
    )
    states_expected = set(lab["actors"])
    kinds = {m.actor: m.kind for m in found.mentions}
    parties = getattr(found, "extra", {}).get("parties")
    if parties is None:  # a read without the parties step: every state it names
        parties = list(kinds)
    states_found = {a for a in parties if kinds.get(a) == "state"}
    figures = lab["figures"] or []
    hits = _matched(figures, found.figures, figure_found)
    dated = _matched(
        figures,
        found.figures,
        lambda e, g: figure_found(e, g) and getattr(g, "year", None) == e["year"],
    )
    return {
        "article": article.id,
        "question_expected": expected,
        "question_found": got,
        "question_right": got == expected,
        "reason": getattr(q, "reason", None),
        "actors_true": len(states_expected & states_found),
        "actors_found": len(states_found),
        "actors_expected": len(states_expected),
        "actors_missed": sorted(states_expected - states_found),
        "actors_extra": sorted(states_found - states_expected),
        "figures_expected": len(figures),
        "figures_hit": sum(hits),
        "figures_dated": sum(dated),
        "figures_missed": [f["text"] for f, hit in zip(figures, hits, strict=True) if not hit],
    }


def evaluate(
    folder: str | Path,
    split: str = "dev",
    path: str | Path = LABELS,
    con: Any = None,
    given: str | None = None,
) -> dict[str, Any]:
    """Read every article of ``split`` from ``folder`` and score it (with a store ``con``,
    the question is read with the world data's ties, as ``alliances ingest --ground``;
    with ``given`` a role, its labelled actor is given, as ``alliances ingest --partner``).

    Returns ``articles``, ``question_right`` (share), ``actor_recall`` and
    ``actor_precision`` (pooled over the articles), ``figure_recall``,
    ``figure_year_recall`` and ``per_article``.
    """
    if split not in SPLITS:
        msg = f"split {split!r}: expected one of {SPLITS}"
        raise ValueError(msg)
    chosen = [a for a in load(path) if a.label["split"] == split]
    rows = [score(a, read(a.text(folder), con, _given(a, given))) for a in chosen]

    def total(key: str) -> int:
        return sum(r[key] for r in rows)

    return {
        "split": split,
        "grounded": con is not None,
        "given": given,
        "articles": len(rows),
        "question_right": _ratio(sum(r["question_right"] for r in rows), len(rows)),
        "actor_recall": _ratio(total("actors_true"), total("actors_expected")),
        "actor_precision": _ratio(total("actors_true"), total("actors_found")),
        "figure_recall": _ratio(total("figures_hit"), total("figures_expected")),
        "figure_year_recall": _ratio(total("figures_dated"), total("figures_expected")),
        "per_article": rows,
    }


def _given(article: RealArticle, role: str | None) -> dict[str, str | None] | None:
    """The labelled actor of ``role`` as a given role, or None."""
    if role is None:
        return None
    actor = article.label[role]
    return {role: actor_id(actor) if role == "partner" else actor}


def report(scores: dict[str, Any]) -> str:
    """The scores as a few lines, then what each article missed."""
    lines = [
        f"real articles ({scores['split']}{', grounded' if scores.get('grounded') else ''}"
        f"{', ' + scores['given'] + ' given' if scores.get('given') else ''})"
        f"  {scores['articles']}",
        f"question right       {scores['question_right']:.0%}",
        f"actor recall         {scores['actor_recall']:.2f}",
        f"actor precision      {scores['actor_precision']:.2f}",
        f"figure recall        {scores['figure_recall']:.2f}",
        f"figure year recall   {scores['figure_year_recall']:.2f}",
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
            notes.append(f"figures missed {r['figures_missed']}")
        lines.append(f"  {r['article']}: " + ("; ".join(notes) if notes else "all right"))
    return "\n".join(lines)


if __name__ == "__main__":
    folder = texts_folder()
    if folder is None:
        sys.exit(f"set {ENV} to the folder of the article texts")
    args = [a for a in sys.argv[1:] if a != "--ground"]
    role = None
    if "--given" in args:  # --given divider|target|partner: that labelled role is given
        at = args.index("--given")
        role = args[at + 1]
        del args[at : at + 2]
    split = args[0] if args else "dev"
    if "--ground" in sys.argv:
        from alliances.world import connect

        with connect() as con:
            print(report(evaluate(folder, split, con=con, given=role)))
    else:
        print(report(evaluate(folder, split, given=role)))
