"""Benchmarks, run as scripts (``python benchmarks/<name>.py``). This file makes the folder a package for type
checkers, so ``benchmarks/distributed.py`` is ``benchmarks.distributed`` and does not shadow the ``distributed``
package."""
