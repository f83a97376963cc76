"""mkdocs hooks of the tthc site: the version in the header, and a check that no Sphinx role reaches a page.

* ``on_config``: the header shows ``tthc <version>``, read from ``src/tthc/_version.py`` at build time (never typed
  by hand; not ``extra.version``, which mkdocs-material reserves for the mike version selector).
* ``on_page_content``: a Sphinx role left in a rendered page (``:class:`` followed by code, as a docstring role
  renders when ``docs/_ext/sphinx_roles.py`` did not rewrite it) is reported as a warning, so ``mkdocs build
  --strict`` fails and CI catches the regression. And code in table cells gets break opportunities (``<wbr>``) after
  ``.``, ``_``, ``/`` and ``::``, so a table of long module paths and test ids wraps at those points instead of
  scrolling sideways (``docs/stylesheets/extra.css``).
"""

from __future__ import annotations

import ast
import importlib.util
import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.tthc")  # under "mkdocs": a warning here makes --strict fail
ROOT = Path(__file__).resolve().parents[2]  # docs/_ext/hooks.py → the repository


def _roles() -> tuple[str, ...]:
    # the roles the griffe extension rewrites, from the extension itself (hooks are loaded by path, not as a package)
    spec = importlib.util.spec_from_file_location("tthc_docs_sphinx_roles", ROOT / "docs" / "_ext" / "sphinx_roles.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    roles: tuple[str, ...] = module.ROLES
    return roles


# a role as it renders: `:class:` then a code span (from backticks) or the backtick itself (inside a code block)
RAW_ROLE = re.compile(r":(?:py:)?(?:" + "|".join(_roles()) + r"):(?:<code>|`)")


def read_version(root: Path) -> str:
    """``__version__`` from ``src/tthc/_version.py`` under ``root``, read without importing the package."""
    tree = ast.parse((root / "src" / "tthc" / "_version.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise ValueError(f"{root / 'src/tthc/_version.py'}: expected __version__ = '<version>', found none")


def raw_roles(html: str) -> list[str]:
    """The Sphinx roles left in a rendered page, with a little context each."""
    return [html[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ") for m in RAW_ROLE.finditer(html)]


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_CODE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)", re.DOTALL)
_TAG = re.compile(r"(<[^>]+>)")
_BREAK_AFTER = re.compile(r"(::|[._/](?=[^\s._/]))")


def break_code_in_tables(html: str) -> str:
    """``html`` with ``<wbr>`` after the separators of code inside tables (text only, never inside a tag)."""

    def code(match: re.Match[str]) -> str:
        parts = _TAG.split(match[2])  # odd items are tags: leave them alone
        text = "".join(p if i % 2 else _BREAK_AFTER.sub(r"\1<wbr>", p) for i, p in enumerate(parts))
        return match[1] + text + match[3]

    return _TABLE.sub(lambda table: _CODE.sub(code, table[0]), html)


def on_config(config: Any, **kwargs: Any) -> Any:
    config.site_name = f"{config.site_name} {read_version(ROOT)}"
    return config


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    for context in raw_roles(html):
        log.warning("%s: a raw Sphinx role is left in the page: …%s…", page.file.src_uri, context)
    return break_code_in_tables(html)
