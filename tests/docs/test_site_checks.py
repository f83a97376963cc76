"""The checks around the documentation site: no raw Sphinx role and no unresolvable cross-reference gets through a
strict build, the version in the header comes from the package, the docs reference no file outside the repository,
the CLI page covers every command, the documented shell completion works, and the demo echoes pasteable commands."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

from tthc._version import __version__

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HOOKS = DOCS / "_ext" / "hooks.py"
EXTENSION = DOCS / "_ext" / "sphinx_roles.py"
MKDOCS = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
needs_mkdocs = pytest.mark.skipif(MKDOCS is None, reason="mkdocs not installed (extra 'docs')")


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", HOOKS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the hooks, as functions ------------------------------------------------------------------------------------


def test_raw_roles_are_found_as_they_render() -> None:
    hooks = _hooks()
    assert len(hooks.raw_roles("<p>see :class:<code>Catalog</code> and :py:func:<code>x</code></p>")) == 2
    assert len(hooks.raw_roles("<pre>:meth:`Catalog.dump`</pre>")) == 1
    # prose about roles, or a role shown as code, is not a leftover
    assert hooks.raw_roles("<p>the class: <code>Catalog</code>; <code>:class:</code> roles</p>") == []


def test_code_in_tables_gets_break_opportunities_and_nothing_else_changes() -> None:
    hooks = _hooks()
    html = (
        "<p><code>tthc.catalog</code></p><table><tr><td><code>tests/x.py::test_a</code></td>"
        '<td><code><a href="../a.b/#tthc.X">tthc.X</a> | None</code></td></tr></table>'
    )
    assert hooks.break_code_in_tables(html) == (
        "<p><code>tthc.catalog</code></p><table><tr><td><code>tests/<wbr>x.<wbr>py::<wbr>test_<wbr>a</code></td>"
        '<td><code><a href="../a.b/#tthc.X">tthc.<wbr>X</a> | None</code></td></tr></table>'
    )


def test_the_header_version_is_read_from_the_package() -> None:
    assert _hooks().read_version(ROOT) == __version__


def test_a_version_file_without_a_version_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "src" / "tthc").mkdir(parents=True)
    (tmp_path / "src" / "tthc" / "_version.py").write_text("VERSION = '1.0'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected __version__"):
        _hooks().read_version(tmp_path)


# --- a strict build fails on a raw role or an unresolvable target -------------------------------------------------


def _tiny_site(tmp_path: Path, docstring: str, page: str) -> subprocess.CompletedProcess[str]:
    """Build a one-page site documenting a one-class package, with the tthc hooks and griffe extension."""
    (tmp_path / "src" / "tiny").mkdir(parents=True)
    (tmp_path / "src" / "tiny" / "__init__.py").write_text(
        f'"""{docstring}"""\n\n\nclass Thing:\n    """A thing."""\n', encoding="utf-8"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# Tiny\n\n{page}\n\n::: tiny\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(f"""
            site_name: tiny
            hooks: ["{HOOKS}"]
            plugins:
              - mkdocstrings:
                  handlers:
                    python:
                      paths: [src]
                      options:
                        show_if_no_docstring: false
                        extensions: ["{EXTENSION}"]
            """),
        encoding="utf-8",
    )
    assert MKDOCS is not None
    return subprocess.run(
        [MKDOCS, "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@needs_mkdocs
def test_a_resolvable_role_builds_into_a_link(tmp_path: Path) -> None:
    run = _tiny_site(tmp_path, "See :class:`Thing`.", "Plain text.")
    assert run.returncode == 0, run.stderr[-2000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="#tiny.Thing"[^>]*><code>Thing</code></a>', html)
    assert "tiny " + __version__ in html  # the header


@needs_mkdocs
def test_an_unresolvable_role_fails_the_strict_build(tmp_path: Path) -> None:
    run = _tiny_site(tmp_path, "See :class:`Nowhere`.", "Plain text.")
    assert run.returncode != 0
    assert "Nowhere" in run.stderr


@needs_mkdocs
def test_a_raw_role_left_in_a_page_fails_the_strict_build(tmp_path: Path) -> None:
    run = _tiny_site(tmp_path, "See :class:`Thing`.", "A page that writes :class:`Thing` by hand.")
    assert run.returncode != 0
    assert "raw Sphinx role" in run.stderr


# --- no file outside the repository -------------------------------------------------------------------------------

_OUTSIDE = re.compile(r"\.\./shared|/work/|(?<![\w.~-])/(?:home|Users|root|mnt|etc|var|srv|opt)/|\b[A-Za-z]:\\")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_SNIPPET = re.compile(r"--8<--\s+\"([^\"]+)\"")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)  # a URL scheme or an anchor on the same page


def outside_references(path: Path, text: str) -> list[str]:
    """What ``text`` (the content of ``path``) refers to outside the repository: paths and link targets."""
    found = [match[0] for match in _OUTSIDE.finditer(text)]
    for target in _LINK.findall(text):
        if _EXTERNAL.match(target):
            continue
        file = target.split("#", 1)[0]
        if file.startswith("/") or not (path.parent / file).resolve().is_relative_to(ROOT):
            found.append(target)
    for included in _SNIPPET.findall(text):  # pymdownx.snippets resolves from the repository root
        if included.startswith("/") or not (ROOT / included).resolve().is_relative_to(ROOT):
            found.append(included)
    return found


DOC_FILES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "mkdocs.yml"]


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_docs_reference_no_file_outside_the_repository(path: Path) -> None:
    assert outside_references(path, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        "the letters in `../shared/seeds/`",
        "[domain](../../shared/domain.md)",
        "[seed](../../../x.txt)",
        "see /work/shared/seeds/README.md",
        "[passwd](/etc/passwd)",
        '--8<-- "../outside.md"',
        '--8<-- "/etc/hosts"',
        r"C:\Users\me\tthc",
    ],
)
def test_an_outside_reference_is_caught(text: str) -> None:
    assert outside_references(DOCS / "index.md", text) != []


@pytest.mark.parametrize(
    "text",
    ["[cli](cli.md#tthc-due)", "[up](../README.md)", "[web](https://docs.python.org/3/)", "[top](#a)", "1/2/3"],
)
def test_an_inside_reference_passes(text: str) -> None:
    assert outside_references(DOCS / "index.md", text) == []


# --- the pages' text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_text_is_nfc(path: Path) -> None:
    """Vietnamese letters as one code point each (NFC), as search, copy-paste and the portals expect."""
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


# --- the CLI page -------------------------------------------------------------------------------------------------


def test_the_cli_page_documents_every_command() -> None:
    """One directive on the root group: mkdocs-click walks its commands, each named as registered (headings read
    "tthc due"), so a new command appears on the page by itself."""
    click = pytest.importorskip("click", reason="the cli extra is not installed")
    from tthc.cli._app import COMMANDS, group

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    directives = re.findall(r"::: mkdocs-click\n((?:[ ]{4}:\w+: .+\n)+)", text)
    assert directives == ["    :module: tthc.cli._app\n    :command: group\n    :prog_name: tthc\n    :depth: 1\n"]
    ctx = click.Context(group)
    assert [getattr(group.get_command(ctx, name), "name", None) for name in group.list_commands(ctx)] == list(COMMANDS)


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o"), ("zsh", "#compdef tthc"), ("fish", "complete")])
def test_the_documented_shell_completion_works(shell: str, marker: str) -> None:
    pytest.importorskip("click", reason="the cli extra is not installed")
    assert f"_TTHC_COMPLETE={shell}_source tthc" in (DOCS / "cli.md").read_text(encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from tthc.cli import main; sys.exit(main())"],
        env={**os.environ, "_TTHC_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "_tthc_completion" in run.stdout
    assert marker in run.stdout


# --- the demo echoes what can be pasted back ----------------------------------------------------------------------

WORDS = ["tthc", "2026-02-13", "", "2026-02-13 16:30", "5 ngày làm việc", "it's", '"q"', "$HOME", "*", "a\\b", "x\ny"]


def test_the_demo_quotes_each_word_so_that_the_shell_reads_it_back() -> None:
    script = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    helper = re.search(r"^quote\(\) \{\n.*?^\}\n", script, re.DOTALL | re.MULTILINE)
    assert helper is not None, "scripts/demo.sh: expected a quote() helper"
    program = helper[0] + 'for w in "$@"; do q=$(quote "$w"); printf "%s\\0" "$q"; eval "printf \'%s\\0\' $q"; done'
    run = subprocess.run(["bash", "-c", program, "demo", *WORDS], capture_output=True, text=True, check=True)
    fields = run.stdout.split("\0")[:-1]
    quoted, read_back = fields[0::2], fields[1::2]
    assert read_back == WORDS
    assert quoted[:2] == ["tthc", "2026-02-13"]  # plain words stay bare
    assert quoted[3] == "'2026-02-13 16:30'"
