"""The CLI's error contract: one line on stderr or one JSON object under --json, exit 2, never a traceback."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.cli import _app
from tthc.cli._app import _wants_json, app
from tthc.cli._common import check_encoding, data_text, error_payload, terminal_text
from tthc.errors import DataFileError, InvalidValueError


def test_the_json_error_object_of_an_invalid_value() -> None:
    exc = InvalidValueError("--as-of", "a date and time", "yesterday")
    assert error_payload(exc, kind="input") == {
        "error": {
            "kind": "input",
            "field": "--as-of",
            "expected": "a date and time",
            "given": "yesterday",
            "message": "--as-of: expected a date and time, got 'yesterday'",
        }
    }


@pytest.mark.parametrize(
    ("given", "shown"),
    [(5, 5), (10**40, 10**40), (1.5, 1.5), (math.nan, "nan"), (math.inf, "inf"), (None, None), (b"\x00", "b'\\x00'")],
)
def test_given_is_always_plain_json(given: object, shown: object) -> None:
    payload = error_payload(InvalidValueError("x", "y", given), kind="input")
    assert payload["error"]["given"] == shown  # type: ignore[index]
    json.loads(json.dumps(payload, allow_nan=False))


def test_other_errors_have_a_message_and_null_fields() -> None:
    payload = error_payload(DataFileError("c.json: expected JSON\nline 2"), kind="input")
    assert payload["error"] == {
        "kind": "input",
        "field": None,
        "expected": None,
        "given": None,
        "message": "c.json: expected JSON\\nline 2",
    }


def test_a_usage_error_names_the_option() -> None:
    exc = click.BadParameter("not a date", param_hint="'--on'")
    assert error_payload(exc, kind="usage")["error"]["field"] == "'--on'"  # type: ignore[index]


def test_json_is_wanted_only_before_a_double_dash() -> None:
    assert _wants_json(["validate", "x.csv", "--json"])
    assert not _wants_json(["validate", "--", "--json"])
    assert not _wants_json(["validate", "x.csv"])


def test_a_usage_error_is_one_line_with_the_command_and_help_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["validate", "--nope"]) == 2
    err = capsys.readouterr().err
    assert err == "tthc: validate: No such option '--nope'. (see 'tthc validate --help')\n"


def test_help_and_version_still_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert app(["--help"]) == 0
    assert app(["validate", "--help"]) == 0
    assert app(["--version"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_broken_pipe_exits_quietly(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(*args: object, **kwargs: object) -> object:
        raise BrokenPipeError

    monkeypatch.setattr(_app.group, "main", closed)
    assert app(["schema"]) == 2
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipes as on Linux")
@pytest.mark.parametrize("json_output", [False, True])
def test_a_real_closed_stdout_exits_quietly_with_2_not_the_findings_code(tmp_path: Path, json_output: bool) -> None:
    """``tthc validate --sample | head -1``: the reader has gone before the summary is written. The simulated
    ``BrokenPipeError`` above never reaches ``_run`` through a real pipe: rich's console and click's ``echo`` end the
    program themselves with exit 1 — the "findings" code, for a sample without findings (``set -o pipefail``
    scripts read invalid rows). Expected: the quiet exit 2, nothing on stderr."""
    read, write = os.pipe()
    os.close(read)  # the reader left before anything was written
    args = ["--lang", "en", "validate", "--sample", *(["--json"] if json_output else [])]
    env = {k: v for k, v in os.environ.items() if k != "TTHC_LANG"}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from tthc.cli import main; sys.exit(main())", *args],
            cwd=tmp_path, env=env, stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (2, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(("lang", "json_output"), [("en", False), ("en", True), ("vi", False)])
def test_a_full_stdout_is_one_line_on_stderr_not_an_internal_error(lang: str, json_output: bool) -> None:
    """``tthc validate --sample > /dev/full`` (a full disk under a redirected stdout) said "internal error ...
    please report"; with ``--json`` the error object itself went to the full stdout and a traceback followed.
    Expected: one line on stderr naming stdout, in the run's language, exit 2."""
    args = ["--lang", lang, "validate", "--sample", *(["--json"] if json_output else [])]
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from tthc.cli import main; sys.exit(main())", *args],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    expected = {
        "en": "tthc: stdout: expected a device with free space, got '<stdout>' (no space left on the device; free",
        "vi": "tthc: stdout: cần một thiết bị còn chỗ trống, nhận được '<stdout>' (thiết bị đã hết chỗ;",
    }[lang]
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(expected), proc.stderr


