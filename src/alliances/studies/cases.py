"""Documented wedge attempts, 1815–2020: the catalogue the wedge model is scored against.

A *wedge attempt* is a divider's effort to pull a target state away from a partner: to
break an existing alignment (goal ``detach``) or to stop one from forming (goal
``prevent``), with rewards, coercion or both (Crawford 2011; Izumikawa 2013). The
catalogue ships with the package as ``wedge_attempts.yaml`` (next to this module);
:func:`load_cases` reads it, or any file in the same format, into a :class:`Catalogue`.

The file
--------
Its top level holds ``schema_version: 1``, a ``references`` mapping of keys to full
citations, and ``cases``, a list of mappings with these fields:

``id``
    a slug (``italy-1914-entente``), written in any case and kept in lower case
    (``Italy-1914-Entente`` is ``italy-1914-entente``), unique in the catalogue once in
    lower case;
``divider``, ``target``
    the divider (one state or a list) and the target (one state); see *States* below;
``partner``
    what the target is pulled away from: a state, ``{organisation: ID}`` for an
    organisation of :mod:`alliances.world.organisations` that has members in
    ``start_year``, or a list mixing both (``[FRN, {organisation: NATO}]``). The partner
    states are the states listed and each organisation's members in ``start_year``, once
    each, less the target (which may be a member of the organisation, but not listed);
``start_year``, ``end_year``
    the year the attempt began, and optionally the year it was decided; both within
    1815–2020, ``end_year >= start_year``;
``goal``
    ``detach`` (an existing alignment) or ``prevent`` (a new one);
``instruments``
    at least one ``{type, description, value}``: ``type`` is ``reward`` or ``coercion``,
    ``description`` says what was offered or threatened, and the optional ``value`` is a
    money :data:`~alliances.scenario.quantity.Quantity` (``{value: 20, unit: USD m,
    source: key, note: …}``), given only where a source states a figure;
``outcome``
    ``success``, ``partial`` (the record is mixed) or ``failure``, for the divider;
``summary``
    optional: one or two sentences;
``sources``
    at least one key of ``references``.

States
------
A state is a member of the COW state system in ``start_year`` (Correlates of War Project
2017, State System Membership v2016; :func:`alliances.countries.cow_states_in`), written as

* its COW number (``260``, ``365``), its COW letters (``GFR``, ``AUH``, ``RVN``) or its
  COW name (``German Federal Republic``, ``Yemen Arab Republic``);
* any other name or code :func:`alliances.countries.resolve` accepts (``Soviet Union``,
  ``West Germany``, ``RUS``), read for ``start_year``: of the states a text may name, the
  one in the system that year (``KOR`` is Korea, COW 730, in 1890 and South Korea in
  2000; ``Prussia`` is COW 255 until 1870). Letters that are one state's ISO3 code and
  another's COW letters, both in the system that year (``AUS`` in 1960: Australia,
  Austria), are refused as ambiguous: write the name or the number;
* ``{state: NAME, cow: CODE}`` for a name the code list does not know by that code
  (``{state: Austrian Empire, cow: 300}``, ``{state: Ottoman Empire, cow: 640}``).

It is kept as a :class:`~alliances.world.organisations.State` (the name as written, the
code list's name and the COW code). A state outside the system in ``start_year`` is refused
with its years (``GFR`` in 1950: the German Federal Republic is a member 1955–1990). The
divider, the target and the partner must be different states.

Reading is as safe as for a scenario (the same reader, :func:`alliances._yaml.read_model`): a
regular UTF-8 file of at most 5 MiB, one YAML document, no anchors, aliases, tags or merge
keys. Every problem is reported at once in a :class:`~alliances.errors.ScenarioError` that
names the file, the line, the place in the file (``cases[3].partner``) and what was
expected. ``schema_version`` stays 1: ids in any case, no summary, mixed partners and
every COW state only add to what a file may say. A file valid before reads the same but
for corrections: a state outside the COW state system in ``start_year`` is refused (the
format always asked for one of the year), ``GFR`` and ``West Germany`` are COW 260 (they
were read as Germany, 255), and letters ambiguous in the year (``AUS`` in 1960, read as
Australia before) are refused.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
https://correlatesofwar.org/data-sets/state-system-membership/

Crawford, T. W. (2011). Preventing enemy coalitions: How wedge strategies shape power
politics. *International Security* 35(4): 155–189.

Izumikawa, Y. (2013). To coerce or reward? Theorizing wedge strategies in alliance
politics. *Security Studies* 22(3): 498–531.

Examples
--------
>>> catalogue = load_cases()
>>> case = catalogue.by_id("italy-1914-entente")
>>> case.goal, case.outcome, case.label, case.reward_only
('detach', 'success', 1.0, True)
>>> case.partner_organisation, case.partner_codes
('TRIPLE-ALLIANCE', (255, 300))
"""

