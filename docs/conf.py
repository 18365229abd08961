"""Sphinx configuration of the alliances documentation (``make docs``).

The API reference is generated from the numpydoc docstrings; the pages are MyST
Markdown; the gallery's notebooks (``gallery/*.md``, MyST-NB text notebooks) are run at
every build, and a cell that fails fails the build, as does any warning (``-W``).
"""

from __future__ import annotations

import alliances

project = "alliances"
author = "the alliances developers"
copyright = "2026, the alliances developers"
version = release = alliances.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
]

exclude_patterns = ["_build", "jupyter_execute", "readme_numbers.py", "**.ipynb_checkpoints"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
html_theme = "pydata_sphinx_theme"
html_title = f"alliances {release}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}

# the API reference: one page per public module, from its docstrings
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_typehints = "none"  # numpydoc's Parameters section says the types
numpydoc_show_class_members = False
numpydoc_xref_param_type = False

# The docstrings cite their papers by name in the text ("Signorino and Ritter 1999") and
# list them under References; numpydoc's footnote marks are not used, so are not warned of.
suppress_warnings = ["ref.citation"]

# the docs pages link to sections by heading, as GitHub renders them
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath", "colon_fence"]

# every notebook of the gallery runs at each build; an error in a cell fails it
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 600
nb_execution_show_tb = True
