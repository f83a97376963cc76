"""Helpers shared by the CLI commands: JSON output and exit codes."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import click

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "ISO_DATE", "echo_json", "to_jsonable"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])
"""A ``YYYY-MM-DD`` option; click names the option and the expected format when the value is wrong."""


def to_jsonable(value: Any) -> Any:
    """Plain JSON types from the library's values (dates as ISO text, enums as values, Decimal as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))