from __future__ import annotations

import dataclasses
import os
from functools import cache
from importlib import resources
from typing import Any

from pydantic_core import ErrorDetails

from alliances import _yaml
from alliances._yaml import Text, read_model
from alliances.studies._case_model import (
    FIRST_YEAR,
    LABELS,
    LAST_YEAR,
    ORGANISATION_TAG,
    STATE_TAG,
    Case,
    Catalogue,
    Goal,
    Instrument,
    InstrumentType,
    OrganisationRef,
    Outcome,
)
from alliances.world.organisations import Organisation

__all__ = [
    "CATALOGUE",
    "FIRST_YEAR",
    "LABELS",
    "LAST_YEAR",
    "Case",
    "Catalogue",
    "Goal",
    "Instrument",
    "InstrumentType",
    "OrganisationRef",
    "Outcome",
    "load_cases",
    "parse_cases",
]

CATALOGUE = "wedge_attempts.yaml"
"""The file name of the packaged catalogue (in :mod:`alliances.studies`)."""


def load_cases(
    path: str | os.PathLike[str] | None = None,
    *,
    organisations: dict[str, Organisation] | None = None,
) -> Catalogue:
    """The catalogue of wedge attempts: the packaged one, or a file in its format.

    Parameters
    ----------
    path : str or path-like, optional
        A YAML file laid out as described in the module docstring; by default the
        catalogue that ships with the package (``wedge_attempts.yaml``).
    organisations : dict of str to Organisation, optional
        The organisations a ``{organisation: ID}`` partner may name; by default those of
        :func:`alliances.world.organisations.load_organisations`.

    Returns
    -------
    Catalogue

    Raises
    ------
    ScenarioError
        If the file cannot be read or does not validate; the message names the file and,
        for every problem, the line, the place in the file and what was expected.

    Examples
    --------
    >>> catalogue = load_cases()
    >>> len(catalogue.cases) >= 30
    True
    >>> sorted({case.goal for case in catalogue.cases})
    ['detach', 'prevent']
    """
    if path is None and organisations is None:
        return _packaged()
    if path is None:
        text = resources.files("alliances.studies").joinpath(CATALOGUE).read_text("utf-8")
        return parse_cases(text, file=f"<packaged {CATALOGUE}>", organisations=organisations)
    return _read(path, organisations)


@cache
def _packaged() -> Catalogue:
    text = resources.files("alliances.studies").joinpath(CATALOGUE).read_text("utf-8")
    return parse_cases(text, file=f"<packaged {CATALOGUE}>")


