"""The documentation's examples run: every ``>>>`` example in ``docs/**/*.md`` and ``README.md`` is a doctest, every
other ```` ```python ```` block of ``README.md`` and ``docs/*.md`` compiles, imports what it imports and runs, and the
site's navigation lists every page.

A ```` ```python ```` block that cannot run here (it needs a cluster, a server, the reader's own files or module) says
so on the line just above its fence, in a comment the site does not show::

    <!-- docs-test: not run (a Dask scheduler at tcp://10.0.0.5:8786) -->
    <!-- docs-test: not run (render_receipt_slip is your portal's); your modules: my_portal -->

Such a block is still compiled and its imports still imported (the reader's own modules, named after ``your
modules:``, excepted); the reason is required. There is no other way to leave a block out.
"""

from __future__ import annotations

import ast
import doctest
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [*sorted(p for p in DOCS.rglob("*.md")), ROOT / "README.md"]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_FENCE = re.compile(r"^\s*(```|~~~)")


def _doctest_text(path: Path) -> str:
    # a fence line right after an example's output would be read as more output: blank it (line numbers kept)
    return "\n".join("" if _FENCE.match(line) else line for line in path.read_text(encoding="utf-8").splitlines())


def _examples(path: Path) -> doctest.DocTest:
    name = str(path.relative_to(ROOT))
    return doctest.DocTestParser().get_doctest(_doctest_text(path), {"__name__": "__docs__"}, name, str(path), 0)


WITH_EXAMPLES = [p for p in PAGES if _examples(p).examples]


@pytest.mark.parametrize("path", WITH_EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_run(path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each page's examples run in order, in one namespace, from a scratch directory (they may write files)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TTHC_LANG", raising=False)  # what a reader sees: the default language (Vietnamese)
    test = _examples(path)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []  # doctest swaps sys.stdout while it runs: collect its report here
    result = runner.run(test, out=report.append)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {test.name} failed:\n" + "".join(
        report
    )


# -- ```python blocks that are not doctests ---------------------------------------------------------------------------

CODE_PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]  # not docs/reference (generated), not docs/vi
_BLOCK = re.compile(r"^```python[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_NOT_RUN = re.compile(
    r"<!-- docs-test: not run \((?P<why>[^)]+)\)(?:; your modules: (?P<yours>[\w.]+(?:, [\w.]+)*))? -->"
)
_ANY_MARKER = re.compile(r"<!--\s*docs-test")


