def test_histogram_bins_of_a_huge_range_are_counted_before_they_are_made():
    import numpy as np

    from alliances.plotting._common import histogram_bins

    rng = np.random.default_rng(0)
    values = np.concatenate([4.0 + rng.random(5000) * 1e-3, rng.lognormal(20, 10, 100)])
    edges = histogram_bins(values)  # Freedman–Diaconis would ask for about 10^12 bins
    assert len(edges) == 201
    assert edges[0] == values.min()
