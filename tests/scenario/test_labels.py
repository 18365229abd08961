"""Labels for people: every input of a scenario in words, built from the scenario itself."""

import doctest

import pytest

from alliances.analysis.wedge import compile_model
from alliances.scenario import dump_yaml, labels, load_builtin, parse_yaml
from alliances.scenario.labels import count, describe, input_label, number, words
from alliances.scenario.quantity import LogNormal, Point, Triangular, Uniform


@pytest.fixture(scope="module")
def builtin():
    return load_builtin("russia-iran-2017")


def test_labels_doctests_pass():
    assert doctest.testmod(labels).failed == 0


def test_every_input_of_the_builtin_has_a_label_that_is_not_its_path(builtin):
    model = compile_model(builtin)
    for i in model.inputs:
        assert i.label
        assert i.label != i.name
        assert "." not in i.label.replace("U.S.", "")  # no path left in it
    assert len({i.label for i in model.inputs}) == len(model.inputs)  # none shared


def test_labels_name_the_actors_the_question_is_about(builtin):
    assert (
        input_label(builtin, "question.partner_bid.means") == "what Iran can spend to keep Russia"
    )
    assert (
        input_label(builtin, "question.divider_payoff.value_of_split")
        == "value to the United States of a neutral Russia"
    )


def test_labels_follow_the_scenario_not_a_list_written_for_it(builtin):
    """Renaming a bond changes its labels by the same rules (China is an actor)."""
    renamed = parse_yaml(dump_yaml(builtin).replace("syria-foothold", "china-gateway"))
    assert (
        input_label(renamed, "bonds.china-gateway.RUS.value")
        == "yearly value to Russia of its Chinese gateway"
    )


def test_an_id_with_digits_gives_way_to_the_first_clause_of_the_description(builtin):
    described = "New sanctions on Russian arms exports if Russia keeps arming Iran."
    assert words(builtin, "threat-1", described) == (
        "the new sanctions on Russian arms exports if Russia keeps arming Iran"
    )


def test_an_unknown_path_is_its_own_label(builtin):
    assert input_label(builtin, "question.nothing_here") == "question.nothing_here"


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (Point(value=7.5, unit="USD bn/yr", source="x"), "7.5 USD bn a year"),
        (Point(value=-3.5, unit="%", source="x"), "-3.5%"),
        (Point(value=0.1, unit="1/yr", source="x"), "0.1 a year"),
        (
            Triangular(low=1, mode=2, high=4, unit="years", source="x"),
            "1 to 4 years, most likely 2",
        ),
        (
            LogNormal(median=3, p90=12, unit="USD bn", source="x"),
            "median 3 USD bn, 1 in 10 above 12",
        ),
        (Uniform(low=0.2, high=0.4, source="x"), "0.2 to 0.4, any value equally likely"),
    ],
)
def test_describe_writes_quantities_in_plain_units_without_a_python_repr(quantity, text):
    assert describe(quantity) == text
    assert "(" not in describe(quantity)


def test_numbers_never_use_an_exponent():
    for value in (5.0, 1.5e-7, 123456789.0, 0.25, 2.0e-3):
        assert "e" not in number(value)
    assert number(5.0) == "5"


def test_counts_put_the_noun_in_the_right_number():
    assert [count(n, "partition") for n in (0, 1, 2)] == [
        "no partitions",
        "1 partition",
        "2 partitions",
    ]


def test_a_scenarios_repr_is_short_and_its_html_escaped(builtin):
    assert len(repr(builtin)) < 1500
    assert repr(builtin).startswith("Scenario russia-iran-2017 (2017)")
    risky = builtin.model_copy(update={"title": "<script>x</script>"})
    assert "<script>" not in risky._repr_html_()
    assert "&lt;script&gt;" in risky._repr_html_()
