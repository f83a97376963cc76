"""Hypothesis entry point: registers strategies for tthc types lazily (filled by the testing-kit issue)."""


def _hypothesis_setup_hook() -> None:
    """Called by hypothesis when it loads plugins; registration arrives with the testing-kit issue."""
