"""Built-in scenarios, as YAML files shipped with the package.

:func:`names`, :func:`text` and :func:`titles` read only the files (no validation, no numerical
library), so that ``alliances scenario list`` starts at once; the test suite validates
every built-in.
"""

from __future__ import annotations

from importlib import resources

__all__ = ["names", "text", "titles"]


def names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def text(name: str) -> str:
    """The YAML text of the built-in scenario ``name``, as it ships (its comments too)."""
    return resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8")


def titles() -> dict[str, str]:
    """Each built-in scenario's name and title, read from its file."""
    from ruamel.yaml import YAML

    reader = YAML(typ="safe", pure=True)
    found = {}
    for name in names():
        data = reader.load(text(name))
        found[name] = str(data.get("title", ""))
    return found
