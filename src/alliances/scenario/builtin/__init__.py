"""Built-in scenarios, as YAML files."""
