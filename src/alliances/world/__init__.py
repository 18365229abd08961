"""The world data: dataset registry and readers, the DuckDB store, the panel builders."""

from alliances.world.panel import DyadYears, StateYears, dyad_years, state_years
from alliances.world.registry import BIBTEX, DATASETS, Dataset
from alliances.world.store import BuildReport, build, connect, data_dir, default_store, status

__all__ = [
    "BIBTEX",
    "DATASETS",
    "BuildReport",
    "Dataset",
    "DyadYears",
    "StateYears",
    "build",
    "connect",
    "data_dir",
    "default_store",
    "dyad_years",
    "state_years",
    "status",
]
