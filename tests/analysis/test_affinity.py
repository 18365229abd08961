import numpy as np
import pandas as pd
import pytest

from alliances.analysis.affinity import bsv_roll_calls, vote_affinity
from alliances.errors import ParameterError


def votes_of(table):
    """{rcid: {state: vote}} -> long frame."""
    rows = [(rc, st, v) for rc, cast in table.items() for st, v in cast.items()]
    return pd.DataFrame(rows, columns=["rcid", "ccode", "vote"])


VOTES = votes_of(
    {
        1: {2: "yes", 365: "yes", 630: "no"},
        2: {2: "yes", 365: "no", 630: "no"},
        3: {2: "abstain", 365: "no", 630: "yes"},
        4: {2: "no", 365: "no"},  # 630 absent
    }
)


def pair(frame, a, b):
    return frame.query("ccode1 == @a and ccode2 == @b").iloc[0]


def test_agreement_is_the_share_of_identical_votes_over_joint_roll_calls():
    result = vote_affinity(VOTES)
    usa_rus = pair(result, 2, 365)
    assert usa_rus.joint == 4
    assert usa_rus.agree == pytest.approx(2 / 4)
    assert pair(result, 2, 630).joint == 3
    assert pair(result, 2, 630).agree == pytest.approx(0.0)


def test_s_scores_follow_signorino_and_ritter_on_a_hand_computed_case():
    # USA-RUS distances on the 0, 1/2, 1 line: 0, 1, 1/2, 0
    usa_rus = pair(vote_affinity(VOTES), 2, 365)
    assert usa_rus.s_abs == pytest.approx(1 - 2 * (0 + 1 + 0.5 + 0) / 4)
    assert usa_rus.s_sq == pytest.approx(1 - 2 * (0 + 1 + 0.25 + 0) / 4)


def test_kappa_corrects_for_each_states_own_vote_frequencies():
    usa_rus = pair(vote_affinity(VOTES), 2, 365)
    position = {"yes": 0.0, "abstain": 0.5, "no": 1.0}
    usa = [position[v] for v in ["yes", "yes", "abstain", "no"]]
    rus = [position[v] for v in ["yes", "no", "no", "no"]]
    observed = np.mean(np.abs(np.subtract(usa, rus)))
    expected = np.mean([abs(a - b) for a in usa for b in rus])
    assert usa_rus.kappa_abs == pytest.approx(1 - observed / expected)


def test_measures_are_symmetric_and_self_pairs_are_left_out():
    result = vote_affinity(VOTES)
    assert not (result.ccode1 == result.ccode2).any()
    for column in ("joint", "agree", "s_abs", "s_sq", "kappa_abs", "kappa_sq"):
        assert pair(result, 2, 365)[column] == pytest.approx(pair(result, 365, 2)[column])


def test_identical_voters_have_no_kappa_rather_than_a_division_by_zero():
    same = votes_of({1: {2: "yes", 20: "yes"}, 2: {2: "yes", 20: "yes"}})
    row = pair(vote_affinity(same), 2, 20)
    assert row.agree == 1.0
    assert row.s_abs == 1.0
    assert np.isnan(row.kappa_abs)


def test_groups_are_computed_separately_and_row_order_does_not_matter():
    votes = VOTES.assign(session=np.where(VOTES.rcid <= 2, 40, 41))
    result = vote_affinity(votes, by="session")
    assert pair(result.query("session == 40"), 2, 365).agree == pytest.approx(0.5)
    shuffled = vote_affinity(votes.sample(frac=1, random_state=0), by="session")
    pd.testing.assert_frame_equal(
        result.sort_values(["session", "ccode1", "ccode2"]).reset_index(drop=True),
        shuffled.sort_values(["session", "ccode1", "ccode2"]).reset_index(drop=True),
    )


@pytest.mark.parametrize("absent", [None, np.nan, pd.NA])
def test_missing_votes_are_absences_left_out_and_input_is_not_modified(absent):
    extra = pd.DataFrame({"rcid": [5, 5], "ccode": [2, 365], "vote": ["yes", absent]})
    votes = pd.concat([VOTES, extra], ignore_index=True)
    before = votes.copy()
    assert pair(vote_affinity(votes), 2, 365).joint == 4
    pd.testing.assert_frame_equal(votes, before)


