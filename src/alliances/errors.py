"""Exceptions raised by :mod:`alliances`.

Every error a user can cause derives from one base class, so scripts and the command
line catch exactly one type::

    AlliancesError
    ├── UnknownCountryError   a name or code that resolves to no state
    ├── UnknownSourceError    a name `alliances cite` knows as no dataset, method or key
    ├── ScenarioError         a scenario file or object that does not validate
    ├── DataError             a data directory, data file or store that cannot be used
    ├── OutputError           an output path that cannot be written (checked before work)
    └── ParameterError        a parameter out of its range (also a ValueError)

The command line prints ``Type: message`` for these and exits with status 2. Two more
classes are not a user's doing::

    RegistryError (ValueError)         a shipped registry file that does not parse: a bug
    AlliancesWarning (RuntimeWarning)  an analysis did something else than asked, and says what
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AlliancesError",
    "AlliancesWarning",
    "DataError",
    "OutputError",
    "ParameterError",
    "Problem",
    "RegistryError",
    "ScenarioError",
    "UnknownCountryError",
    "UnknownSourceError",
]


class AlliancesError(Exception):
    """Base class of every error caused by user input."""


class UnknownCountryError(AlliancesError, LookupError):
    """A country name or code that matches no state.

    ``suggestions`` holds the closest known names, best first; ``message``, when given,
    says what is wrong instead of "not a known country" (an ambiguous code, a NaN).
    """

    def __init__(
        self, query: object, suggestions: list[str] | None = None, message: str | None = None
    ) -> None:
        self.query = query
        self.suggestions = suggestions or []
        hint = (
            f" Did you mean: {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        said = message or (
            f"{query!r} is not a known country name or code "
            f"(expected a name, adjective, capital, ISO3, COW or Gleditsch–Ward code)."
        )
        super().__init__(f"{said}{hint}")


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what was expected."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}{self.path or '(top level)'}: {self.message}"


class ScenarioError(AlliancesError, ValueError):
    """A scenario that does not validate; lists every problem at once."""

    def __init__(self, problems: list[Problem], file: str | None = None) -> None:
        self.problems = problems
        self.file = file
        origin = file or "scenario"
        n = len(problems)
        head = f"{origin}: {n} problem{'s' if n != 1 else ''}"
        super().__init__("\n".join([head, *(f"  {p}" for p in problems)]))


class DataError(AlliancesError):
    """A data directory, data file or store that cannot be used as it is.

    The message names the file and what was expected of it; ``file``, when given, is that
    file as the user named it (the ``file`` of the ``--json`` problem).
    """

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


class OutputError(AlliancesError, OSError):
    """An output path that cannot be written: a missing or read-only folder, a full disk.

    Raised before any work starts where the path can be checked up front.
    """


class ParameterError(AlliancesError, ValueError):
    """A parameter outside its allowed range; the message shows the value and the range."""


class UnknownSourceError(AlliancesError, LookupError):
    """A name given to ``alliances cite`` (:func:`alliances.world.registry.references_for`)
    that is no dataset, method or cite key.

    ``suggestions`` holds the closest known names, best first.
    """

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"{name!r} is not a dataset, method or BibTeX key of alliances{hint} "
            "(`alliances cite --list` lists them all)"
        )


class RegistryError(ValueError):
    """A registry file (``datasets.toml`` or ``references.bib``) that does not parse.

    The shipped files are checked by the tests, so this is a bug of the package, not
    something a user's data can cause.
    """


class AlliancesWarning(RuntimeWarning):
    """An analysis did something other than what was asked, and says what instead.

    A ``RuntimeWarning``, as scikit-learn's estimators issue for a fallback, so that
    filters on ``RuntimeWarning`` see it; filter on this class to silence the analyses'
    fallbacks alone (NumPy's own runtime warnings are ``RuntimeWarning`` too).
    """
