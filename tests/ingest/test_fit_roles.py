"""The shipped role model (``role_model.json``) is what its documented procedure makes:
refitting it from the development articles gives the same coefficients (with the texts,
``ALLIANCES_REAL_ARTICLES``, and a built store)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from real_articles.real_scoring import ENV, LABELS, texts_folder

from alliances.ingest.role_model import VARIANTS, read_role_models


@pytest.mark.slow
def test_refitting_from_the_development_articles_gives_the_shipped_model():
    folder = texts_folder()
    if folder is None:
        pytest.skip(f"{ENV} is not set to the folder of the real article texts")
    from real_articles import fit_roles

    from alliances.world import connect

    shipped = read_role_models(json.loads(fit_roles.MODEL.read_text(encoding="utf-8")))
    with connect() as con:
        refitted = fit_roles.fit(folder, con)
    assert set(refitted) == set(VARIANTS)
    for variant, model in refitted.items():
        ship = shipped[variant]
        assert model.features == ship.features
        assert model.l2 == ship.l2
        np.testing.assert_allclose(model.coef, ship.coef, rtol=1e-4, atol=1e-6)
        assert model.fitted_on["case_ids"] == ship.fitted_on["case_ids"]
        assert model.fitted_on["labels_sha256"] == ship.fitted_on["labels_sha256"]
        assert "test" not in model.fitted_on["splits"]
    assert LABELS.exists()
