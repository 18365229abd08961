"""``alliances ingest``: read an article into a draft scenario, with its evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliances.cli._app import JsonOption, StoreOption, app, echo_json, err, out


@app.command("ingest")
def ingest_command(
    article: Annotated[
        str,
        typer.Argument(
            help="An article: a text or HTML file (at most 5 MiB, UTF-8), - for standard "
            "input, or the text itself (words with spaces, or lines). An argument that names "
            "no file but looks like a path is 'no such file': empty, ending in a file suffix "
            "(.txt, .html, .md, .yaml, .json ...), starting with / ./ ../ ~/, or holding a "
            "/ and no space."
        ),
    ],
    out_file: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write the draft scenario (YAML) here.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(min=1816, max=9999, help="The article's year (dates 'last year')."),
    ] = None,
    ground: Annotated[
        bool, typer.Option(help="Fill what the article does not price from the world data.")
    ] = False,
    divider: Annotated[
        str | None,
        typer.Option(
            help="The divider, when you know it better than the reader: an actor the "
            "article names (a name, ISO or COW code, or an organisation's id), or none.",
            rich_help_panel="The question's roles",
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            help="The target: a state the article names.",
            rich_help_panel="The question's roles",
        ),
    ] = None,
    partner: Annotated[
        str | None,
        typer.Option(
            help="The partner: a state or organisation the article names.",
            rich_help_panel="The question's roles",
        ),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read an article into a draft scenario, every figure citing its place in the text.

    Check the question it prints: with --divider, --target or --partner the reader keeps
    the roles you give and chooses the others."""
    from alliances._files import atomic_write, check_output
    from alliances.cli._app import store_if_any
    from alliances.ingest import ingest
    from alliances.scenario.io import dump_yaml

    if out_file is not None:
        check_output(out_file)
    if store is not None and not ground:
        err.print(
            "note: --store is read only with --ground (the draft takes what the article "
            "does not quantify from the store); without it the store is not used",
            soft_wrap=True,
        )
    con = store_if_any(store) if ground else None
    if ground and con is None:
        err.print("note: --ground without a store: nothing is drafted from the world data")
    try:
        given = {"divider": divider, "target": target, "partner": partner}
        roles = {role: actor for role, actor in given.items() if actor is not None}
        result = ingest(article, year=year, store=con, ground=ground, roles=roles)
    finally:
        if con is not None:
            con.close()
    if out_file is not None:
        if result.scenario is None:
            from alliances.errors import DataError

            msg = f"{article}: no scenario to write ({'; '.join(result.warnings)})"
            raise DataError(msg)
        atomic_write(out_file, dump_yaml(result.scenario))
    if as_json:
        echo_json(result.to_dict())
        return
    _print(result)
    if out_file is not None:
        out.print(f"Wrote {out_file} ({result.scenario.id}).")  # type: ignore[union-attr]


def _print(result: object) -> None:
    from rich.table import Table

    data = result.to_dict()  # type: ignore[attr-defined]
    q = data["question"]
    if q:
        guess = " (a guess)" if q["guessed"] else ""
        if q["given"]:
            guess += f" ({' and '.join(q['given'])} given)"
        if q["divider"] is None:
            out.print(
                f"Question{guess}: {q['target']} drifting from {q['partner']}; no divider "
                "named (no scenario drafted)"
            )
        else:
            out.print(
                f"Question{guess}: can {q['divider']} pull {q['target']} away from {q['partner']}?"
            )
        if q["alternatives"]:
            chosen = (q["divider"], q["target"], q["partner"])
            others = "; ".join(
                f"{a['divider'] or 'none'}/{a['target']}/{a['partner']} {a['probability']:.2f}"
                for a in q["alternatives"]
                if (a["divider"], a["target"], a["partner"]) != chosen
            )
            said = "the role model's probability" if q["given"] else "confidence"
            out.print(
                f"  {said} {q['confidence']:.2f} ({q['model']} role model)"
                + (f"; next: {others}" if others else "")
            )
    actors = Table("actor", "kind", "mentions", title="Actors")
    for a in data["actors"]:
        actors.add_row(f"{a['name']} ({a['id']})", a["kind"], str(len(a["mentions"])))
    out.print(actors)
    figures = Table("figure", "value", "role", "between", title="Figures")
    for f in data["figures"]:
        value = f"{f['value']:,.4g} {f.get('currency') or ''} {f['unit']}"
        if f.get("period"):
            value += f" per {f['period']}"
        between = " - ".join(f["between"]) if f.get("between") else ""
        figures.add_row(f["text"], value, f["role"], between)
    out.print(figures)
    if data["caution"]:
        out.print(data["caution"])
    for warning in data["warnings"]:
        err.print(f"note: {warning}")
