"""The alignment of a year names and finds states as they were in that year."""

import re

import pytest

from alliances.errors import DataError
from alliances.studies.world_alignment import _cow, _name


def test_states_are_named_as_in_the_year_of_the_alignment():
    assert _name(345, 2014) == "Serbia"
    assert _name(345, 1990) == "Yugoslavia"
    assert _name(365, 1985) == "Soviet Union"


def test_a_state_cow_lists_under_an_older_name_is_found_by_its_name_of_the_year():
    assert _cow("Serbia", 2014) == 345
    with pytest.raises(DataError, match="Serbia has no COW code in 1990"):
        _cow("Serbia", 1990)


@pytest.mark.parametrize(
    ("year", "actors", "said"),
    [
        (2022, None, "no signed tie among the states in 2022: atop_alliance covers 1815–2018"),
        (2023, None, "no capability data (CINC) in 2023 for any state; COW NMC covers"),
        (1980, ["Germany", "France"], "Germany: not a state of the COW system in 1980"),
    ],
)
def test_an_alignment_the_data_cannot_give_says_why(real_con, year, actors, said):
    from alliances.studies.world_alignment import align_world

    with pytest.raises(DataError, match=re.escape(said)):
        align_world(real_con, year, actors)
