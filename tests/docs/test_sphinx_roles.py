"""The griffe extension of the docs (``docs/_ext/sphinx_roles.py``): Sphinx roles in docstrings become autorefs links.

Each case loads a small package from a scratch folder with the extension and reads the rewritten docstrings.
"""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("griffe", reason="the docs extra (mkdocstrings[python]) is not installed")
import griffe  # after the skip

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "docs" / "_ext" / "sphinx_roles.py"
RICH_TEXT = "https://rich.readthedocs.io/en/stable/reference/text.html#rich.text.Text"

PACKAGE = {
    "__init__.py": '''
        """Pkg: see :mod:`pkg.sub`, :class:`Thing` and :mod:`pkg`."""
        from pkg.sub import Thing

        __all__ = ["Thing"]
        ''',
    "base.py": '''
        """Base classes."""


        class Mixin:
            """A mixin."""

            def shared(self) -> None:
                """A method subclasses inherit."""
        ''',
    "sub.py": '''
        """Sub: :class:`~pathlib.Path`, :exc:`OSError`, :func:`open`, :mod:`csv`, :func:`os.path.join`,
        :class:`rich.text.Text`, :class:`numpy.ndarray`, ``:class:`Quoted```."""

        from pkg.base import Mixin

        A, B = 0, 1
        __all__ = ["A", "B", "Thing", "helper"]


        class Thing(Mixin):
            """:meth:`Thing.shared` :meth:`shared` :attr:`plain` :func:`_private` :class:`Other` :data:`A`."""

            plain: int = 0

            def method(self) -> None:
                """:class:`Thing` :class:`~pkg.sub.Thing` :meth:`~pkg.Thing.shared`."""


        def helper() -> None:
            """:func:`the helper <helper>` :func:`!helper` :class:`pkg.old.Thing` :class:`Dup` :class:`Nowhere`."""


        def _private() -> None:
            """Private."""
        ''',
    "other.py": '''
        """Other."""


        class Other:
            """Other."""


        class Dup:
            """One Dup."""
        ''',
    "more.py": '''
        """More."""


        class Dup:
            """Another Dup."""
        ''',
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> griffe.Module:
    root = tmp_path_factory.mktemp("src")
    (root / "pkg").mkdir()
    for name, text in PACKAGE.items():
        (root / "pkg" / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    extensions = griffe.load_extensions({str(EXTENSION): {"external": {"rich.text.Text": RICH_TEXT}}})
    loaded = griffe.load("pkg", search_paths=[root], extensions=extensions, docstring_parser="google")
    assert isinstance(loaded, griffe.Module)
    return loaded


def _doc(pkg: griffe.Module, path: str) -> str:
    obj = pkg[path] if path else pkg
    assert obj.docstring is not None
    return str(obj.docstring.value)


def _extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_sphinx_roles", EXTENSION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_short_names_link_to_where_the_object_is_defined(pkg: griffe.Module) -> None:
    # `Thing` is imported into pkg from pkg.sub: the link goes to the canonical path, which the reference renders
    assert _doc(pkg, "") == "Pkg: see [`pkg.sub`][pkg.sub], [`Thing`][pkg.sub.Thing] and [`pkg`][pkg]."
    assert _doc(pkg, "sub.Thing.method") == (
        "[`Thing`][pkg.sub.Thing] [`Thing`][pkg.sub.Thing] [`shared()`][pkg.base.Mixin.shared]."
    )


def test_inherited_members_private_and_undocumented_targets(pkg: griffe.Module) -> None:
    # an inherited method links to the mixin that defines it; a private function and an attribute without a
    # docstring are not rendered, so they link to the nearest rendered ancestor; a name griffe cannot see (a tuple
    # assignment) but the module exports links to the module
    assert _doc(pkg, "sub.Thing") == (
        "[`Thing.shared()`][pkg.base.Mixin.shared] [`shared()`][pkg.base.Mixin.shared] [`plain`][pkg.sub.Thing] "
        "[`_private()`][pkg.sub] [`Other`][pkg.other.Other] [`A`][pkg.sub]."
    )


def test_titles_no_link_moved_paths_and_unresolvable_names(pkg: griffe.Module) -> None:
    # a path that moved resolves by its tail when the tail is unique; an ambiguous or unknown name is left as an
    # identifier autorefs cannot find, so that the strict build fails on it
    assert _doc(pkg, "sub.helper") == (
        "[`the helper`][pkg.sub.helper] `helper()` [`pkg.old.Thing`][pkg.sub.Thing] [`Dup`][Dup] [`Nowhere`][Nowhere]."
    )


def test_standard_library_and_configured_external_names(pkg: griffe.Module) -> None:
    docs = "https://docs.python.org/3/library/"
    assert _doc(pkg, "sub") == (
        f"Sub: [`Path`]({docs}pathlib.html#pathlib.Path), [`OSError`]({docs}exceptions.html#OSError), "
        f"[`open()`]({docs}functions.html#open), [`csv`]({docs}csv.html#module-csv), "
        f"[`os.path.join()`]({docs}os.path.html#os.path.join),\n"
        f"[`rich.text.Text`]({RICH_TEXT}), [`numpy.ndarray`][numpy.ndarray], ``:class:`Quoted```."
    )


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}(\.[A-Za-z_][A-Za-z0-9_]{0,8}){0,3}", fullmatch=True)


@given(
    role=st.sampled_from(["class", "func", "meth", "mod", "data", "attr", "exc", "obj", "const", "py:class"]),
    target=_NAMES,
    prefix=st.sampled_from(["", "~", "!", "!~"]),
    before=st.text(alphabet=" ab,(", max_size=5),
)
def test_no_role_survives_a_rewrite(role: str, target: str, prefix: str, before: str) -> None:
    extension = _extension()
    resolver = extension.Resolver(griffe.Module("empty"), griffe.ModulesCollection(), {})
    text = f"{before}:{role}:`{prefix}{target}` tail"
    rewritten = resolver.rewrite(text, griffe.Module("empty"))
    assert extension.ROLE.search(rewritten) is None
    assert rewritten.startswith(before)
    assert rewritten.endswith(" tail")


@given(st.text(alphabet="abc :`~.<>!\n", max_size=40))
def test_text_without_roles_is_left_alone(text: str) -> None:
    extension = _extension()
    if extension.ROLE.search(text) is None:
        resolver = extension.Resolver(griffe.Module("empty"), griffe.ModulesCollection(), {})
        assert resolver.rewrite(text, griffe.Module("empty")) == text
