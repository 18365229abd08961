"""Editing a scenario sent by the browser: what the page sends, read and changed.

The browser holds the scenario as YAML; every edit is sent with it. :func:`parse` reads
it with the same validator as the command line, every failure an
:class:`~alliances.errors.AlliancesError` whose problems name the path and the line.
An edit names one parameter of one model input (:func:`locate` finds the quantity);
a change of structure adds or removes one actor, bond, instrument or threat
(:func:`restructured`). The scenario's own validation then judges the result.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML

from alliances.errors import AlliancesError, Problem, ScenarioError
from alliances.scenario import Scenario, parse_yaml
from alliances.web.problems import Refused

__all__ = [
    "KINDS",
    "MAX_TEXT",
    "EditRequest",
    "OpenRequest",
    "SaveRequest",
    "StructureRequest",
    "YamlRequest",
    "items_of",
    "keeping_comments",
    "locate",
    "parse",
    "restructured",
    "where_before",
]


MAX_TEXT = 128 * 1024
"""The largest scenario text the workbench reads, in bytes (the built-in one is 27 KB): a
larger one would take the YAML reader seconds, at about 50 KB a second."""


def parse(text: str, file: str) -> Scenario:
    """A scenario from YAML text; every failure an :class:`AlliancesError`.

    A text of more than :data:`MAX_TEXT` bytes is refused before it is read.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_TEXT:
        msg = (
            f"the scenario is {size:,} bytes; the workbench reads scenarios of at most "
            f"{MAX_TEXT // 1024} KiB (the built-in one is 27 KB); "
            "price a larger one on the command line (`alliances wedge FILE`)"
        )
        raise ScenarioError([Problem("", msg)], file=file)
    try:
        return parse_yaml(text, file=file)
    except AlliancesError:
        raise
    except RecursionError:
        msg = "the document is nested too deeply to be a scenario"
        raise ScenarioError([Problem("", msg)], file=file) from None
    except (ValueError, TypeError, LookupError) as error:
        # a validator that raised something other than a validation error
        msg = f"the scenario cannot be read ({type(error).__name__})"
        raise ScenarioError([Problem("", msg)], file=file) from None


def keeping_comments(text: str, change: Callable[[Any], object], scenario: Scenario) -> str:
    r"""``text`` with ``change`` made to its YAML document itself, so that its comments,
    key order and layout stay, if that text reads as ``scenario``; else ``scenario``
    written afresh (:func:`~alliances.scenario.io.dump_yaml`).

    ``scenario`` is the change made to the validated model, the one that counts: the
    text is only kept when it says the same (a shorthand the model expands, for one, is
    written afresh). ``text`` has been read by :func:`parse` already, so it is a scenario
    of at most :data:`MAX_TEXT` bytes, without aliases or tags.

    >>> from alliances.scenario import load_builtin, parse_yaml
    >>> from alliances.scenario.io import dump_yaml
    >>> text = "# my notes\n" + dump_yaml(load_builtin("russia-iran-2017"))
    >>> retitled = parse_yaml(text.replace("\ntitle: ", "\ntitle: New. ", 1), file="x")
    >>> kept = keeping_comments(text, lambda doc: doc.update(title=retitled.title), retitled)
    >>> kept.splitlines()[0], "title: New. " in kept
    ('# my notes', True)
    """
    from alliances.scenario.io import dump_yaml

    yaml = YAML(typ="rt")
    yaml.width = 4096  # long lines stay as they are
    try:
        document = yaml.load(text)
        change(document)
        out = io.StringIO()
        yaml.dump(document, out)
        kept = out.getvalue()
        if parse_yaml(kept, file="workbench") == scenario:
            return kept
    except Exception:
        pass
    return dump_yaml(scenario)


class OpenRequest(BaseModel):
    """``/api/open``: a workspace ``path`` or a ``builtin`` (``name``: either one)."""

    path: str | None = None
    builtin: str | None = None
    name: str | None = None  # either: a built-in name or a workspace path (older pages)


class EditRequest(BaseModel):
    """``/api/edit``: set ``param`` of the model input ``input`` to ``value``."""

    yaml: str
    input: str
    param: str
    value: float | int


class YamlRequest(BaseModel):
    """``/api/run`` and ``/api/report``: the scenario as the page holds it."""

    yaml: str


class SaveRequest(BaseModel):
    """``/api/save``: the text, where, and the version opened (None: a new file)."""

    yaml: str
    path: str
    sha256: str | None = None


class StructureRequest(BaseModel):
    """``/api/structure``: add or remove one actor, bond, instrument or threat."""

    yaml: str
    op: str  # "add" or "remove"
    kind: str  # "actor", "bond", "instrument" or "threat"
    id: str | None = None  # the item to remove
    item: dict[str, Any] | None = None  # the item to add, as the scenario file writes it


