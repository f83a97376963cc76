"""The house plan: packages whose names say what they hold, modules of a readable size, tests that mirror them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "tthc"
LONG = 650  # "about 600 lines" with a little slack; longer needs a reason at the top


def test_no_long_module_without_a_reason_at_its_top() -> None:
    unexplained = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > LONG and "Why one module of this length" not in text[:4000]:
            unexplained.append(f"{path.relative_to(SRC)}: {lines} lines")
    assert unexplained == []


def test_no_flat_family_prefixes_left() -> None:
    """A family is a package, not a name prefix (``validation_*.py``, ``records_*.py`` side by side)."""
    # private modules are no family: _version, and __main__ (`python -m tthc`, the CLI for when it is not on PATH)
    top = sorted(p.stem for p in SRC.glob("*.py") if not p.stem.startswith("_"))
    assert top == ["errors"], top


def test_tests_mirror_the_packages() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    test_dirs = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    # tests/hostile/ holds the bad-input corpus, which attacks every package at once; tests/docs/ checks the built
    # documentation site (its build extensions live in docs/_ext/, not in the package)
    assert test_dirs - {"hostile", "docs"} == packages


def test_no_helper_modules_imported_across_test_folders() -> None:
    """Shared test helpers live in conftest.py files (fixtures) or the public testing kit, not in _helpers modules."""
    helpers = [p.relative_to(ROOT) for p in (ROOT / "tests").rglob("_*.py") if p.name != "__init__.py"]
    assert helpers == []


def test_test_modules_have_unique_names() -> None:
    """pytest imports test modules of folders without ``__init__.py`` by their file name: two with one name clash."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        if (path.parent / "__init__.py").exists():
            continue  # inside a test package: imported by its dotted name
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(ROOT)} and {path.relative_to(ROOT)}")
        seen[path.name] = path
    assert clashes == []