def test_missing_votes_in_a_categorical_column_are_left_out():
    votes = VOTES.assign(vote=pd.Categorical(VOTES.vote, categories=["yes", "abstain", "no"]))
    votes.loc[len(votes)] = [5, 2, np.nan]
    assert pair(vote_affinity(votes), 2, 365).joint == 4


def test_voeten_numeric_vote_codes_are_refused_listing_found_and_accepted_values():
    votes = VOTES.assign(vote=VOTES.vote.map({"yes": 1, "abstain": 2, "no": 3}))
    with pytest.raises(
        ParameterError,
        match=r"votes\.vote holds values that are not votes: 1, 3, 2 \(11 rows\); "
        r"expected 'yes', 'abstain' or 'no' \(lower case\), or missing for an absence",
    ):
        vote_affinity(votes)


def test_capitalised_vote_strings_are_refused_rather_than_giving_an_empty_frame():
    votes = VOTES.assign(vote=VOTES.vote.str.capitalize())
    with pytest.raises(ParameterError, match=r"not votes: 'Yes', 'No', 'Abstain' \(11 rows\)"):
        vote_affinity(votes)


def test_unknown_vote_values_are_refused_even_among_valid_ones_and_in_groups():
    votes = pd.concat(
        [VOTES, pd.DataFrame({"rcid": [5], "ccode": [2], "vote": ["absent"]})], ignore_index=True
    ).assign(session=1)
    with pytest.raises(ParameterError, match=r"not votes: 'absent' \(1 rows\)"):
        vote_affinity(votes, by="session")


def test_refused_vote_values_are_listed_at_most_ten_with_the_rest_counted():
    votes = pd.DataFrame({"rcid": range(12), "ccode": 2, "vote": [f"v{i}" for i in range(12)]})
    with pytest.raises(ParameterError, match=r"'v9' and 2 more \(12 rows\)"):
        vote_affinity(votes)


def test_a_renamed_vote_column_is_named_in_the_error():
    votes = VOTES.rename(columns={"vote": "choice"}).assign(choice="Y")
    with pytest.raises(ParameterError, match=r"votes\.choice holds values that are not votes"):
        vote_affinity(votes, vote="choice")


def test_bsv_roll_calls_refuses_numeric_vote_codes_too():
    calls = pd.DataFrame({"rcid": [1, 2, 3, 4], "session": 72, "amend": 0, "para": 0})
    votes = VOTES.assign(vote=VOTES.vote.map({"yes": 1, "abstain": 2, "no": 3}))
    with pytest.raises(ParameterError, match=r"votes\.vote holds values that are not votes"):
        bsv_roll_calls(votes, calls)


def test_bsv_roll_calls_drop_unanimous_late_amendments_and_session_19():
    calls = pd.DataFrame(
        {
            "rcid": [1, 2, 3, 4, 5],
            "session": [10, 10, 45, 45, 19],
            "amend": [1, 0, 1, None, 0],
            "para": [0, 0, 0, None, 0],
        }
    )
    votes = votes_of(
        {
            1: {2: "yes", 365: "no"},  # amendment before session 40: kept
            2: {2: "yes", 365: "yes"},  # unanimous: dropped
            3: {2: "yes", 365: "no"},  # amendment from session 40: dropped
            4: {2: "yes", 365: "no"},  # unflagged: kept
            5: {2: "yes", 365: "no"},  # session 19: dropped
        }
    )
    kept = bsv_roll_calls(votes, calls)
    assert kept.to_dict() == {1: True, 2: False, 3: False, 4: True, 5: False}


def test_all_dyads_of_many_sessions_in_one_call():
    rng = np.random.default_rng(0)
    rows = [(rc, st, rng.choice(["yes", "no", "abstain"])) for rc in range(60) for st in range(30)]
    votes = pd.DataFrame(rows, columns=["rcid", "ccode", "vote"]).assign(
        session=lambda f: f.rcid // 20
    )
    result = vote_affinity(votes, by="session")
    assert len(result) == 3 * 30 * 29
    assert result["agree"].between(0, 1).all()
    assert result["s_abs"].between(-1, 1).all()


def test_missing_columns_are_named_with_what_was_found():
    with pytest.raises(ParameterError, match=r"votes lacks the column\(s\) 'session'.*found"):
        vote_affinity(VOTES, by="session")
    with pytest.raises(ParameterError, match=r"roll_calls lacks the column\(s\) 'para'"):
        bsv_roll_calls(VOTES, pd.DataFrame({"rcid": [1], "session": [72], "amend": [0]}))
