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
import itertools
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel
from ruamel.yaml import YAML

from alliances.errors import AlliancesError, Problem, ScenarioError
from alliances.scenario import Scenario, parse_yaml
from alliances.web.problems import Refused

__all__ = [
    "KINDS",
    "MAX_TEXT",
    "EditRequest",
    "Kept",
    "OpenRequest",
    "SaveRequest",
    "StructureRequest",
    "YamlRequest",
    "items_of",
    "keeping_comments",
    "locate",
    "parse",
    "restructure_document",
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


class Kept(NamedTuple):
    """A scenario's text after a change: ``text``, and how many of the comments of the
    text before it are not in it (``dropped``: those of an item removed, or those the
    YAML writer could not place, or all of them if the text was written afresh)."""

    text: str
    dropped: int


def keeping_comments(text: str, change: Callable[[Any], object], scenario: Scenario) -> Kept:
    r"""``text`` with ``change`` made to its YAML document itself, so that its comments,
    key order, quotes and list indentation stay, if that text reads as ``scenario``; else
    ``scenario`` written afresh (:func:`~alliances.scenario.io.dump_yaml`).

    ``scenario`` is the change made to the validated model, the one that counts: the
    text is only kept when it says the same (a shorthand the model expands, for one, is
    written afresh). ``text`` has been read by :func:`parse` already, so it is a scenario
    of at most :data:`MAX_TEXT` bytes, without aliases or tags.

    >>> from alliances.scenario import load_builtin, parse_yaml
    >>> from alliances.scenario.io import dump_yaml
    >>> text = "# my notes\n" + dump_yaml(load_builtin("russia-iran-2017"))
    >>> retitled = parse_yaml(text.replace("\ntitle: ", "\ntitle: New. ", 1), file="x")
    >>> kept = keeping_comments(text, lambda doc: doc.update(title=retitled.title), retitled)
    >>> kept.text.splitlines()[0], "title: New. " in kept.text, kept.dropped
    ('# my notes', True, 0)
    """
    from alliances.scenario.io import dump_yaml

    yaml = YAML(typ="rt")
    yaml.width = 4096  # long lines stay as they are
    yaml.preserve_quotes = True
    mapping, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    written = None
    try:
        document = yaml.load(text)
        change(document)
        out = io.StringIO()
        yaml.dump(document, out)
        if parse_yaml(out.getvalue(), file="workbench") == scenario:
            written = out.getvalue()
    except Exception:  # any failure: the scenario is written afresh
        pass
    written = dump_yaml(scenario) if written is None else written
    return Kept(written, sum((_comments(text) - _comments(written)).values()))


_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def _comments(text: str) -> Counter[str]:
    """The comments of ``text`` (a ``#`` at a line's start or after a space, to its end),
    counted; a ``#`` inside a quoted string may be counted too, alike before and after."""
    return Counter(m[1].rstrip() for line in text.splitlines() if (m := _COMMENT.search(line)))


def _indentation(text: str) -> tuple[int, int]:
    r"""How ``text`` indents: a mapping's keys under their parent (2 if no key says), and a
    list's dashes under the key that holds it (0: flush, as ``key:\n- item``)."""
    mapping = offset = None
    lines = [(len(line) - len(line.lstrip(" ")), line.strip()) for line in text.splitlines()]
    lines = [(n, line) for n, line in lines if line and not line.startswith("#")]
    for (n, line), (m, following) in itertools.pairwise(lines):
        if not line.endswith(":") or line.startswith("- "):
            continue
        if following.startswith("- ") and offset is None:
            offset = m - n
        elif not following.startswith("- ") and m > n and mapping is None:
            mapping = m - n
        if mapping is not None and offset is not None:
            break
    return mapping or 2, max(0, min(offset or 0, (mapping or 2)))


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


def _path(data: dict[str, Any], name: str) -> list[str | int]:
    """The keys and list indices from the top of ``data`` to the model input ``name``."""
    parts = name.split(".")
    if parts[0] == "bonds":
        i = next(k for k, b in enumerate(data["bonds"]) if b["id"] == parts[1])
        return ["bonds", i, "sides", parts[2], parts[3]]
    if parts[:2] in (["question", "instruments"], ["question", "threats"]):
        items = data["question"][parts[1]]
        i = next(k for k, item in enumerate(items) if item["id"] == parts[2])
        return ["question", parts[1], i, parts[3]]
    return list(parts)


def locate(
    data: dict[str, Any],
    name: str,
    missing: dict[str, Any] | None = None,
    *,
    model: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The quantity (as a dict) that the model input ``name`` refers to.

    With ``model`` (the scenario's data as the model writes it), ``data`` is the file's own
    document, in which an actor may be written by any of its names (a bond's side
    ``Russia:``, not ``RUS:``) and an actor need not have an ``id``: the places are found
    in ``model`` and taken to the same places of ``data``. ``missing`` is put where the
    quantity is not written (a default the model fills in), so that a change can be made
    to the text as the file has it.
    """
    path = _path(model if model is not None else data, name)
    node: Any = data
    shape: Any = model
    for depth, step in enumerate(path):
        key: Any = step
        if isinstance(node, dict) and step not in node and isinstance(shape, dict):
            keys, named = list(node), list(shape)
            if len(keys) == len(named) and step in named:
                key = keys[named.index(step)]  # the same place, written by another name
        if depth == len(path) - 1 and missing is not None and key not in node:
            node[key] = missing
        node = node[key]
        shape = shape[step] if shape is not None else None
    if not isinstance(node, dict):
        raise KeyError(name)
    return node


def restructure_document(
    document: dict[str, Any], before: dict[str, list[Any]], after: dict[str, list[Any]]
) -> None:
    """Make in ``document`` (a file's own) the change of structure that took the model's
    lists from ``before`` to ``after`` (:func:`items_of`): the items removed are removed
    at their places, in place (their comments go with them, the others' stay), and the
    items added are appended. The file's lists hold the model's items in the same order."""
    for name in _LISTS:
        old, new = before.get(name, []), after.get(name, [])
        if old == new and all(a is b for a, b in zip(old, new, strict=True)):
            continue
        node: Any = document
        *parents, last = name.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        listed = node.setdefault(last, [])
        if len(listed) != len(old):
            raise KeyError(name)  # not the model's list: the scenario is written afresh
        for i in reversed(range(len(old))):
            if not any(old[i] is item for item in new):
                del listed[i]
        listed.extend(item for item in new if not any(item is o for o in old))
