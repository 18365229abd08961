"""The workbench (``alliances serve``)."""
