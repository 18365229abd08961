"""Studies: where the world's data meet the analyses (DESIGN §2).

==================  ==========================================================
module              what it holds
==================  ==========================================================
grounding           a scenario's ``derive:`` queries resolved in the store
dyad_profile        everything the store knows of a pair in a year
world_alignment     the landscape alignment of the world's states in a year
published_checks    our measures checked against figures published by others
==================  ==========================================================
"""

from alliances.studies.grounding import Grounding, ground

__all__ = ["Grounding", "ground"]
