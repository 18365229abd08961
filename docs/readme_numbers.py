"""Write the README's numbers from real runs, so they cannot drift (``make readme-numbers``).

Each region of README.md between ``<!-- numbers:NAME ... -->`` and ``<!-- /numbers -->`` is
rewritten from a run of the public API, the same code path as the command line:

``demo``
    ``alliances.wedge(load_builtin("russia-iran-2017"), seed=1)`` with 100,000 draws and
    **no store** (not grounded: the scenario's stated figures), which is what
    ``make demo`` prints on a machine with no store.
``grounding``
    Russia's exports to Iran as the store grounds them; rewritten only with ``--store``
    (a region is left as it is when its run cannot be made).

Usage::

    python docs/readme_numbers.py [--store PATH] [--check]

``--check`` changes nothing and exits 1 if a region differs from what the runs give.
Text outside the markers is never touched.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SEED, SAMPLES = 1, 100_000
REGION = re.compile(
    r"(?P<open><!-- numbers:(?P<name>[a-z-]+)[^>]*-->\n)(?P<body>.*?)(?P<close><!-- /numbers -->)",
    re.DOTALL,
)


def _bn(usd: float) -> str:
    return f"{usd / 1e9:,.1f}"


def _p(p: float) -> str:
    return f"{p:.2g}"


def _bullet(text: str) -> str:
    return textwrap.fill(
        text, width=90, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False
    )


def demo(store: str | None) -> str:
    """The demo region: the built-in scenario priced as ``make demo`` prices it."""
    import alliances
    from alliances.analysis.wedge.price import _SOBOL_SAMPLES
    from alliances.scenario.labels import actor_name, words
    from alliances.studies.backtest.calibration import skill_statement

    scenario = alliances.load_builtin("russia-iran-2017")
    r = alliances.wedge(scenario, seed=SEED, samples=SAMPLES)  # no store: not grounded
    fp, o, d = r.flip_price, r.offer, r.divider
    divider = actor_name(scenario, r.divider_id)
    possessive = f"{divider}'" if divider.endswith("s") else f"{divider}'s"
    package = " and ".join(
        words(scenario, i.id, i.description) for i in scenario.question.instruments
    )
    cells = " | ".join(_bn(fp[c]) for c in ("mean", "p05", "p25", "p50", "p75", "p95"))
    top = "; ".join(f"{row.label} ({row.ST:.2f})" for row in r.drivers.head(5).itertuples())
    lines = [
        textwrap.fill(
            f"`make demo` prints on a machine with no store ({r.samples:,} draws, seed "
            f"{r.seed}; USD bn, present values). {r.grounded['statement']}",
            width=90,
        ),
        "",
        "| | mean | p05 | p25 | p50 | p75 | p95 |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| flip price O\\* | {cells} |",
        "",
        _bullet(
            f"P(flip) at the face value of {package} (about {o['value'] / 1e9:.0f} bn): "
            f"**{_p(o['p_flip_own_package'])}** with each draw's own package "
            f"({_p(o['p_flip_at_value'])} at a fixed {_bn(o['value'])} bn)."
        ),
        *(
            [
                _bullet(
                    f"Calibrated on the documented wedge attempts (layer "
                    f"{r.calibrated['layer']['version']}, fitted on "
                    f"{r.calibrated['layer']['fitted_on']['cases']} cases; "
                    f"{skill_statement(r.calibrated['track_record'])}), P(flip) at that "
                    f"package is **{r.calibrated['p_flip']:.2f}** (90% interval "
                    f"{r.calibrated['interval'][0]:.2f} to {r.calibrated['interval'][1]:.2f}); "
                    "the figure above is the structural threshold P(O\\* < O)."
                )
            ]
            if r.calibrated
            else []
        ),
        _bullet(
            f"{possessive[0].upper()}{possessive[1:]} most it would pay has a median of "
            f"{d['max_offer_p50'] / 1e9:.0f} bn; P(flip within its means) is "
            f"{_p(d['p_within_means'])}; its best offer is {d['best_offer'] / 1e9:.0f} bn."
        ),
        _bullet(
            f"Drivers (total Sobol' index of the rank of O\\*, N = {_SOBOL_SAMPLES:,}), by "
            f"their labels: {top}."
        ),
    ]
    return "\n".join(lines) + "\n"


def grounding(store: str | None) -> str | None:
    """The grounding region: the built-in's trade bond as the store gives it."""
    if store is None:
        return None
    import alliances

    scenario = alliances.load_builtin("russia-iran-2017")
    r = alliances.wedge(scenario, seed=SEED, samples=2, sobol_samples=0, store=store)
    (query,) = r.grounded["queries"]
    stated = next(b for b in scenario.bonds if b.id == query["bond"]).sides["RUS"].revenue
    mode = getattr(stated, "mode", None)
    first, last = query["years"]
    text = (
        f"The built-in scenario grounds Russia's exports to Iran ({query['dataset']}, "
        f"{first}–{last}: USD {query['value'] / 1e9:.2f} bn a year, against the "
        f"{mode} bn mode it states from Russian customs)."
    )
    return textwrap.fill(text, width=90) + "\n"


RUNS: dict[str, Callable[[str | None], str | None]] = {"demo": demo, "grounding": grounding}


def rewrite(text: str, store: str | None) -> str:
    """README text with every region whose run can be made rewritten from that run."""

    def replace(match: re.Match[str]) -> str:
        run = RUNS.get(match["name"])
        body = run(store) if run is not None else None
        return match.group(0) if body is None else match["open"] + body + match["close"]

    return REGION.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store, for the regions that need one")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on drift")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = rewrite(text, args.store)
    if args.check:
        if new != text:
            print(
                f"{args.readme}: the marked numbers differ from the runs; "
                "run `make readme-numbers`"
            )
            return 1
        return 0
    if new != text:
        from alliances._files import atomic_write

        atomic_write(args.readme, new)
        print(f"rewrote the marked numbers of {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
