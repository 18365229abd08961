"""A scenario's actors by their names: ids first."""


def test_an_actors_own_id_wins_over_another_actors_cow_letters():
    from alliances.scenario.model import _actor_aliases

    # Mongolia's ISO code MNG is Montenegro's COW letter code: a bond "between: [MNE, MNG]"
    # joined Montenegro to itself (found by the 2012-2014 world sweep).
    aliases = _actor_aliases({"actors": [{"state": "Montenegro"}, {"state": "Mongolia"}]})
    assert aliases["mng"] == "MNG"
    assert aliases["mne"] == "MNE"
    assert aliases["montenegro"] == "MNE"