def test_a_bug_in_a_command_is_exit_2_not_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(_app.group, "main", bug)
    assert app(["schema"]) == 2
    assert capsys.readouterr().err == "tthc: internal error: ZeroDivisionError: division by zero — please report\n"


def test_the_entry_point_survives_a_broken_installation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from tthc.cli import main

    monkeypatch.setitem(sys.modules, "tthc.cli._app", None)  # importing it now raises ImportError
    assert main(["--version"]) == 2
    assert "pip install 'tthc[cli]'" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["utf-8", "UTF8", "utf-8-sig", "cp1258", "utf-16", "utf-32", "latin-1", None])
def test_known_text_encodings_pass(name: str | None) -> None:
    assert check_encoding(None, None, name) == name


@pytest.mark.parametrize("name", ["nope", "hex", "base64", "rot13", "zlib", "undefined", "", "utf-8\0"])
def test_unknown_or_non_text_encodings_are_refused(name: str) -> None:
    with pytest.raises(InvalidValueError, match=r"^--encoding: expected a text encoding Python knows"):
        check_encoding(None, None, name)


def _rendered(*renderables: object) -> str:
    from rich.console import Console

    console = Console(width=10_000, color_system=None, highlight=False, soft_wrap=True)
    with console.capture() as cap:
        console.print(*renderables, end="")
    return cap.get()


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ("[/]", "[/]"),  # before: a rich MarkupError traceback
        ("[bold]x[/bold]", "[bold]x[/bold]"),
        ("[open] x", "[open] x"),  # before: silently dropped as an unknown style
        ("a\x1b[2Jb", "a\\x1b[2Jb"),  # ESC would reach the terminal and clear it
        ("line\nbreak", "line\\x0abreak"),
        ("\x9b31m", "\\x9b31m"),
        ("ends with a backslash\\", "ends with a backslash\\"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_data_is_printed_as_typed(data: str, shown: str) -> None:
    assert _rendered(data_text(data, style="red")) == shown


def test_terminal_text_keeps_composed_lines_only_when_asked() -> None:
    assert terminal_text("a\nb\x07") == "a\\x0ab\\x07"
    assert terminal_text("a\nb\x07", keep_newlines=True) == "a\nb\\x07"


@given(st.lists(st.text(), min_size=1, max_size=3))
def test_printed_data_renders_exactly_as_escaped_text(lines: list[str]) -> None:
    """Whatever the data, rich prints the characters of terminal_text(data): no markup is consumed, no error."""
    assert _rendered(data_text(*lines, style="dim")) == "\n".join(terminal_text(line) for line in lines)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.json", '{"procedures": [1,,]}'),  # a tthc catalog with a JSON error (was: an empty portal export)
        ("portal-export.jsonl", "not json\n{also not\n"),  # a portal export none of whose lines is a procedure
    ],
)
def test_a_catalog_with_no_procedure_is_an_error_not_every_row_unknown(
    tmp_path: Path, name: str, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli import main
    from tthc.records.sample import sample_path

    catalog = tmp_path / name
    catalog.write_text(content, encoding="utf-8")
    assert main(["--lang", "en", "validate", "--catalog", str(catalog), str(sample_path())]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.startswith(f"tthc: {catalog}: ")
    assert err.count("\n") == 1
    assert "E_UNKNOWN_PROCEDURE" not in out
