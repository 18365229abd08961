"""The world data: dataset registry and readers, the DuckDB store, the panel builders and
the point queries (:mod:`alliances.world.queries`): all the SQL of the package."""

from alliances.world.connection import connect, default_store, provenance, table_names
from alliances.world.download import FetchReport, fetch
from alliances.world.panel import (
    DyadYears,
    MemberYears,
    StateYears,
    dyad_years,
    member_years,
    state_years,
)
from alliances.world.registry import ATOP_KINDS, BIBTEX, DATASETS, Dataset
from alliances.world.store import BuildReport, build, data_dir, status

__all__ = [
    "ATOP_KINDS",
    "BIBTEX",
    "DATASETS",
    "BuildReport",
    "Dataset",
    "DyadYears",
    "FetchReport",
    "MemberYears",
    "StateYears",
    "build",
    "connect",
    "data_dir",
    "default_store",
    "dyad_years",
    "fetch",
    "member_years",
    "provenance",
    "state_years",
    "status",
    "table_names",
]