class Block:
    """One ```` ```python ```` block of a page: its code, where it starts, and its ``not run`` marker if any."""

    def __init__(self, path: Path, text: str, match: re.Match[str]) -> None:
        self.path = path
        self.code = match.group("code")
        self.line = text.count("\n", 0, match.start()) + 2  # the block's first line of code
        above = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = _NOT_RUN.fullmatch(above.strip())
        if _ANY_MARKER.match(above.strip()) and marker is None:
            raise AssertionError(f"{self.where}: a docs-test marker not in the documented form: {above!r}")
        self.not_run = marker.group("why") if marker else None
        self.yours = frozenset(marker.group("yours").split(", ")) if marker and marker.group("yours") else frozenset()

    @property
    def where(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path
        return f"{shown}:{self.line}"


def _python_blocks(path: Path) -> list[Block]:
    """The page's ```` ```python ```` blocks that are not doctest sessions (those run above)."""
    text = path.read_text(encoding="utf-8")
    blocks = [Block(path, text, m) for m in _BLOCK.finditer(text)]
    return [b for b in blocks if not b.code.lstrip().startswith(">>>")]


BLOCKS = [b for page in CODE_PAGES for b in _python_blocks(page)]


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def _top(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [(node.module or "").split(".")[0]]
    return [alias.name.split(".")[0] for alias in node.names]


def _missing_extra(exc: ImportError) -> str | None:
    """The name of a module outside tthc that is not installed (an optional extra), else None."""
    name = (exc.name or "").split(".")[0]
    return name if name and name != "tthc" and importlib.util.find_spec(name) is None else None


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.where)
def test_python_blocks_compile_import_and_run(
    block: Block, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each block compiles; each of its imports imports the names it names; a block without a ``not run`` marker
    runs as written, in a scratch directory, in the reader's default language."""
    tree = ast.parse(block.code, block.where)  # a SyntaxError names the block (page:line)
    failed: list[str] = []
    extras: list[str] = []
    for node in _imports(tree):
        if block.yours.intersection(_top(node)):
            continue
        line = ast.unparse(node)
        try:
            exec(line, {})  # the page's own import statement
        except ImportError as exc:
            extra = _missing_extra(exc)
            (extras if extra else failed).append(f"{line!r}: {exc}")
    assert failed == [], f"{block.where}: imports that fail as written"
    if block.not_run is not None:
        return
    if extras:
        pytest.skip(f"{block.where}: an optional extra is not installed: {extras}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TTHC_LANG", raising=False)
    exec(compile(tree, block.where, "exec"), {"__name__": "__docs__"})  # the page's own example
    capsys.readouterr()


def test_the_block_check_finds_every_kind_of_block() -> None:
    """The check above sees the blocks it is meant to: runnable ones, marked ones, none a doctest session."""
    assert sum(b.not_run is None for b in BLOCKS) >= 5
    assert sum(b.not_run is not None for b in BLOCKS) >= 4
    assert not any(b.code.lstrip().startswith(">>>") for b in BLOCKS)
    scale = [b for b in BLOCKS if b.path.name == "scale.md" and "tthc_dask" in b.code]
    assert [b.not_run for b in scale] == ["a Dask scheduler at tcp://10.0.0.5:8786"]


def test_a_marker_needs_its_reason_and_sits_above_the_fence(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- docs-test: not run -->\n```python\nx = 1\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not in the documented form"):
        _python_blocks(page)
    page.write_text("<!-- docs-test: not run (why); your modules: a, b.c -->\n```python\nx = 1\n```\n", "utf-8")
    (block,) = _python_blocks(page)
    assert (block.not_run, block.yours) == ("why", frozenset({"a", "b.c"}))
    page.write_text("<!-- docs-test: not run (why) -->\n\n```python\nx = 1\n```\n", encoding="utf-8")
    assert _python_blocks(page)[0].not_run == "why"  # a blank line between: still the line above the fence
    page.write_text("text\n```python\nx = 1\n```\n", encoding="utf-8")
    assert _python_blocks(page)[0].not_run is None


@pytest.mark.parametrize("page", ["index.md", "portal-developers.md", "data-teams.md", "test-authors.md"])
def test_each_user_page_teaches_with_running_examples(page: str) -> None:
    assert len(_examples(DOCS / page).examples) >= 3


def test_readme_has_the_two_commands_and_a_running_tour() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in text
    assert "bash scripts/test.sh" in text
    assert len(_examples(ROOT / "README.md").examples) >= 5


def test_every_page_is_in_the_nav() -> None:
    """mkdocs --strict warns about pages left out of the nav; name them here with a plain message."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [str(p.relative_to(DOCS)) for p in PAGES if p.parent != ROOT and str(p.relative_to(DOCS)) not in nav]
    assert missing == []


@pytest.mark.skipif(
    shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None, reason="mkdocs not installed"
)
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs is not None
    run = subprocess.run(
        [mkdocs, "build", "--strict", "--quiet", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]


# modules that only re-export names documented with the module that defines them
REFERENCE_EXEMPT = frozenset({"tthc.fees"})


def test_every_public_module_is_in_the_api_reference() -> None:
    """A module added to ``src/tthc`` without a ``::: tthc.<module>`` line in ``docs/reference/*.md`` is named here."""
    documented = {
        line.removeprefix(":::").strip()
        for page in (DOCS / "reference").glob("*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith(":::")
    }
    src = ROOT / "src" / "tthc"
    modules = {
        "tthc." + ".".join(p.relative_to(src).with_suffix("").parts)
        for p in src.rglob("*.py")
        if not any(part.startswith("_") for part in p.relative_to(src).parts) and p.relative_to(src).parts[0] != "cli"
    }
    modules |= {"tthc.testing"}
    missing = sorted(modules - documented - REFERENCE_EXEMPT)
    assert missing == [], f"add '::: <module>' for {missing} to a page of docs/reference/ (and its table in index.md)"
