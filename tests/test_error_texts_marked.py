"""Every ``expected`` and ``detail`` text of the library's value errors can be worded in the reader's language.

The CLI frames an :class:`~tthc.errors.InvalidValueError` in the run's language ("cần {expected}, nhận được
{given}") and words ``expected`` / ``detail`` through the catalog; a plain literal or an f-string there would print
English inside a Vietnamese line. This test walks the source of every module and fails on such a text: a constant
must be marked (``N_("a whole number >= 1")``: extracted into the catalog, returned unchanged), a text with values a
:class:`~tthc.foundation.words.Words` (``words(N_("one of {choices}"), choices=...)``), and a re-raise passes
``exc.expected_words`` / ``exc.detail_words`` on (``exc.expected`` is the English text).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import tthc
from tthc.errors import InvalidValueError
from tthc.foundation.words import words

SRC = Path(tthc.__file__).resolve().parent
ERRORS = {"InvalidValueError", "ParseError", "InvalidCodeError", "OutputFileError"}
MARKS = {"N_", "words", "said"}  # said: tthc.dossiers.findings imports words under that name


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(self.tree):  # every value assigned to a name or an attribute name, any scope
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            for target in targets:
                name = _name(target)
                if name is not None:
                    self.assigned.setdefault(name, []).append(value)

    def problems(self) -> Iterator[str]:
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in ERRORS):
                continue
            given = {k.arg: k.value for k in node.keywords if k.arg in ("expected", "detail")}
            if len(node.args) > 1:
                given["expected"] = node.args[1]
            for role, value in given.items():
                why = self._unmarked(value, depth=0)
                if why:
                    where = f"{self.path.relative_to(SRC.parent)}:{value.lineno}"
                    yield f"{where}: {role} {why}: {ast.unparse(value)[:90]}"

    def _unmarked(self, node: ast.expr, depth: int) -> str | None:
        """Why ``node`` would print untranslated, or None when it is marked (or cannot be judged here)."""
        if isinstance(node, ast.Constant):
            return "is a plain literal (wrap it in N_)" if isinstance(node.value, str) and node.value else None
        if isinstance(node, ast.JoinedStr | ast.BinOp):
            return "is built from values (use words(N_(template), ...))"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return "is formatted in place (use words(N_(template), ...))"
        if isinstance(node, ast.IfExp):
            return self._unmarked(node.body, depth) or self._unmarked(node.orelse, depth)
        if isinstance(node, ast.Attribute) and node.attr in ("expected", "detail"):
            return f"passes the English text on (use .{node.attr}_words)"
        name = _name(node)
        if name is not None and depth < 3:  # a constant or a class attribute: judge what is assigned to it
            for value in self.assigned.get(name, []):
                why = self._unmarked(value, depth + 1)
                if why:
                    return f"is {name}, which {why}"
        return None


def _modules() -> list[_Module]:
    return [_Module(p) for p in sorted(SRC.rglob("*.py"))]


def test_every_expected_and_detail_text_is_marked_for_translation() -> None:
    problems = [p for m in _modules() for p in m.problems()]
    assert problems == []


def test_the_walk_finds_the_constructions() -> None:
    """Guard against a walk that finds nothing: the library raises these errors in many places."""
    found = sum(1 for m in _modules() for n in ast.walk(m.tree) if isinstance(n, ast.Call) and _name(n.func) in ERRORS)
    assert found > 200


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('raise InvalidValueError("n", "a whole number", n)', True),
        ('raise InvalidValueError("n", N_("a whole number"), n)', False),
        ('raise InvalidValueError("n", f"one of {xs}", n)', True),
        ('raise InvalidValueError("n", "one of " + ", ".join(xs), n)', True),
        ('raise InvalidValueError("n", words(N_("one of {xs}"), xs=xs), n)', False),
        ('raise ParseError("n", N_("x"), n, detail="empty")', True),
        ('raise ParseError("n", N_("x"), n, detail=N_("empty"))', False),
        ('raise ParseError("n", N_("x"), n, detail="")', False),
        ('raise OutputFileError("n", exc.expected, n)', True),
        ('raise OutputFileError("n", exc.expected_words, n, detail=exc.detail)', True),
        ('X = "plain"\nraise InvalidCodeError("n", X, n)', True),
        ('X = N_("marked")\nraise InvalidCodeError("n", X, n)', False),
        ('raise InvalidValueError("n", N_("a") if a else "b", n)', True),
    ],
)
def test_the_walk_tells_marked_from_unmarked(source: str, flagged: bool) -> None:
    path = SRC / "_probe.py"  # only parsed, never written: relative_to needs a path under the package
    module = _Module.__new__(_Module)
    module.path = path
    module.tree = ast.parse(source)
    module.assigned = {}
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    module.assigned.setdefault(t.id, []).append(node.value)
    assert bool(list(module.problems())) is flagged


def test_a_worded_expected_keeps_the_english_message_and_survives_pickling() -> None:
    import pickle

    from tthc.foundation.i18n import N_

    exc = InvalidValueError("--threshold", words(N_("one of {choices}"), choices="a, b"), "c", detail=N_("empty"))
    assert str(exc) == "--threshold: expected one of a, b, got 'c' (empty)"
    assert (exc.expected, exc.detail) == ("one of a, b", "empty")
    back = pickle.loads(pickle.dumps(exc))
    assert str(back) == str(exc)
    assert back.expected_words == exc.expected_words


def test_a_worded_message_of_any_tthc_error_keeps_english_and_survives_pickling() -> None:
    import pickle

    from tthc.errors import NotFoundError
    from tthc.foundation.i18n import N_

    exc = NotFoundError(words(N_("procedure {procedure} is not in the catalog"), procedure="9.999999"))
    assert str(exc) == "procedure 9.999999 is not in the catalog"
    assert exc.said is not None
    assert exc.said.text("vi") == "thủ tục 9.999999 không có trong danh mục TTHC"
    back = pickle.loads(pickle.dumps(exc))
    assert (str(back), back.said) == (str(exc), exc.said)
    assert NotFoundError("plain text").said is None
