"""Every command's ``--help`` ends with examples, and every example runs as written (exit 0, or 1 for findings).

The examples are run in-process in a scratch folder holding the files they name (the bundled sample records as
``dossiers.csv``, a quote request as ``quotes.jsonl``, the real national-portal export when it is there), with the
little shell they use: ``VAR=value`` before the command, ``echo '…' |`` and ``< file`` for stdin, ``> file`` for stdout.
"""

from __future__ import annotations

import io
import shlex
import shutil
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tthc.cli._app import COMMANDS, group
from tthc.cli._common import EXIT_FINDINGS, EXIT_OK, examples
from tthc.records.sample import sample_path

# examples that would not end (a server): their options are parsed and checked, the command is not run
NOT_RUN = ("tthc serve --host",)


def _examples(command: click.Command) -> list[str]:
    epilog = command.epilog or ""
    head, _, body = epilog.partition("Examples:\n")
    assert head == "\b\n", f"{command.name}: the epilog is one \\b paragraph of examples, got {epilog!r}"
    return [line.strip() for line in body.splitlines() if line.strip()]


def _all_examples() -> list[pytest.ParameterSet]:
    ctx = click.Context(group)
    commands: list[tuple[str, click.Command | None]] = [("tthc", group)]
    commands += [(name, group.get_command(ctx, name)) for name in group.list_commands(ctx)]
    out = []
    for name, command in commands:
        assert command is not None
        out += [pytest.param(name, line, id=f"{name}-{i}") for i, line in enumerate(_examples(command), 1)]
    return out


def test_every_command_is_named_as_registered_and_has_one_or_two_examples() -> None:
    ctx = click.Context(group)
    assert group.list_commands(ctx) == list(COMMANDS)
    for name in COMMANDS:
        command = group.get_command(ctx, name)
        assert command is not None
        assert command.name == name  # mkdocs-click headings read "tthc due", not "tthc command"
        lines = _examples(command)
        assert 1 <= len(lines) <= 2, (name, lines)
        assert all(f"tthc {name}" in line for line in lines), (name, lines)
    assert group.get_command(ctx, "no-such-command") is None


def test_the_examples_are_shown_by_help_as_typed() -> None:
    result = CliRunner().invoke(group, ["due", "--help"])
    assert result.exit_code == 0
    line = "tthc due --received '20/11/2026 16:30' --processing-time '5 ngày làm việc'"
    assert f"Examples:\n    {line}\n" in result.output


def test_examples_helper_keeps_lines_unwrapped() -> None:
    assert examples("tthc a", "tthc b") == "\b\nExamples:\n  tthc a\n  tthc b"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(sample_path(), tmp_path / "dossiers.csv")
    (tmp_path / "quotes.jsonl").write_text('{"procedure": "2.001417", "channel": "postal"}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> int:
    """Run one example line in-process: env assignments, ``echo … |``, ``< in``, ``> out``."""
    from tthc.cli._app import app

    stdin: bytes | None = None
    if " | tthc " in line:
        feed, _, line = line.partition(" | ")
        words = shlex.split(feed)
        assert words[0] == "echo", feed
        stdin = (" ".join(words[1:]) + "\n").encode("utf-8")
    words = shlex.split(line)
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        monkeypatch.setenv(name, value)
    out_path: Path | None = None
    if ">" in words:
        i = words.index(">")
        out_path = Path(words[i + 1])
        del words[i : i + 2]
    if "<" in words:
        i = words.index("<")
        stdin = Path(words[i + 1]).read_bytes()
        del words[i : i + 2]
    assert words[0] == "tthc", line
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = app(words[1:])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if out_path is not None:
        out_path.write_text(captured.out, encoding="utf-8")
    assert code in (EXIT_OK, EXIT_FINDINGS), f"{line!r} exited {code}: {captured.err}"
    return code


@pytest.mark.parametrize(("name", "line"), _all_examples())
def test_every_example_runs(
    name: str,
    line: str,
    scratch: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "portal_national_2642.jsonl.gz" in line:  # the real export (skipped with a reason when it is absent)
        real_data: Path = request.getfixturevalue("real_data")
        (scratch / "portal_national_2642.jsonl.gz").symlink_to(real_data / "portal_national_2642.jsonl.gz")
    words = [w for w in shlex.split(line) if not (w[0].isupper() and "=" in w)]  # without VAR=value
    if " ".join(words).startswith(NOT_RUN):
        command = group.get_command(click.Context(group), words[1])
        assert command is not None
        command.make_context(words[1], words[2:])  # the options parse and convert
        return
    _run(line, monkeypatch, capsys)
    if "--out catalog.json" in line:
        assert (scratch / "catalog.json").stat().st_size > 0
