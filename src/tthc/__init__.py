"""tthc — Vietnamese administrative procedures (thủ tục hành chính) done right.

One flat public namespace, listed once in ``__init__.pyi`` (which type checkers read). Names load on first use
(``lazy_loader``), so ``import tthc`` stays light: it never imports an optional extra, and numpy-backed parts load
only when touched.

Exceptions (see :mod:`tthc.errors` for the tree): :class:`TthcError` is the root; errors about bad values also
inherit ``ValueError``.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