KINDS: dict[str, tuple[str, ...]] = {
    "actor": ("actors",),
    "bond": ("bonds",),
    "instrument": ("question", "instruments"),
    "threat": ("question", "threats"),
}
"""Where each kind of item lives in a scenario file (the keys from the top)."""


def _items(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The list of the scenario's ``kind`` items (as dicts), created if absent."""
    *parents, last = KINDS[kind]
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    listed: list[dict[str, Any]] = node.setdefault(last, [])
    return listed


def _a(kind: str) -> str:
    """``kind`` with its indefinite article: ``an actor``, ``a bond``."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def restructured(data: dict[str, Any], body: StructureRequest) -> dict[str, Any]:
    """``data`` with one actor, bond, instrument or threat added or removed.

    Raises :class:`Refused` for a request that names nothing (the scenario's own
    validation, afterwards, judges the result). Removing an actor also removes its
    memberships; bonds that name it are left for the validator to point out.
    """
    if body.kind not in KINDS:
        raise Refused(422, f"kind should be one of {', '.join(KINDS)}; got {body.kind!r}")
    items = _items(data, body.kind)
    if body.op == "remove":
        if not body.id or not any(i.get("id") == body.id for i in items):
            raise Refused(404, f"no {body.kind} {body.id!r} in the scenario")
        items[:] = [i for i in items if i.get("id") != body.id]
        if body.kind == "actor":
            data["memberships"] = [
                m
                for m in data.get("memberships", [])
                if body.id not in (m.get("member"), m.get("bloc"))
            ]
        return data
    if body.op == "add":
        if not isinstance(body.item, dict) or not str(body.item.get("id", "")).strip():
            raise Refused(422, f"give the new {body.kind} an id")
        if any(i.get("id") == body.item["id"] for i in items):
            msg = f"the scenario already has {_a(body.kind)} {body.item['id']!r}"
            raise Refused(422, msg)
        items.append(body.item)
        return data
    raise Refused(422, f"op should be 'add' or 'remove'; got {body.op!r}")


_LISTS = ("actors", "bonds", "memberships", "question.instruments", "question.threats")
"""The lists of a scenario that a change of structure adds to or removes from."""


def items_of(data: dict[str, Any]) -> dict[str, list[Any]]:
    """The items of each list of :data:`_LISTS` in ``data`` (the same objects)."""
    found: dict[str, list[Any]] = {}
    for name in _LISTS:
        node: Any = data
        for key in name.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            found[name] = list(node)
    return found


def where_before(
    before: dict[str, list[Any]], data: dict[str, Any]
) -> Callable[[str], str | None]:
    """For a path in ``data`` after a change of structure, the same place before it.

    ``before`` is :func:`items_of` the data before the change. An item removed moves
    those after it up a place: ``bonds[4]`` may have been ``bonds[5]``. A path inside an
    item added has no place before (None).

    Examples
    --------
    >>> data = {"bonds": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    >>> before = items_of(data)
    >>> data["bonds"] = [data["bonds"][0], data["bonds"][2], {"id": "d"}]
    >>> [where_before(before, data)(p) for p in ("bonds[1].sign", "bonds[2].id", "title")]
    ['bonds[2].sign', None, 'title']
    """
    after = items_of(data)

    def original(path: str) -> str | None:
        for name, items in after.items():
            index = re.match(rf"{re.escape(name)}\[(\d+)\]", path)
            if index is None:
                continue
            j = int(index[1])
            if j >= len(items):
                return None
            old = next((i for i, x in enumerate(before.get(name, [])) if x is items[j]), None)
            return None if old is None else f"{name}[{old}]{path[index.end() :]}"
        return path

    return original


def locate(
    data: dict[str, Any], name: str, missing: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The quantity (as a dict) that the model input ``name`` refers to.

    ``missing`` is put in its place if the quantity is not written there (a default the
    model fills in), so that a change can be made to the text as the file has it.
    """
    parts = name.split(".")
    parent: Any
    if parts[0] == "bonds":
        bond = next(b for b in data["bonds"] if b["id"] == parts[1])
        parent, key = bond["sides"][parts[2]], parts[3]
    elif parts[:2] in (["question", "instruments"], ["question", "threats"]):
        parent = next(i for i in data["question"][parts[1]] if i["id"] == parts[2])
        key = parts[3]
    else:
        parent = data
        for step in parts[:-1]:
            parent = parent[step]
        key = parts[-1]
    if missing is not None and key not in parent:
        parent[key] = missing
    node = parent[key]
    if not isinstance(node, dict):
        raise KeyError(name)
    return node
