"""The documentation's examples run: every ``>>>`` example in ``docs/**/*.md`` and ``README.md`` is a doctest, and
the site's navigation lists every page."""

from __future__ import annotations

import doctest
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
