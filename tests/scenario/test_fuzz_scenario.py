"""Property tests: a mutated scenario file either loads or fails as a ScenarioError.

Starting from the built-in scenario (its package file, with comments, and its dumped
form), hypothesis deletes, duplicates, swaps and re-indents lines, replaces values by
values of the wrong type, NaN, infinities, huge integers, deep nesting, aliases, tags
and random Unicode, flips bytes, and adds a byte-order mark and CRLF line ends. Whatever
comes out, :func:`parse_yaml` and :func:`load` must return a :class:`Scenario` (which
then survives a dump and a reparse) or raise a :class:`ScenarioError` whose message
names the file (for alias bombs, with little memory). The runs are derandomized so that
CI sees the same examples every time; about 150 examples in all keep the suite to a few
seconds.
"""

from __future__ import annotations

import re
import tempfile
import tracemalloc
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.errors import ScenarioError
from alliances.scenario import Scenario, dump_yaml, load, load_builtin, parse_yaml

BUILTIN = "russia-iran-2017"
PACKAGE_TEXT = (
    resources.files("alliances.scenario.builtin").joinpath(f"{BUILTIN}.yaml").read_text("utf-8")
)
DUMPED_TEXT = dump_yaml(load_builtin(BUILTIN))
FILE = "fuzzed.yaml"

# Deterministic and bounded; no deadline, which a loaded machine would break (the time
# an input may take is bounded by the reader's own limits, tested without a clock).
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY_VALUES = [
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "1e309",
    "-1e400",
    "9" * 40,
    "9" * 5000,
    "-" + "1" * 4301,
    "0x" + "f" * 64,
    "[" * 60 + "]" * 60,
    "{a: " * 40 + "1" + "}" * 40,
    "*a",
    "&a 1",
    "&a [1, 2]",
    "!!python/object/apply:os.system ['true']",
    "!!python/name:builtins.eval",
    "!!float abc",
    "!!binary aGVsbG8=",
    "!!timestamp 2017-01-01",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!foo bar",
    "2017-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "~",
    "null",
    "true",
    "[]",
    "{}",
    "[1, 2]",
    "{value: 1}",
    "''",
    "0",
    "-5",
    "1_000",
    "0o17",
    "_",
    "._",
    "<<",
    "'unterminated",
    '"\\x00"',
    '"\\u0000"',
    "\x00",
    "\x1b[31m",
    "\ud800",
    "\ufeff",
    "\u2028",
    "Moscow",
    "²",
    "sipri-2017",
    "|\n  literal",
]

VALUE_LINE = re.compile(r"^(?P<head>\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*:)(?P<value>\s.*)$")


def outcome(text: str | bytes, file: str = FILE) -> Scenario | ScenarioError:
    """Parse ``text``; a Scenario or the ScenarioError (anything else fails the test)."""
    try:
        scenario = parse_yaml(text, file=file)
    except ScenarioError as error:
        check_error(error, file)
        return error
    check_scenario(scenario)
    return scenario


def check_error(error: ScenarioError, file: str) -> None:
    assert error.file == file
    assert str(error).startswith(f"{file}: ")
    assert error.problems
    for problem in error.problems:
        assert "please report" not in problem.message, problem


def check_scenario(scenario: Scenario) -> None:
    assert isinstance(scenario, Scenario)
    assert parse_yaml(dump_yaml(scenario), file="again.yaml") == scenario


def base_texts():
    return st.sampled_from([PACKAGE_TEXT, DUMPED_TEXT])


@st.composite
def line_edits(draw) -> str:
    lines = draw(base_texts()).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "cut"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:]
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@st.composite
def value_edits(draw) -> str:
    lines = draw(base_texts()).split("\n")
    heads = {i: m["head"] for i, line in enumerate(lines) if (m := VALUE_LINE.match(line))}
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.sampled_from(sorted(heads)))
        head = heads[i]
        new = draw(
            st.one_of(
                st.sampled_from(NASTY_VALUES),
                st.integers(-(10**40), 10**40).map(str),
                st.floats(allow_nan=True, allow_infinity=True).map(repr),
                st.text(max_size=20),
            )
        )
        lines[i] = f"{head} {new}"
    return "\n".join(lines)


@st.composite
def unicode_edits(draw) -> str:
    text = draw(base_texts())
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(min_size=1, max_size=8)) + text[at:]
    return text


@st.composite
def byte_flips(draw) -> bytes:
    data = bytearray(draw(base_texts()).encode("utf-8"))
    for _ in range(draw(st.integers(1, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.mark.slow
@settings(FUZZ, max_examples=35)
@given(line_edits())
def test_lines_deleted_duplicated_or_moved_parse_or_fail_cleanly(text):
    outcome(text)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(value_edits())
def test_values_of_the_wrong_kind_parse_or_fail_cleanly(text):
    result = outcome(text)
    if isinstance(result, ScenarioError):
        assert all(p.line is None or p.line >= 1 for p in result.problems)


@settings(FUZZ, max_examples=20)
@given(unicode_edits())
def test_random_unicode_parses_or_fails_cleanly(text):
    outcome(text)


@settings(FUZZ, max_examples=20)
@given(byte_flips())
def test_flipped_bytes_load_or_fail_cleanly(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE
        path.write_bytes(data)
        try:
            scenario = load(path)
        except ScenarioError as error:
            check_error(error, str(path))
        else:
            check_scenario(scenario)


@pytest.mark.slow
@settings(FUZZ, max_examples=15)
@given(line_edits(), st.booleans(), st.booleans())
def test_bom_and_crlf_change_nothing(text, bom, crlf):
    variant = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    plain, dressed = outcome(text), outcome(variant)
    if isinstance(plain, Scenario):
        assert dressed == plain
    else:
        assert isinstance(dressed, ScenarioError)
        assert [(p.path, p.line) for p in dressed.problems] == [
            (p.path, p.line) for p in plain.problems
        ]


@settings(FUZZ, max_examples=12)
@given(st.integers(2, 9), st.integers(2, 12), st.booleans())
def test_alias_bombs_are_refused_quickly_with_little_memory(depth, width, flow):
    lines = ['l0: &a0 ["lol", "lol"]']
    for level in range(1, depth + 1):
        refs = [f"*a{level - 1}"] * width
        if flow:
            lines.append(f"l{level}: &a{level} [{', '.join(refs)}]")
        else:
            lines.append(f"l{level}: &a{level}")
            lines += [f"  - {ref}" for ref in refs]
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    try:
        error = outcome(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(error, ScenarioError)
    assert any("aliases" in p.message or "anchors" in p.message for p in error.problems)
    assert peak < 50 * 1024**2


@pytest.mark.slow
@settings(FUZZ, max_examples=8)
@given(st.integers(33, 100_000), st.sampled_from(["flow-seq", "flow-map", "block"]))
def test_deep_nesting_is_refused_quickly(depth, style):
    if style == "flow-seq":
        body = "[" * depth + "]" * depth
    elif style == "flow-map":
        body = "{a: " * depth + "1" + "}" * depth
    else:
        body = "\n" + "- " * depth + "x"
    error = outcome(f"id: deep\nnote: {body}\n")
    assert isinstance(error, ScenarioError)
    assert any("nested deeper" in p.message for p in error.problems)


@pytest.mark.parametrize("text", [PACKAGE_TEXT, DUMPED_TEXT])
def test_the_unmutated_builtin_loads(text):
    assert outcome(text) == load_builtin(BUILTIN)
