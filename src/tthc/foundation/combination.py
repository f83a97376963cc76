"""How several applicable rules of one kind combine — one rule for priority reductions and postage discounts.

domain.md §3 and §5: no legal text says whether reductions or discounts stack, so the combination is always an
explicit rule. The default everywhere is :attr:`Combination.MOST_FAVOURABLE`: the single rule most favourable to the
applicant applies (the shortest time, the largest discount).
"""

from __future__ import annotations

from tthc.foundation.enums import TthcStrEnum

__all__ = ["Combination"]


class Combination(TthcStrEnum):
    """How several rules of one kind that apply to the same dossier combine (the default: the most favourable)."""

    MOST_FAVOURABLE = "most_favourable"  # the single rule most favourable to the applicant (ties: the first listed)
    STACK = "stack"  # all apply, one after the other, in the listed order (prices never below zero)
    REJECT = "reject"  # no combination rule: rules that could apply together are a ConflictError
