"""The hand-made store of the drafting tests, shared with the other studies' tests."""

from test_drafting import con, store

__all__ = ["con", "store"]
