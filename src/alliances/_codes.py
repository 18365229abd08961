"""Code lists shared by the world data and the analyses, defined once below both layers."""

from __future__ import annotations

__all__ = ["ATOP_KINDS"]

ATOP_KINDS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")
"""The kinds of ATOP obligation, in ATOP's order: the ``atop_<kind>`` columns of
``atop_alliance`` (defense, offense, neutrality, non-aggression, consultation)."""
