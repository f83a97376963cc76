"""The public namespace: listed once (``src/tthc/__init__.pyi``), loaded lazily, every name resolved and documented."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import tthc

ROOT = Path(__file__).resolve().parent.parent
STUB = ROOT / "src" / "tthc" / "__init__.pyi"


def _stub_names() -> dict[str, str]:
    """public name -> module named for it in the stub."""
    out: dict[str, str] = {}
    for node in ast.parse(STUB.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                out[alias.asname or alias.name] = "tthc." + (node.module or "")
    return out


def test_all_is_exactly_the_stub() -> None:
    assert sorted(tthc.__all__) == sorted(_stub_names())
    assert sorted(dir(tthc)) == sorted(tthc.__all__)


def test_every_public_name_resolves_to_the_module_the_stub_names() -> None:
    for name, module in _stub_names().items():
        value = getattr(tthc, name)
        assert value is not None, name
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__ == module, f"{name}: the stub says {module}, it is defined in {value.__module__}"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        tthc.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_every_public_name_is_documented() -> None:
    """Each name has a docstring, and its module is rendered on a page of the API reference."""
    documented = {
        line.removeprefix(":::").strip()
        for page in (ROOT / "docs" / "reference").glob("*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith(":::")
    }
    undocumented = []
    for name, module in _stub_names().items():
        value = getattr(tthc, name)
        if name == "__version__":
            continue
        if module not in documented:
            undocumented.append(f"{name}: module {module} is on no reference page")
        if (inspect.isclass(value) or inspect.isfunction(value)) and not (value.__doc__ or "").strip():
            undocumented.append(f"{name}: no docstring")
    assert undocumented == []


def test_import_tthc_imports_no_extra() -> None:
    """Design principle 7: importing tthc never imports an extra (nor numpy until needed)."""
    code = (
        "import sys, tthc; tthc.ProcedureCode('1.000178');"
        "bad=[m for m in ('click','rich','pyarrow','hypothesis','pytest','pandas','dask') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
