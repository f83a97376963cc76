"""Text helpers for tolerant matching of Vietnamese labels."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: ``'Ngày  Làm việc'`` → ``'ngay lam viec'``.

    ``đ`` has no combining mark to strip, so it is mapped to ``d`` explicitly.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
