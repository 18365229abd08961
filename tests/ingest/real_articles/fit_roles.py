"""Fit the role model of ``alliances ingest`` (``src/alliances/ingest/role_model.json``).

The procedure, fixed before any fit was scored on the test half:

1. the cases are the development articles of ``articles.yaml`` (splits ``dev``, ``dev2``
   and ``dev3``; never ``test``), read by the same pipeline as the scorer up to the
   question's candidate triples (``alliances.ingest.question._candidates``); an article
   whose labelled triple is not among its candidates (an actor the reader does not find,
   or no framing cue at all) cannot teach the ranking and is left out (counted);
2. each case's group is its story, the unordered pair of its target and partner, so that
   the articles on one story fall in one fold;
3. grouped 5-fold cross-validation over the ridge penalties of
   ``alliances.ingest.role_model.cross_validate`` picks the penalty of lowest log-loss;
4. the model is refitted on every case at that penalty and written with what it was
   fitted on and its cross-validated scores.

Run ``ALLIANCES_REAL_ARTICLES=/path .venv/bin/python tests/ingest/real_articles/fit_roles.py
[--write]``: it prints the cross-validation table, and with ``--write`` writes the model.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from labelled import article_year
from real_scoring import ENV, LABELS, RealArticle, actor_id, load, texts_folder

from alliances._files import atomic_write
from alliances.ingest import actors, question, text
from alliances.ingest.role_model import MODEL_FILE, Case, cross_validate, fit_role_model

FIT_SPLITS = ("dev", "dev2", "dev3")
MODEL = Path(question.__file__).with_name(MODEL_FILE)


def candidates(raw: str) -> Any:
    """The question's candidates of one article (or its guess / None)."""
    cleaned = text.clean(raw)
    year = article_year(cleaned.text, cleaned.date)
    mentions = actors.find_actors(cleaned.text, year=year)
    return question._candidates(cleaned.text, mentions, title=cleaned.title, year=year)


def case_of(article: RealArticle, folder: Path) -> Case | None:
    """The fitting case of one article, or None when its labelled triple is no candidate."""
    lab = article.label
    truth = (lab["divider"], lab["target"], actor_id(lab["partner"]))
    found = candidates(article.text(folder))
    if not isinstance(found, question._Candidates) or truth not in found.triples:
        return None
    group = "|".join(sorted((lab["target"], actor_id(lab["partner"]))))
    return Case(found.features, found.triples.index(truth), group)


def fit(folder: Path) -> tuple[dict[str, Any], Any]:
    """The cross-validation table and the model refitted on every case."""
    chosen = [a for a in load(LABELS) if a.label["split"] in FIT_SPLITS]
    cases, used, left = [], [], []
    for article in chosen:
        case = case_of(article, folder)
        if case is None:
            left.append(article.id)
        else:
            cases.append(case)
            used.append(article.id)
    cv = cross_validate(cases)
    cv["left_out"] = left
    cv["articles"] = len(chosen)
    model = fit_role_model(cases, cv["best_l2"])
    labels = LABELS.read_bytes()
    fitted_on = {
        "splits": list(FIT_SPLITS),
        "cases": len(cases),
        "case_ids": used,
        "labels_sha256": hashlib.sha256(labels).hexdigest(),
        "procedure": "tests/ingest/real_articles/fit_roles.py",
    }
    return cv, type(model)(
        model.features, model.mean, model.scale, model.coef, model.l2, fitted_on, cv
    )


def main(argv: list[str]) -> int:
    folder = texts_folder()
    if folder is None:
        print(f"set {ENV} to the folder of the article texts", file=sys.stderr)
        return 2
    cv, model = fit(folder)
    print(f"cases {cv['cases']} of {cv['articles']} articles ({len(cv['left_out'])} left out)")
    print(f"rule score alone: accuracy {cv['rule_accuracy']:.2f}")
    for l2, row in cv["by_l2"].items():
        mark = " <" if float(l2) == cv["best_l2"] else ""
        print(f"l2 {l2:>6}: accuracy {row['accuracy']:.2f}  log-loss {row['log_loss']:.3f}{mark}")
    if "--write" in argv:
        atomic_write(MODEL, json.dumps(model.to_dict(), indent=1) + "\n")
        print(f"wrote {MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
