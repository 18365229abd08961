"""Small tables shipped with the package (see each file for its source)."""