def parse_cases(
    text: str,
    file: str | None = None,
    *,
    organisations: dict[str, Organisation] | None = None,
) -> Catalogue:
    """Validate a catalogue of wedge attempts from YAML text.

    Parameters
    ----------
    text : str
        The YAML document (see the module docstring).
    file : str, optional
        The name shown in error messages.
    organisations : dict of str to Organisation, optional
        As for :func:`load_cases`.

    Returns
    -------
    Catalogue

    Raises
    ------
    ScenarioError
        With every problem of the document, each with its line.

    Examples
    --------
    >>> text = '''
    ... schema_version: 1
    ... references: {t1954: "Taylor, A. J. P. (1954). The Struggle for Mastery in Europe."}
    ... cases:
    ...   - id: russia-1904
    ...     divider: Germany
    ...     target: Russia
    ...     partner: France
    ...     start_year: 1904
    ...     goal: detach
    ...     instruments: [{type: reward, description: a defensive alliance}]
    ...     outcome: failure
    ...     summary: The Kaiser's treaty with the Tsar was never put into force.
    ...     sources: [t1954]
    ... '''
    >>> parse_cases(text).cases[0].partner_codes
    (220,)
    >>> parse_cases(text.replace("failure", "won"))
    Traceback (most recent call last):
    ...
    alliances.errors.ScenarioError: <catalogue>: 1 problem
      line 12, cases[0].outcome: Input should be 'success', 'partial' or 'failure', got 'won'
    """
    return _read(Text(text, file), organisations)


def _read(
    source: str | os.PathLike[str] | Text, organisations: dict[str, Organisation] | None
) -> Catalogue:
    """The catalogue of a file or a text (see :func:`load_cases`)."""
    context = {"organisations": organisations}
    return read_model(source, Catalogue, dialect=_CATALOGUE, context=context)


# --- how the catalogue's problems are worded ---------------------------------------------


def _relocate(loc: tuple[Any, ...], document: Any) -> tuple[Any, ...]:
    """A location without the tags of a partner's items, nor the ``[0]`` of a divider or
    partner written alone (not as a list)."""
    loc = tuple(k for k in loc if k not in {STATE_TAG, ORGANISATION_TAG})
    if len(loc) < 4 or loc[0] != "cases" or loc[2] not in {"divider", "partner"} or loc[3] != 0:
        return loc
    cases = document.get("cases")
    if not isinstance(cases, list) or not isinstance(loc[1], int) or loc[1] >= len(cases):
        return loc
    case = cases[loc[1]]
    if isinstance(case, dict) and not isinstance(case.get(loc[2]), list):
        return loc[:3] + loc[4:]
    return loc


def _explain(detail: ErrorDetails, path: str, message: str, document: Any) -> str:
    """A repeated id with the line of its first case, and a year outside the catalogue's."""
    kind = detail["type"]
    if kind == "duplicate_id":
        ctx = detail.get("ctx") or {}
        ident, first = ctx["id"], ctx["first"]
        _, first_line = _yaml.locate(("cases", first, "id"), document)
        raw = document["cases"][first]["id"]
        spelled = f", written {raw!r}" if raw != ident else ""
        return (
            f"duplicate id {ident!r}: cases[{first}] has it already (line {first_line}"
            f"{spelled}); ids are compared in lower case and must be unique"
        )
    if kind in {"greater_than_equal", "less_than_equal"} and path.endswith("_year"):
        return f"{message}, got {detail['input']!r}: the catalogue covers {FIRST_YEAR}–{LAST_YEAR}"
    return message


_CATALOGUE = dataclasses.replace(
    _yaml.SCENARIO,
    not_a_path="expected a file path, got {type}",
    missing="no such file; expected a YAML catalogue of wedge attempts",
    bytes_too_big=None,
    text_too_big="the document is larger than {max_bytes:,} bytes",
    not_a_mapping="expected a mapping with schema_version, references and cases, got {kind}",
    unnamed="<catalogue>",
    validate_past_values=False,
    too_nested=None,
    validator_failed=None,
    unknown_field="unknown field (check its spelling against the schema)",
    required="this field is required",
    show_input=frozenset({"literal_error", "int_parsing", "int_type", "string_type", "enum"}),
    skip_emptied=True,
    relocate=_relocate,
    explain=_explain,
)
"""The limits of a scenario file, the wording of the catalogue's problems."""
