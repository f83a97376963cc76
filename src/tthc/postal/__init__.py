"""The public postal channel (BCCI): eligibility (QĐ 45/2016/QĐ-TTg), zones, transit times and the postal timeline.

* :mod:`tthc.postal.eligibility` — :func:`check_postal_eligibility`, agency lists, tracking numbers.
* :mod:`tthc.postal.zones` — tariff zones before and after July 2025.
* :mod:`tthc.postal.timeline` — the postal dossier timeline and TT 17/2017 transit estimates.
"""

import lazy_loader as _lazy

# the names listed in __init__.pyi, each loaded from its module on first use
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
