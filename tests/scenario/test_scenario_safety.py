"""A scenario file cannot hurt: every refusal is a ScenarioError naming file and line.

Each test feeds one kind of hostile or broken input to :func:`alliances.scenario.load`
or :func:`alliances.scenario.parse_yaml` and checks that it is refused (or read) the
documented way: quickly, with little memory, and with a message that names the file,
the line or path, and what was expected.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from test_scenario import MINIMAL, edit, line_of

from alliances.errors import Problem, ScenarioError
from alliances.scenario import Scenario, load, load_builtin, parse_yaml
from alliances.scenario.io import MAX_BYTES, MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES

FILE = "hostile.yaml"

# The classic "billion laughs": nine levels of nine aliases, about 14 KB once padded,
# that a loader expanding aliases would turn into 9^9 ≈ 387 million strings.
BOMB = (
    'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "".join(f"# padding {'x' * 90}\n" for _ in range(140))
)


def refused(text: str, file: str = FILE) -> ScenarioError:
    """The error parsing ``text`` as ``file`` raises (and only that type)."""
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, file=file)
    error = info.value
    assert file in str(error)
    assert error.file == file
    return error


def problem_with(error: ScenarioError, fragment: str) -> Problem:
    found = [p for p in error.problems if fragment in p.message]
    assert found, f"no problem says {fragment!r}: {[p.message for p in error.problems]}"
    return found[0]


def shown(error: ScenarioError, problem: Problem) -> None:
    """The problem's line and path are in the printed message."""
    text = str(error)
    if problem.line is not None:
        assert f"line {problem.line}," in text
    assert (problem.path or "(top level)") in text


