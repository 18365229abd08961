"""Fit the role model of ``alliances ingest`` (``src/alliances/ingest/role_model.json``).

The procedure, fixed before any fit was scored on the test half:

1. the cases are the development articles of ``articles.yaml`` (splits ``dev``, ``dev2``
   and ``dev3``; never ``test``), read by the same pipeline as the scorer up to the
   question's candidate triples (``alliances.ingest.question.candidates``); an article
   whose labelled triple is not among its candidates (an actor the reader does not find,
   or no framing cue at all) cannot teach the ranking and is left out (counted);
2. each case's group is its story, the unordered pair of its target and partner, so that
   the articles on one story fall in one fold;
3. for each of the two models (``text``: the text's features; ``grounded``: those and
   the world data's ties of the article's year, from the default store), grouped 5-fold
   cross-validation over the ridge penalties of
   ``alliances.ingest.role_model.cross_validate`` picks the penalty of lowest log-loss;
4. each model is refitted on every case at its penalty and written with what it was
   fitted on and its cross-validated scores.

Run ``ALLIANCES_REAL_ARTICLES=/path .venv/bin/python tests/ingest/real_articles/fit_roles.py
[--write]`` (with the store built: ``alliances data build``): it prints the
cross-validation tables, and with ``--write`` writes ``role_model.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

_HERE = Path(__file__).resolve().parent
for _folder in (_HERE, _HERE.parent):  # real_scoring.py, and labelled.py beside it
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from labelled import article_year, articles  # noqa: E402
from real_scoring import ENV, LABELS, RealArticle, actor_id, load, texts_folder  # noqa: E402

from alliances._files import atomic_write  # noqa: E402
from alliances.ingest import actors, question, text  # noqa: E402
from alliances.ingest.role_model import (  # noqa: E402
    MODEL_FILE,
    SCHEMA_VERSION,
    VARIANTS,
    Case,
    RoleModel,
    cross_validate,
    fit_role_model,
)
from alliances.ingest.ties import world_ties  # noqa: E402
from alliances.world import connect  # noqa: E402

FIT_SPLITS = ("dev", "dev2", "dev3")
MODEL = Path(question.__file__).with_name(MODEL_FILE)


def candidates(raw: str, con: Any) -> Any:
    """The question's candidates of one article (None when it names too few actors), the
    world data's ties from the store ``con`` known."""
    cleaned = text.clean(raw)
    year = article_year(cleaned.text, cleaned.date)
    mentions = actors.find_actors(cleaned.text, year=year)
    ties = world_ties(con, mentions, year)
    return question.candidates(cleaned.text, mentions, title=cleaned.title, year=year, ties=ties)


def case_of(article: RealArticle, folder: Path, con: Any) -> Case | None:
    """The fitting case of one article, or None when its labelled triple is no candidate."""
    lab = article.label
    truth = (lab["divider"], lab["target"], actor_id(lab["partner"]))
    found = candidates(article.text(folder), con)
    if not isinstance(found, question.Candidates) or truth not in found.triples:
        return None
    group = "|".join(sorted((lab["target"], actor_id(lab["partner"]))))
    return Case(found.features, found.triples.index(truth), group, np.array(found.rule))


def fit(folder: Path, con: Any) -> dict[str, RoleModel]:
    """Each model of :data:`VARIANTS`, cross-validated and refitted on every case."""
    chosen = [a for a in load(LABELS) if a.label["split"] in FIT_SPLITS]
    cases, used, left = [], [], []
    for article in chosen:
        case = case_of(article, folder, con)
        if case is None:
            left.append(article.id)
        else:
            cases.append(case)
            used.append(article.id)
    written = []
    for article in articles():
        q = article.expected["question"]
        truth = (q["divider"], q["target"], q["partner"])
        found = candidates(article.raw, con)
        if found is not None and truth in found.triples:
            group = "|".join(sorted(truth[1:]))
            written.append(
                Case(found.features, found.triples.index(truth), group, np.array(found.rule))
            )
    fitted_on = {
        "splits": list(FIT_SPLITS),
        "articles": len(chosen),
        "cases": len(cases),
        "written_cases": len(written),
        "case_ids": used,
        "left_out": left,
        "labels_sha256": hashlib.sha256(LABELS.read_bytes()).hexdigest(),
        "procedure": "tests/ingest/real_articles/fit_roles.py",
    }
    models = {}
    for variant, features in VARIANTS.items():
        cv = cross_validate(cases, features=features, extra=written)
        m = fit_role_model(cases + written, cv["best_l2"], features)
        models[variant] = RoleModel(m.features, m.mean, m.scale, m.coef, m.l2, fitted_on, cv)
    return models


def main(argv: list[str]) -> int:
    folder = texts_folder()
    if folder is None:
        print(f"set {ENV} to the folder of the article texts", file=sys.stderr)
        return 2
    with connect() as con:
        models = fit(folder, con)
    for variant, model in models.items():
        cv, on = model.cv, model.fitted_on
        print(f"{variant}: {on['cases']} cases of {on['articles']} articles")
        print(f"  the hand-set vote alone: accuracy {cv['baseline_accuracy']:.2f}")
        for l2, row in cv["by_l2"].items():
            mark = " <" if float(l2) == cv["best_l2"] else ""
            scores = f"accuracy {row['accuracy']:.2f}  log-loss {row['log_loss']:.3f}"
            print(f"  l2 {l2:>6}: {scores}{mark}")
    if "--write" in argv:
        doc = {
            "schema_version": SCHEMA_VERSION,
            "models": {k: m.to_dict() for k, m in models.items()},
        }
        atomic_write(MODEL, json.dumps(doc, indent=1) + "\n")
        print(f"wrote {MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
