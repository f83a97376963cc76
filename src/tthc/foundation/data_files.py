"""Access to the bundled, cited data files in ``tthc/data/``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tthc.errors import DataFileError

__all__ = ["bundled_path", "load_json", "read_json_file", "validate_data"]

M = TypeVar("M", bound=BaseModel)


def bundled_path(name: str) -> Path:
    """The path of a bundled data file (``tthc/data/<name>``)."""
    return Path(str(resources.files("tthc") / "data" / name))


@cache
def load_json(name: str) -> Any:
    """Load a bundled JSON data file (cached: bundled files do not change while the process runs).

    Callers must not mutate the result.
    """
    return read_json_file(bundled_path(name))


def read_json_file(path: str | Path) -> Any:
    """Read a JSON file, raising :class:`DataFileError` that names the file on any failure."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise DataFileError(f"{p}: data file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{p}: expected UTF-8 text, got undecodable bytes at offset {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{p}: expected JSON, invalid at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def validate_data(model: type[M], raw: object, source: str) -> M:
    """Validate a data file's content against its pydantic model.

    Raises:
        DataFileError: naming the file (``source``), the field path, what was expected and what was given.
    """
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise DataFileError(f"{source}: {where}: {first['msg']} (given {first.get('input')!r})") from None