def finishes_within(seconds: float, work, *args):
    """Run ``work(*args)`` in a thread; its result or exception, or fail on a timeout."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work(*args)
        except BaseException as err:  # handed back to the test
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome


def run_isolated(code: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in a child with a time limit and a 3 GB address-space cap."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        cap = 3 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if os.name == "posix" else None,
        check=False,
    )


# --- what load() reads ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    try:
        outcome = finishes_within(5.0, load, fifo)
    finally:
        # Should a reader be blocked opening the pipe, a writer lets it go.
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    error = outcome.get("error")
    assert isinstance(error, ScenarioError), outcome
    assert str(fifo) in str(error)
    assert "named pipe (FIFO)" in str(error)
    assert "expected a regular YAML file" in str(error)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_device_is_refused_as_not_a_regular_file():
    outcome = finishes_within(5.0, load, "/dev/null")
    error = outcome.get("error")
    assert isinstance(error, ScenarioError), outcome
    assert "/dev/null" in str(error)
    assert "character device" in str(error)


def test_folder_is_refused_as_a_folder(tmp_path):
    with pytest.raises(ScenarioError, match="it is a folder, not a scenario file") as info:
        load(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_file_over_the_size_cap_is_refused_with_both_sizes(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: no 5 MiB written
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ScenarioError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message
    assert f"{MAX_BYTES + 1:,} bytes" in message
    assert f"at most {MAX_BYTES:,} bytes (5 MiB)" in message


def test_text_over_the_size_cap_is_refused():
    text = "title: " + "x" * MAX_BYTES + "\n"
    message = str(refused(text))
    assert "at most 5,242,880 bytes" in message


def test_dash_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MINIMAL.encode("utf-8"))))
    scenario = load("-")
    assert isinstance(scenario, Scenario)
    assert scenario.id == "mini"


def test_standard_input_over_the_size_cap_is_refused(monkeypatch):
    data = b"title: " + b"x" * MAX_BYTES
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    with pytest.raises(ScenarioError, match=r"^<stdin>: 1 problem") as info:
        load("-")
    assert f"more than {MAX_BYTES:,} bytes" in str(info.value)


def test_standard_input_errors_name_stdin(monkeypatch):
    text = edit(MINIMAL, "horizon: 10", "horizon: ten")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    with pytest.raises(ScenarioError) as info:
        load("-")
    assert str(info.value).startswith("<stdin>: 1 problem")
    assert info.value.problems[0].line == line_of(MINIMAL, "horizon: 10")


def test_builtin_names_still_load():
    assert load("russia-iran-2017") == load_builtin("russia-iran-2017")


def test_invalid_utf8_gives_the_byte_offset_and_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    data = edit(MINIMAL, "A minimal scenario", "A minimal scénario").encode("latin-1")
    path.write_bytes(data)
    with pytest.raises(ScenarioError) as info:
        load(path)
    [problem] = info.value.problems
    assert str(path) in str(info.value)
    assert problem.line == line_of(MINIMAL, "title:")
    offset = data.index("é".encode("latin-1"))
    assert f"byte 0xE9 at byte offset {offset}" in problem.message
    assert "save the file as UTF-8" in problem.message


def test_utf16_file_is_refused_with_advice(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes(MINIMAL.encode("utf-16"))
    with pytest.raises(ScenarioError, match=r"UTF-16.*save it as UTF-8") as info:
        load(path)
    assert str(path) in str(info.value)


def test_bom_and_crlf_line_ends_load_fine(tmp_path):
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8"))
    assert load(path) == parse_yaml(MINIMAL)
    assert parse_yaml("\ufeff" + MINIMAL.replace("\n", "\r\n")) == parse_yaml(MINIMAL)


def test_crlf_keeps_line_numbers_right():
    text = edit(MINIMAL, "horizon: 10", "horizon: ten").replace("\n", "\r\n")
    [problem] = refused(text).problems
    assert problem.line == line_of(MINIMAL, "horizon: 10")


def test_bytes_are_read_as_utf8_and_other_types_refused():
    assert parse_yaml(MINIMAL.encode("utf-8")) == parse_yaml(MINIMAL)
    error = refused(12345)  # type: ignore[arg-type]
    assert "expected YAML text, got int" in str(error)


# --- what the YAML may hold ---------------------------------------------------------------


def test_alias_bomb_is_refused_quickly():
    assert 13_000 < len(BOMB.encode("utf-8")) < 16_000
    error = refused(BOMB)
    anchor = problem_with(error, "anchors (&a) are not allowed")
    assert anchor.line == 1
    alias = problem_with(error, "aliases (*a) are not allowed")
    assert alias.line == 2
    assert alias.path == "l0[0]"
    shown(error, alias)


@pytest.mark.slow
def test_alias_bomb_is_refused_with_little_memory():
    # In a child process, so that a loader that expands aliases cannot take this one down.
    code = f"""
        import tracemalloc
        from alliances.errors import ScenarioError
        from alliances.scenario import parse_yaml
        bomb = {BOMB!r}
        tracemalloc.start()
        try:
            parse_yaml(bomb, file="bomb.yaml")
        except ScenarioError as err:
            assert "bomb.yaml" in str(err)
            print("refused", tracemalloc.get_traced_memory()[1])
        else:
            print("accepted")
    """
    try:
        result = run_isolated(code)
    except subprocess.TimeoutExpired:
        pytest.fail("the alias bomb was not refused within 30 s")
    assert result.returncode == 0, result.stderr[-2000:]
    verdict, peak = result.stdout.split()
    assert verdict == "refused"
    assert int(peak) < 50 * 1024**2


def test_merge_key_is_refused_with_its_line():
    text = edit(MINIMAL, "  horizon: 10\n", "  horizon: 10\n  <<: {goal: neutral}\n")
    problem = problem_with(refused(text), "merge keys (<<) are not allowed")
    assert problem.line == line_of(text, "<<:")
    assert problem.path == "question"


def test_anchor_and_alias_in_a_scenario_are_refused_with_their_lines():
    text = edit(MINIMAL, "reputation: {value: 1,", "reputation: &rep {value: 1,")
    text = edit(
        text,
        "partner_retaliation: {value: 1, unit: USD bn, assumption: ret}",
        "partner_retaliation: *rep",
    )
    error = refused(text)
    anchor = problem_with(error, "anchors (&rep)")
    alias = problem_with(error, "aliases (*rep)")
    assert anchor.line == line_of(text, "&rep")
    assert alias.line == line_of(text, "*rep")
    assert alias.path == "question.target_costs.partner_retaliation"
    shown(error, alias)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['echo hacked']", "!!python/object/apply:os.system"),
        ("!!python/name:builtins.eval", "!!python/name:builtins.eval"),
        ("!!float abc", "!!float"),
        ("!!int 10", "!!int"),
        ("!!str 10", "!!str"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!timestamp 2017-01-01", "!!timestamp"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!foo 10", "!foo"),
        ("! 10", "!"),
        ("!<tag:example.com,2000:x> 10", "tag:example.com,2000:x"),
    ],
)
def test_tags_are_refused_with_their_line(value, tag):
    text = edit(MINIMAL, "horizon: 10", f"horizon: {value}")
    error = refused(text)
    problem = problem_with(error, f"tags ({tag}) are not allowed")
    assert problem.line == line_of(text, "horizon:")
    assert problem.path == "question.horizon"
    shown(error, problem)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_with_their_line(char):
    text = edit(MINIMAL, "title: A minimal scenario", f'title: "A minimal{char} scenario"')
    error = refused(text)
    problem = problem_with(error, f"character U+{ord(char):04X} at column 18 is not allowed")
    assert problem.line == line_of(MINIMAL, "title:")
    shown(error, problem)


def test_tab_is_allowed_inside_text():
    text = edit(MINIMAL, "title: A minimal scenario", 'title: "A minimal\tscenario"')
    assert parse_yaml(text).title == "A minimal\tscenario"


def test_lone_surrogate_in_text_is_refused():
    problem = problem_with(refused(MINIMAL + "note: \ud800\n"), "character U+D800")
    assert problem.line == MINIMAL.count("\n") + 1


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 100_000])
def test_deep_flow_nesting_is_refused_without_recursion_error(depth):
    text = MINIMAL + "note: " + "[" * depth + "]" * depth + "\n"
    error = refused(text)
    problem = problem_with(error, f"nested deeper than {MAX_DEPTH} levels")
    assert problem.line == MINIMAL.count("\n") + 1
    assert problem.path.startswith("note[0][0]")


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_block_nesting_is_refused_without_recursion_error(depth):
    text = "note:\n" + "- " * depth + "x\n"
    problem = problem_with(refused(text), f"nested deeper than {MAX_DEPTH} levels")
    assert problem.line == 2


def test_nesting_at_the_limit_is_only_a_schema_problem():
    text = MINIMAL + "note: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    [problem] = refused(text).problems
    assert problem.path == "note"
    assert "nested" not in problem.message


@pytest.mark.parametrize("digits", [MAX_INT_DIGITS + 1, 5000, 100_000])
def test_integer_with_absurdly_many_digits_is_refused_with_its_line(digits):
    text = edit(MINIMAL, "horizon: 10", f"horizon: {'9' * digits}")
    error = refused(text)
    problem = problem_with(error, f"an integer of {digits:,} digits is too long")
    assert problem.line == line_of(text, "horizon:")
    assert problem.path == "question.horizon"
    assert len(error.problems) == 1  # not also "should be <= 200"
    assert len(str(error)) < 1000


def test_integer_digits_count_in_every_base():
    text = edit(MINIMAL, "year: 2017", f"year: 0x{'f' * (MAX_INT_DIGITS + 1)}")
    assert problem_with(refused(text), "digits is too long").path == "year"
    assert parse_yaml(edit(MINIMAL, "year: 2017", "year: 0x7E1")).year == 2017
    assert parse_yaml(edit(MINIMAL, "year: 2017", "year: 2_017")).year == 2017


def test_unquoted_dates_are_read_as_text():
    text = edit(MINIMAL, "title: A minimal scenario", "title: 2017-01-01")
    text = edit(text, "assumption: relief}", "assumption: relief, note: 2017-01-01 12:00:00}")
    scenario = parse_yaml(text)
    assert scenario.title == "2017-01-01"
    assert scenario.question.instruments[0].value.note == "2017-01-01 12:00:00"


def test_date_where_a_year_is_expected_is_a_schema_problem():
    text = edit(MINIMAL, "year: 2017", "year: 2017-01-01")
    problem = problem_with(refused(text), "valid integer")
    assert problem.path == "year"
    assert problem.line == line_of(text, "year:")


def test_duplicate_key_is_refused_with_both_lines():
    text = edit(MINIMAL, "  horizon: 10\n", "  horizon: 10\n  horizon: 12\n")
    problem = problem_with(refused(text), "duplicate key 'horizon'")
    assert problem.line == line_of(text, "horizon: 12")
    assert f"first on line {line_of(text, 'horizon: 10')}" in problem.message
    assert problem.path == "question.horizon"


def test_second_document_is_refused():
    problem = problem_with(refused(MINIMAL + "---\nid: two\n"), "one YAML document")
    assert problem.line == MINIMAL.count("\n") + 1


def test_yaml_1_1_directive_is_refused():
    problem = problem_with(refused("%YAML 1.1\n---\n" + MINIMAL), "only YAML 1.2 is read")
    assert problem.line == 2


def test_complex_mapping_key_is_refused():
    text = MINIMAL + "? [a, b]\n: 1\n"
    problem = problem_with(refused(text), "a mapping key must be a plain value")
    assert problem.line == MINIMAL.count("\n") + 1


@pytest.mark.slow
def test_too_many_values_are_refused_quickly():
    text = "note:\n" + "- 1\n" * (MAX_NODES + 10)
    problem = problem_with(refused(text), f"more than {MAX_NODES:,} values")
    # values 1-3 are the document, "note" and the list: item k is value k + 4, on line k + 2
    assert problem.line == MAX_NODES - 1


def test_yaml_syntax_error_keeps_its_line():
    text = edit(MINIMAL, "horizon: 10", "horizon: [10")
    problem = problem_with(refused(text), "not valid YAML")
    assert problem.line is not None


# --- every number finite, in its range --------------------------------------------------


NAN_PLACES = [
    # (old text, new text with the value {v}, path of the problem)
    ("high: 3", "high: {v}", "bonds[0].sides.RUS.value.high"),
    ("low: 1", "low: {v}", "bonds[0].sides.RUS.value.low"),
    ("mode: 2", "mode: {v}", "bonds[0].sides.RUS.value.mode"),
    (
        "reputation: {value: 1,",
        "reputation: {value: {v},",
        "question.target_costs.reputation.value",
    ),
    (
        "value_of_split: {value: 10, unit: USD bn, assumption: wd}",
        "value_of_split: {median: {v}, p90: 20, unit: USD bn, assumption: wd}",
        "question.divider_payoff.value_of_split.median",
    ),
    (
        "value_of_split: {value: 10, unit: USD bn, assumption: wd}",
        "value_of_split: {median: 10, p90: {v}, unit: USD bn, assumption: wd}",
        "question.divider_payoff.value_of_split.p90",
    ),
    (
        "means: {value: 5, unit: USD bn, assumption: means}",
        "means: {low: 1, high: {v}, unit: USD bn, assumption: means}",
        "question.partner_bid.means.high",
    ),
    ("  - state: Iran\n", "  - state: Iran\n    size: {v}\n", "actors[2].size"),
    ("    kind: military\n", "    kind: military\n    weight: {v}\n", "bonds[0].weight"),
    ("    kind: military\n", "    kind: military\n    start: {v}\n", "bonds[0].start"),
    ("    kind: military\n", "    kind: military\n    years: {v}\n", "bonds[0].years"),
    (
        "    - id: relief\n",
        "    - id: relief\n      start: {v}\n",
        "question.instruments[0].start",
    ),
    (
        "    - id: relief\n",
        "    - id: relief\n      years: {v}\n",
        "question.instruments[0].years",
    ),
    (
        "          source: ref1\n",
        "          source: ref1\n"
        "        derive:\n"
        "          value: {measure: arms_tiv, from: RUS, to: IRN, years: [2010, 2014], "
        "scale: {v}}\n",
        "bonds[0].sides.RUS.derive.value.scale",
    ),
    ("horizon: 10", "horizon: {v}", "question.horizon"),
]


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e309", "-1e309"])
@pytest.mark.parametrize(("old", "new", "path"), NAN_PLACES, ids=[p[2] for p in NAN_PLACES])
def test_nan_anywhere_is_refused(value, old, new, path):
    text = edit(MINIMAL, old, new.replace("{v}", value))
    error = refused(text)
    [problem] = [p for p in error.problems if p.path == path]
    assert problem.line == line_of(text, value)
    assert "not a finite number" in problem.message or "overflows to infinity" in problem.message
    shown(error, problem)


def test_nan_built_in_python_is_refused_by_the_schema():
    data = parse_yaml(MINIMAL).model_dump(mode="python", by_alias=True)
    data["bonds"][0]["weight"] = float("nan")
    data["question"]["discount_rate"] = {"value": float("inf"), "assumption": "x"}
    with pytest.raises(Exception, match="finite number") as info:
        Scenario.model_validate(data)
    assert "bonds.0.weight" in str(info.value)
    assert "question.discount_rate" in str(info.value)


# --- booleans are not numbers ------------------------------------------------------------

_DERIVE = (
    "          source: ref1\n        derive:\n          value: {measure: arms_tiv, from: RUS, "
    "to: IRN, years: [2010, 2014], scale: 1}\n"
)
_NUMBER = "a valid number"
_INTEGER = "a valid integer"
BOOLEAN_PLACES = [
    # (old text, new text, path of the problem, what is expected there)
    ("high: 3", "high: true", "bonds[0].sides.RUS.value.high", _NUMBER),
    ("low: 1", "low: false", "bonds[0].sides.RUS.value.low", _NUMBER),
    ("mode: 2", "mode: true", "bonds[0].sides.RUS.value.mode", _NUMBER),
    (
        "reputation: {value: 1,",
        "reputation: {value: true,",
        "question.target_costs.reputation.value",
        _NUMBER,
    ),
    (
        "value_of_split: {value: 10,",
        "value_of_split: {median: true, p90: 20,",
        "question.divider_payoff.value_of_split.median",
        _NUMBER,
    ),
    (
        "value_of_split: {value: 10,",
        "value_of_split: {median: 10, p90: true,",
        "question.divider_payoff.value_of_split.p90",
        _NUMBER,
    ),
    (
        "means: {value: 5,",
        "means: {low: false, high: 6,",
        "question.partner_bid.means.low",
        _NUMBER,
    ),
    ("year: 2017", "year: true", "year", _INTEGER),
    ("schema_version: 2\n", "schema_version: true\n", "schema_version", "1 or 2"),
    ("horizon: 10", "horizon: true", "question.horizon", _INTEGER),
    ("  - state: Iran\n", "  - state: Iran\n    size: true\n", "actors[2].size", _NUMBER),
    ("    kind: military\n", "    kind: military\n    weight: true\n", "bonds[0].weight", _NUMBER),
    ("    kind: military\n", "    kind: military\n    start: false\n", "bonds[0].start", _NUMBER),
    ("    kind: military\n", "    kind: military\n    years: true\n", "bonds[0].years", _NUMBER),
    ("    kind: military\n", "    kind: military\n    sign: true\n", "bonds[0].sign", "1 or -1"),
    (
        "    - id: relief\n",
        "    - id: relief\n      years: true\n",
        "question.instruments[0].years",
        _NUMBER,
    ),
    (
        "          source: ref1\n",
        _DERIVE.replace("[2010, 2014]", "[true, 2014]"),
        "bonds[0].sides.RUS.derive.value.years[0]",
        _INTEGER,
    ),
    (
        "          source: ref1\n",
        _DERIVE.replace("scale: 1", "scale: true"),
        "bonds[0].sides.RUS.derive.value.scale",
        _NUMBER,
    ),
    (
        "          source: ref1\n",
        "          source: ref1\n          derive:\n            - {dataset: sipri, query: q, "
        "rule: r, years: [2010, false]}\n",
        "bonds[0].sides.RUS.value.derive[0].years[1]",
        _INTEGER,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"), BOOLEAN_PLACES, ids=[p[2] for p in BOOLEAN_PLACES]
)
def test_a_boolean_where_a_number_is_expected_is_refused_with_its_place(old, new, path, expected):
    text = edit("schema_version: 2\n" + MINIMAL, old, new)
    given = "true" if "true" in new else "false"
    error = refused(text)
    [problem] = error.problems  # refused as a boolean, never read as 1 or 0 and checked
    assert problem.path == path
    assert problem.line == line_of(text, given)
    assert problem.message == f"Input should be {expected}, got the boolean {given}"
    shown(error, problem)


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("state: Russia", "state: true", "actors[1].state"),
        ("between: [RUS, IRN]", "between: [true, IRN]", "bonds[0].between[0]"),
        ("  target: RUS", "  target: false", "question.target"),
    ],
)
def test_a_boolean_for_an_actor_is_refused_not_read_as_a_state_code(old, new, path):
    text = edit(MINIMAL, old, new)
    given = "true" if "true" in new else "false"
    problem = problem_with(refused(text), "got the boolean")
    assert problem.path == path
    assert problem.line == line_of(text, given)
    assert problem.message == f"Input should be a valid string or integer, got the boolean {given}"


def test_a_boolean_is_refused_by_the_schema_itself_not_only_in_yaml():
    data = parse_yaml(MINIMAL).model_dump(mode="python", by_alias=True)
    data["year"] = True
    data["bonds"][0]["sides"]["RUS"]["value"]["high"] = False
    with pytest.raises(Exception, match="got the boolean") as info:
        Scenario.model_validate(data)
    locations = {tuple(e["loc"]) for e in info.value.errors()}
    assert ("year",) in locations
    assert ("bonds", 0, "sides", "RUS", "value", "triangular", "high") in locations


@pytest.mark.parametrize("command", [["scenario", "validate"], ["wedge"]])
def test_a_boolean_year_fails_the_command_line_with_exit_2_and_its_place(tmp_path, command):
    from typer.testing import CliRunner

    from alliances.cli import app

    path = tmp_path / "mine.yaml"
    path.write_text(edit(MINIMAL, "year: 2017", "year: true"), encoding="utf-8")
    result = CliRunner().invoke(app, [*command, str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "line 3, year: Input should be a valid integer, got the boolean true" in result.stderr


def test_booleans_still_go_where_the_schema_takes_them():
    # schema 1's instrument flag `lifts_sanction` is a boolean, read and dropped
    text = edit(MINIMAL, "    - id: relief\n", "    - id: relief\n      lifts_sanction: true\n")
    assert parse_yaml(text).question.instruments[0].id == "relief"
    # a boolean where text is expected is refused as not text, as before
    problem = problem_with(refused(edit(MINIMAL, "title: A minimal scenario", "title: true")), "")
    assert problem.path == "title"
    assert problem.message == "Input should be a valid string"


def test_number_that_overflows_in_base_units_is_refused():
    text = edit(MINIMAL, "means: {value: 5,", "means: {value: 1e95,")
    problem = problem_with(refused(text), "beyond ±1e+100")
    assert problem.path == "question.partner_bid.means"
    assert problem.line == line_of(text, "means:")


def test_lognormal_whose_spread_overflows_is_refused():
    text = edit(
        MINIMAL,
        "value_of_split: {value: 10,",
        "value_of_split: {median: 1, p90: 1e40,",
    )
    problem = problem_with(refused(text), "so wide a spread")
    assert problem.path == "question.divider_payoff.value_of_split"


NEGATIVE_MONEY = [
    ("reputation: {value: 1,", "reputation: {value: -1,", "question.target_costs.reputation"),
    (
        "partner_retaliation: {value: 1,",
        "partner_retaliation: {value: -1,",
        "question.target_costs.partner_retaliation",
    ),
    (
        "value_of_target: {value: 10,",
        "value_of_target: {value: -10,",
        "question.partner_bid.value_of_target",
    ),
    ("means: {value: 5,", "means: {low: -1, high: 5,", "question.partner_bid.means"),
    (
        "value_of_split: {value: 10,",
        "value_of_split: {value: -10,",
        "question.divider_payoff.value_of_split",
    ),
    (
        "political_cost: {value: 1,",
        "political_cost: {low: -1, mode: 1, high: 2,",
        "question.divider_payoff.political_cost",
    ),
    (
        "cost_per_value: {value: 0.3, unit: ratio, assumption: gd}",
        "cost_per_value: {value: 0.3, unit: ratio, assumption: gd}\n"
        "    budget_cap: {value: -5, unit: USD bn, assumption: cap}",
        "question.divider_payoff.budget_cap",
    ),
    (
        "value: {value: 5, unit: USD bn/yr, assumption: relief}",
        "value: {value: -5, unit: USD bn/yr, assumption: relief}",
        "question.instruments[0].value",
    ),
    ("low: 1\n", "low: -1\n", "bonds[0].sides.RUS.value"),
]


@pytest.mark.parametrize(
    ("old", "new", "path"), NEGATIVE_MONEY, ids=[p[2] for p in NEGATIVE_MONEY]
)
def test_negative_money_is_refused(old, new, path):
    text = edit(MINIMAL, old, new)
    error = refused(text)
    [problem] = [p for p in error.problems if p.path == path]
    assert problem.message.startswith("values should be >= 0")
    assert "but this quantity reaches -" in problem.message
    shown(error, problem)


def test_negative_threat_and_revenue_are_refused():
    text = edit(
        MINIMAL,
        "      renege: {value: 0.1, unit: 1/yr, assumption: lambda}\n",
        "      renege: {value: 0.1, unit: 1/yr, assumption: lambda}\n"
        "  threats:\n"
        "    - id: t\n"
        "      value: {value: -1, unit: USD bn, assumption: n}\n"
        "      credibility: {value: 0.5, assumption: c}\n"
        "      backlash: {value: 0.1, assumption: b}\n",
    )
    text = edit(
        text,
        "        value:\n          dist: triangular",
        "        margin: {value: 0.2, assumption: m}\n"
        "        revenue:\n          dist: triangular",
    )
    text = edit(text, "low: 1\n", "low: -1\n")
    error = refused(text)
    messages = {p.path: p.message for p in error.problems}
    assert messages["question.threats[0].value"].endswith("reaches -1 USD bn")
    assert messages["bonds[0].sides.RUS.revenue"].endswith("reaches -1 USD bn/yr")


def test_negative_context_figure_is_allowed():
    text = MINIMAL + (
        "context:\n"
        "  - id: gdp\n"
        "    description: a fall in GDP\n"
        "    value: {value: -3.5, unit: '%', source: ref1}\n"
    )
    assert parse_yaml(text).context[0].value.value == -3.5


@pytest.mark.parametrize(
    ("quantity", "reaches"),
    [
        ("{value: 0, unit: ratio, assumption: g}", "reaches 0 ratio"),
        ("{low: 0, mode: 1, high: 2, unit: ratio, assumption: g}", "reaches 0 ratio"),
        ("{low: 0, high: 2, assumption: g}", "reaches 0"),
        ("{value: -1, unit: ratio, assumption: g}", "reaches -1 ratio"),
    ],
)
@pytest.mark.parametrize("who", ["partner_bid", "divider_payoff"])
def test_cost_per_value_that_can_be_zero_is_refused(who, quantity, reaches):
    old = {
        "partner_bid": "cost_per_value: {value: 1, unit: ratio, assumption: gp}",
        "divider_payoff": "cost_per_value: {value: 0.3, unit: ratio, assumption: gd}",
    }[who]
    text = edit(MINIMAL, old, f"cost_per_value: {quantity}")
    error = refused(text)
    problem = problem_with(error, "should be > 0 (the model divides by this number)")
    assert reaches in problem.message
    assert problem.path == f"question.{who}.cost_per_value"
    assert problem.line == line_of(text, f"cost_per_value: {quantity}")


def test_lognormal_cost_per_value_is_allowed():
    text = edit(
        MINIMAL,
        "cost_per_value: {value: 1, unit: ratio, assumption: gp}",
        "cost_per_value: {median: 1, p90: 2, unit: ratio, assumption: gp}",
    )
    assert parse_yaml(text).question.partner_bid.cost_per_value.median == 1


@pytest.mark.parametrize(("median", "p90"), [(5, 5), (5, 4)])
def test_lognormal_with_median_not_below_p90_is_refused(median, p90):
    text = edit(
        MINIMAL,
        "value_of_split: {value: 10,",
        f"value_of_split: {{median: {median}, p90: {p90},",
    )
    error = refused(text)
    [problem] = error.problems
    assert problem.path == "question.divider_payoff.value_of_split.p90"
    assert f"median={median}, got {p90}" in problem.message
    assert f"'value: {median}'" in problem.message
    shown(error, problem)


SHARES = [
    ("credibility: {value: 0.5, assumption: kp}", "question.partner_bid.credibility"),
    ("blocked: {value: 0.3, assumption: q}", "question.instruments[0].blocked"),
    ("renege: {value: 0.1, unit: 1/yr, assumption: lambda}", "question.instruments[0].renege"),
    ("discount_rate: {value: 0.05, unit: 1/yr, assumption: a rate}", "question.discount_rate"),
]


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
@pytest.mark.parametrize(("old", "path"), SHARES, ids=[p[1] for p in SHARES])
def test_share_outside_zero_one_is_refused(old, path, value):
    number = old.split("value: ")[1].split(",")[0]
    text = edit(MINIMAL, old, old.replace(f"value: {number}", f"value: {value}"))
    problem = problem_with(refused(text), "values should be")
    assert problem.path == path


@pytest.mark.parametrize("field", ["margin", "loss", "substitutability"])
def test_bond_side_share_outside_zero_one_is_refused(field):
    text = edit(
        MINIMAL,
        "          source: ref1\n",
        f"          source: ref1\n        {field}: {{value: 120, unit: '%', assumption: s}}\n",
    )
    error = refused(text)
    problem = problem_with(error, "values should be <= 100 %, but this quantity reaches 120 %")
    assert problem.path == f"bonds[0].sides.RUS.{field}"


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("year: 2017", "year: 100000", "year"),
        ("year: 2017", "year: 0", "year"),
        (
            "          source: ref1\n",
            "          source: ref1\n        derive:\n          value: {measure: arms_tiv, "
            "from: RUS, to: IRN, years: [2010, 99999999999999999999]}\n",
            "bonds[0].sides.RUS.derive.value.years[1]",
        ),
    ],
)
def test_year_outside_one_to_9999_is_refused(old, new, path):
    problem = problem_with(refused(edit(MINIMAL, old, new)), "should be")
    assert problem.path == path


# --- sources name references ----------------------------------------------------------------


def test_unknown_reference_key_suggests_the_nearest():
    text = edit(MINIMAL, "source: ref1", "source: ref2")
    error = refused(text)
    [problem] = error.problems
    assert problem.path == "bonds[0].sides.RUS.value.source"
    assert problem.line == line_of(text, "source: ref2")
    assert "'ref2' is not a key of the scenario's references (did you mean 'ref1'?)" in (
        problem.message
    )
    shown(error, problem)


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (
            "  - state: Iran\n",
            "  - state: Iran\nmemberships:\n  - {member: RUS, bloc: IRN, source: sipri-2017}\n",
            "memberships[0].source",
        ),
        ("    kind: military\n", "    kind: military\n    source: foo_bar\n", "bonds[0].source"),
        ("assumption: q}", "source: 'ref1; REF1x'}", "question.instruments[0].blocked.source"),
    ],
)
def test_unknown_reference_key_is_refused_in_every_source(old, new, path):
    text = edit(MINIMAL, old, new)
    problem = problem_with(refused(text), "is not a key of the scenario's references")
    assert problem.path == path


def test_key_list_is_checked_part_by_part():
    text = edit(MINIMAL, "source: ref1", "source: 'ref1; fa2017'")
    problem = problem_with(refused(text), "'fa2017' is not a key")
    assert "references are: ref1" in problem.message
    assert "'ref1' is not" not in problem.message


@pytest.mark.parametrize(
    "source",
    [
        "SIPRI Arms Transfers Database, 2017",
        "World Bank WDI",
        "https://www.sipri.org/databases/armstransfers",
        "doi:10.1093/isq/sqw001",
        "worldbank.org",
        "Ibid.",
        "2017",
        "ref1; IMF World Economic Outlook, October 2017",
        "COW trade 4.0 (cow_trade_ndy, sha256 0123456789ab): trade_exports RUS→IRN, 2010–2014",
    ],
)
def test_citation_text_urls_and_queries_are_not_taken_for_keys(source):
    text = edit(MINIMAL, "source: ref1", f"source: {source!r}")
    assert parse_yaml(text).bonds[0].sides["RUS"].value.source == source


def test_source_key_without_any_references_says_so():
    text = MINIMAL.replace("references:\n  ref1:\n    citation: A work cited for the test.\n", "")
    problem = problem_with(refused(text), "'ref1' is not a key")
    assert "the scenario defines no references" in problem.message


def test_builtin_scenario_cites_only_defined_keys():
    scenario = load_builtin("russia-iran-2017")
    assert "fa2017" in scenario.references


# --- never another exception type ---------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("actors:\n  - state: United States\n  - state: Russia\n  - state: Iran\n", "actors: 5\n"),
        ("state: Russia", "state: '²'"),
        ("state: Russia", "state: '" + "1" * 5000 + "'"),
        ("state: Russia", "state: [1, 2]"),
        ("between: [RUS, IRN]", "between: [{a: 1}, [2]]"),
        ("  target: RUS", "  target: ''"),
        ("    sides:\n", "    sides: [1, 2]\n    x:\n"),
    ],
)
def test_odd_values_are_problems_not_crashes(old, new):
    error = refused(edit(MINIMAL, old, new))
    assert error.problems
    for problem in error.problems:
        assert "report" not in problem.message


def test_every_problem_is_listed_at_once():
    text = edit(MINIMAL, "high: 3", "high: .nan")
    text = edit(text, "source: ref1", "source: ref9")
    text = edit(text, "means: {value: 5,", "means: {value: -5,")
    text = edit(text, "horizon: 10", "horizon: ten")
    text = edit(text, "cost_per_value: {value: 0.3,", "cost_per_value: {value: 0,")
    error = refused(text)
    paths = {p.path for p in error.problems}
    assert {
        "bonds[0].sides.RUS.value.high",
        "bonds[0].sides.RUS.value.source",
        "question.partner_bid.means",
        "question.horizon",
        "question.divider_payoff.cost_per_value",
    } <= paths
    assert f"{FILE}: {len(error.problems)} problems" in str(error)


def test_every_yaml_problem_is_listed_at_once():
    text = edit(MINIMAL, "horizon: 10", "horizon: !!int 10")
    text = edit(text, "reputation: {value: 1,", "reputation: &r {value: 1,")
    text = edit(text, "year: 2017\n", "year: 2017\nyear: 2018\n")
    error = refused(text)
    for fragment in ("tags (!!int)", "anchors (&r)", "duplicate key 'year'"):
        problem_with(error, fragment)
    assert [p.line for p in error.problems] == sorted(p.line for p in error.problems)


@pytest.mark.parametrize("number", ["8_0", "12_34", "1.0_0", "-3_0.5"])
def test_an_underscore_that_does_not_group_digits_in_threes_is_refused_at_its_line(number):
    text = edit("schema_version: 2\n" + MINIMAL, "high: 3", f"high: {number}")
    problems = refused(text).problems  # YAML 1.1 and Python would read 8_0 as 80
    assert problems[0].path == "bonds[0].sides.RUS.value.high"
    assert problems[0].line == line_of(text, number)
    assert problems[0].message.startswith(f"{number}: an underscore in a number groups")


def test_an_underscore_grouping_digits_in_threes_is_a_number():
    text = edit("schema_version: 2\n" + MINIMAL, "high: 3", "high: 1_000")
    assert parse_yaml(text).bonds[0].sides["RUS"].value.high == 1000


@pytest.mark.parametrize(("new", "shown"), [("high: '3.0'", "'3.0'"), ('high: "4"', "'4'")])
def test_a_number_written_as_text_is_refused_not_read_as_the_number_python_makes(new, shown):
    text = edit("schema_version: 2\n" + MINIMAL, "high: 3", new)
    [problem] = refused(text).problems
    assert problem.path == "bonds[0].sides.RUS.value.high"
    assert problem.message == (
        f"Input should be a number, got the text {shown} (a number is written without quotes or _)"
    )


def test_a_word_where_a_number_is_expected_keeps_pydantics_message():
    text = edit("schema_version: 2\n" + MINIMAL, "high: 3", "high: ten")
    [problem] = refused(text).problems
    assert "got 'ten'" in problem.message
