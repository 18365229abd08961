"""The alignment of a year names and finds states as they were in that year."""

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
