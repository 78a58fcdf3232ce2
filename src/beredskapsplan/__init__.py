"""beredskap: municipal emergency plans as validated YAML in git."""
__version__ = "0.1.0"
