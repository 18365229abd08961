"""``python -m alliances.cli``: the command line."""

from alliances.cli import main

main()
