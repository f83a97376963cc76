"""The foundation every other package builds on: identifiers, money, channels and levels, legal references,
dated values, the combination rule, Vietnamese text folding and access to the bundled data files.

Nothing here imports another :mod:`tthc` package (only :mod:`tthc.errors`); the import contracts in ``pyproject.toml``
keep it so.
"""
