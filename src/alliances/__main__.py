"""``python -m alliances``: the command line, as the ``alliances`` command."""

from alliances.cli import main

main()
