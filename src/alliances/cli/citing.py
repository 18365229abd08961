"""``alliances cite``: the BibTeX of every dataset and method, or of the ones named.

The entries are those of the package's ``references.bib``, printed as written (BibTeX,
biber and bibtexparser read them). Names are dataset names (``atop_alliance``), method
names (``wedge``, ``sensitivity`` …; ``--list`` shows them) or BibTeX keys.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from alliances.cli._app import JsonOption, app, echo_json, out


@app.command("cite")
def cite_command(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Datasets, methods or BibTeX keys (none: every reference).",
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain-text citations instead of BibTeX.")
    ] = False,
    show_list: Annotated[
        bool, typer.Option("--list", help="List the datasets and methods and their keys.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """BibTeX for every dataset and method (or the ones named), for a reference manager.

    ``alliances cite wedge atop_alliance > refs.bib`` writes the works of the wedge model
    and of the ATOP data; an unknown name is an error that lists the closest known ones.
    With ``--json``: ``{"references": [{"key", "type", "bibtex", "citation"}]}``.
    """
    from alliances.world.registry import DATASETS, METHODS, references_for

    if show_list:
        if as_json:
            echo_json(
                {
                    "datasets": {name: list(spec.cite) for name, spec in DATASETS.items()},
                    "methods": {
                        name: {"title": m.title, "modules": list(m.modules), "cite": list(m.cite)}
                        for name, m in METHODS.items()
                    },
                }
            )
            return
        view = Table(title="Methods and datasets `alliances cite` takes")
        for header in ("name", "kind", "what", "keys"):
            view.add_column(header, overflow="fold")
        for name, method in METHODS.items():
            view.add_row(name, "method", method.title, ", ".join(method.cite))
        for name, spec in DATASETS.items():
            view.add_row(name, "dataset", spec.title, ", ".join(spec.cite))
        out.print(view)
        return
    references = references_for(names or [])
    if as_json:
        echo_json(
            {
                "references": [
                    {"key": r.key, "type": r.kind, "bibtex": r.text, "citation": r.plain}
                    for r in references
                ]
            }
        )
        return
    if plain:
        typer.echo("\n".join(r.plain for r in references))
    else:
        typer.echo("\n\n".join(r.text for r in references))
