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
from tthc.errors import InvalidValueError, TthcError
from tthc.foundation.words import words

SRC = Path(tthc.__file__).resolve().parent
ERRORS = {"InvalidValueError", "ParseError", "InvalidCodeError", "OutputFileError"}
MARKS = {"N_", "words", "said"}  # said: tthc.dossiers.findings imports words under that name
EXPECTS = {"expect", "expect_optional"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


class _Module:
    def __init__(self, path: Path, source: str | None = None) -> None:
        self.path = path  # a probe's path is only named, never read: relative_to needs a path under the package
        self.tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
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
        if isinstance(node, ast.BoolOp):  # ``cls._expected or "a fallback"``
            return next((why for v in node.values if (why := self._unmarked(v, depth))), None)
        if isinstance(node, ast.Attribute) and node.attr in ("expected", "detail"):
            return f"passes the English text on (use .{node.attr}_words)"
        name = _name(node)
        if name is not None and depth < 3:  # a constant or a class attribute: judge what is assigned to it
            for value in self.assigned.get(name, []):
                why = self._unmarked(value, depth + 1)
                if why:
                    return f"is {name}, which {why}"
        return None

    def unextracted(self) -> Iterator[str]:
        """The ``expected`` texts of :func:`~tthc.foundation.arguments.expect` calls that the catalog would miss.

        Babel extracts the 4th argument of ``expect`` / ``expect_optional`` (``-k expect:4`` in
        scripts/translations.sh): a literal there is a catalog text; anything else must be marked where it is made
        (``N_`` or ``words``), or it prints in English inside a Vietnamese line.
        """
        definitions = [d for d in ast.walk(self.tree) if isinstance(d, ast.FunctionDef) and d.name in EXPECTS]
        inside = {id(n) for d in definitions for n in ast.walk(d)}  # expect_optional passes its parameter on
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in EXPECTS) or id(node) in inside:
                continue
            given = [k.value for k in node.keywords if k.arg == "expected"] or node.args[3:4]
            for value in given:
                why = self._not_extracted(value, depth=0)
                if why:
                    yield f"{self.path.relative_to(SRC.parent)}:{value.lineno}: expected is {why}: {ast.unparse(value)}"

    def _not_extracted(self, node: ast.expr, depth: int) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return None if depth == 0 else "a plain literal away from the call (wrap it in N_)"
        if isinstance(node, ast.Call) and _name(node.func) in MARKS:
            return None
        name = _name(node)
        values = self.assigned.get(name, []) if name is not None else []
        if not values or depth >= 3:
            return "neither a literal nor a marked text"
        for value in values:
            why = self._not_extracted(value, depth + 1)
            if why:
                return f"{name}, which is {why}"
        return None

    def unworded_messages(self) -> Iterator[str]:
        """The errors raised with one message (:data:`MESSAGE_ERRORS`) whose message is a plain literal or is built
        from values in place: it would print in English inside a Vietnamese line; ``words(N_(template), ...)`` words
        it in the run's language and keeps the English ``str()``."""
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in MESSAGE_ERRORS and node.args):
                continue
            message = node.args[0]
            why = self._unmarked(message, depth=0)
            if why:
                text = ast.unparse(message)
                if _listed(self.path.relative_to(SRC).as_posix(), text):
                    continue
                where = f"{self.path.relative_to(SRC.parent)}:{message.lineno}"
                yield f"{where}: {_name(node.func)} message {why}: {text[:90]}"


def _message_errors() -> set[str]:
    """The library errors raised with one message (the :class:`~tthc.errors.TthcError` constructor): every subclass
    but the value errors (field, expected, given) and those with a constructor of their own (MissingExtraError)."""
    import tthc.errors

    found: set[str] = set()
    todo: list[type[TthcError]] = [TthcError]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ == "tthc.errors" and cls.__init__ is TthcError.__init__:
            found.add(cls.__name__)
    assert found <= set(tthc.errors.__all__)
    return found


MESSAGE_ERRORS = _message_errors()

# Sites of issue 14 left in English, each a (module, start of the message): listed so that no NEW plain message gets
# in; remove a line when its site is worded.
UNWORDED_ELSEWHERE = {
    # English by design: the translations themselves are missing or unreadable, there is nothing to word them with
    ("foundation/i18n.py", "f'{path}: the compiled {lang} translations are missing"),
    ("foundation/i18n.py", "f'{path}: unreadable translations ({exc})'"),
}


def _listed(module: str, text: str) -> bool:
    return any(module == m and text.startswith(start) for m, start in UNWORDED_ELSEWHERE)


def _modules() -> list[_Module]:
    return [_Module(p) for p in sorted(SRC.rglob("*.py"))]


def test_every_expected_and_detail_text_is_marked_for_translation() -> None:
    problems = [p for m in _modules() for p in m.problems()]
    assert problems == []


def test_every_message_of_a_library_error_is_worded() -> None:
    problems = [p for m in _modules() for p in m.unworded_messages()]
    assert problems == []


