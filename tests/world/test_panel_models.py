"""A panel goes straight into a model: statsmodels' formulas and NumPy's least squares.

Needs ``../shared/data`` (the ``real_store`` fixture builds the store once a session).
"""

from __future__ import annotations

import numpy as np
import pytest

from alliances.world import connect, dyad_years

COLUMNS = ["cowmid_onset", "cowmidspell", "conttype", "cowmaj1", "cowmaj2"]


@pytest.fixture(scope="module")
def frame(real_store):
    path, _ = real_store
    con = connect(path)
    try:
        panel = (
            dyad_years(con, years=(1990, 2010), directed=False)
            .filter_prd()
            .with_("mids", "peace_years", "contiguity", "majors")
        )
        return panel.to_pandas(dtype_backend="float")
    finally:
        con.close()


def test_a_float_panel_gives_numeric_numpy_arrays(frame):
    values = frame[COLUMNS].to_numpy()
    assert values.dtype in (np.int64, np.float64)  # not object, as nullable columns give
    assert frame["year"].dtype == np.int64  # keys stay integers: nothing is missing
    with_missing = frame["cowmaj1"].to_numpy()
    assert with_missing.dtype in (np.int64, np.float64)


def test_a_logit_of_mid_onset_runs_from_the_frame_with_statsmodels_formulas(frame):
    import statsmodels.formula.api as smf

    fit = smf.logit(
        "cowmid_onset ~ cowmidspell + I(cowmidspell**2) + I(cowmidspell**3) + conttype",
        data=frame.dropna(subset=COLUMNS),
    ).fit(disp=False)
    assert fit.mle_retvals["converged"]
    assert fit.nobs == frame.dropna(subset=COLUMNS).shape[0] > 10_000
    # peace years lower the chance of a new dispute, as in every published model
    assert fit.params["cowmidspell"] < 0
    assert np.isfinite(fit.bse).all()


def test_a_linear_probability_model_runs_from_the_frame_with_numpy(frame):
    rows = frame.dropna(subset=COLUMNS)
    x = np.column_stack([np.ones(len(rows)), rows[COLUMNS[1:]].to_numpy()])
    beta, *_ = np.linalg.lstsq(x, rows["cowmid_onset"].to_numpy(), rcond=None)
    assert np.isfinite(beta).all()
    assert beta[1] < 0  # peace years