def test_the_list_of_sites_still_to_word_names_only_real_sites() -> None:
    """A site worded (or moved) must leave :data:`UNWORDED_ELSEWHERE`, or the list would hide a new one."""
    found = set()
    for m in _modules():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Call) and _name(node.func) in MESSAGE_ERRORS and node.args:
                module, text = m.path.relative_to(SRC).as_posix(), ast.unparse(node.args[0])
                found |= {(mod, start) for mod, start in UNWORDED_ELSEWHERE if mod == module and text.startswith(start)}
    assert sorted(UNWORDED_ELSEWHERE - found) == []


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('raise DataFileError(f"{path}: cannot open")', True),
        ('raise DataFileError("cannot open")', True),
        ('raise NotFoundError("no tariff " + tid)', True),
        ('raise ConflictError("{a} and {b}".format(a=a, b=b))', True),
        ('M = f"{path}: bad"\nraise DataError(M)', True),
        ('raise CalendarRangeError(f"idx: {n}")', True),
        ('raise DataFileError(words(N_("{path}: cannot open"), path=path))', False),
        ('raise NotFoundError(N_("nothing here"))', False),
        ("raise DataFileError(renamed(exc.said, a, b))", False),
        ('raise MissingExtraError("postgres", "adbc-driver-postgresql")', False),
        ('raise InvalidValueError("n", N_("a whole number"), n)', False),
    ],
)
def test_the_walk_tells_worded_messages_from_plain_ones(source: str, flagged: bool) -> None:
    assert bool(list(_Module(SRC / "_probe.py", source).unworded_messages())) is flagged


def test_every_expected_text_of_an_argument_check_is_extracted() -> None:
    problems = [p for m in _modules() for p in m.unextracted()]
    assert problems == []


def _expect_texts() -> set[str]:
    """The literal ``expected`` texts of every ``expect`` / ``expect_optional`` call, and the ``N_`` texts they use."""
    found: set[str] = set()
    for m in _modules():
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Call) and _name(node.func) in EXPECTS and len(node.args) > 3:
                arg = node.args[3]
                if isinstance(arg, ast.Name):
                    arg = next(iter(m.assigned.get(arg.id, [])), arg)
                if isinstance(arg, ast.Call) and _name(arg.func) == "N_":
                    arg = arg.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def test_every_expected_text_of_an_argument_check_has_a_vietnamese_translation() -> None:
    from babel.messages.pofile import read_po

    with (SRC / "locale" / "vi" / "LC_MESSAGES" / "tthc.po").open("rb") as fh:
        catalog = read_po(fh)
    texts = _expect_texts()
    assert len(texts) > 50
    assert sorted(t for t in texts if t not in catalog or not catalog[t].string) == []


def test_an_argument_check_is_worded_in_vietnamese() -> None:
    from tthc.foundation.arguments import expect, expect_optional
    from tthc.foundation.error_words import error_text

    with pytest.raises(InvalidValueError) as info:
        expect(12, str, "subtitle", "text")
    assert error_text(info.value, "vi") == "subtitle: cần văn bản, nhận được 'int'"
    assert error_text(info.value, "en") == str(info.value) == "subtitle: expected text, got 'int'"
    with pytest.raises(InvalidValueError) as info:
        expect_optional("send", tuple, "leg", "a Leg (send or return)")
    assert error_text(info.value, "vi") == "leg: cần một Leg (chiều gửi hoặc chiều trả), nhận được 'str'"
    with pytest.raises(InvalidValueError) as info:
        expect([], dict, "price", "a tthc.Money")
    assert error_text(info.value, "vi") == "price: cần một tthc.Money, nhận được 'list'"


def test_translations_script_extracts_the_argument_checks() -> None:
    script = (SRC.parent.parent / "scripts" / "translations.sh").read_text(encoding="utf-8")
    assert "-k expect:4" in script
    assert "-k expect_optional:4" in script


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('expect(x, str, "name", "text")', False),
        ('expect_optional(x, str, "name", "text or None")', False),
        ('expect(x, str, "name", expected="text")', False),
        ('expect(x, str, "name", N_("text"))', False),
        ('E = N_("text")\nexpect(x, str, "name", E)', False),
        ('E = "text"\nexpect(x, str, "name", E)', True),
        ('expect(x, str, "name", f"a {kind}")', True),
        ('expect(x, str, "name", "a " + kind)', True),
        ('expect(x, str, "name", kind)', True),
        ("def expect_optional(v, c, f, expected):\n    return expect(v, c, f, expected)", False),
    ],
)
def test_the_walk_tells_extracted_from_unextracted(source: str, flagged: bool) -> None:
    assert bool(list(_Module(SRC / "_probe.py", source).unextracted())) is flagged


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
        ('raise InvalidCodeError("n", cls._expected or "a fallback", n)', True),
        ('raise InvalidCodeError("n", cls._expected or N_("a fallback"), n)', False),
    ],
)
def test_the_walk_tells_marked_from_unmarked(source: str, flagged: bool) -> None:
    assert bool(list(_Module(SRC / "_probe.py", source).problems())) is flagged


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
