"""`tthc kpi`'s terminal table: ✓ / ✗ marks that survive piping and --no-color, thresholds as applied in the
headings, data escaped, Vietnamese by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 1  # the sample fails criteria 2 and 3 somewhere
    return capsys.readouterr().out


def test_marks_survive_piping_and_no_color(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(["--lang", "en", "--no-color", "kpi", "--sample"], capsys)
    assert "\x1b[" not in out  # captured output is not a terminal, and --no-color: no escape codes at all
    assert out.count("✗") == 5 + 1  # 5 failed figures and the legend's "✗ failed"
    assert out.count("✓") == 13 + 1  # 13 passed figures and the legend's "✓ passed"
    assert "✗ 8.46 %" in out
    assert "38/449" in out


def test_no_color_environment_variable_is_honoured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = _run(["--lang", "en", "kpi", "--sample"], capsys)
    assert "\x1b[" not in out
    assert "✗ 5.06 %" in out


def test_heading_shows_the_threshold_as_applied(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(["--lang", "en", "kpi", "--sample", "--threshold", "bcci_received_share=0.5"], capsys)
    assert "> 50 %" in out
    assert "> 10 %" not in out  # the bundled 10 % is no longer what is applied
    assert out.count("✗") == 6 + 3 + 1  # all six fail criterion 2 at 50 %; criteria 1 and 3 as before; the legend
    out = _run(["--lang", "en", "kpi", "--sample", "--threshold", "bcci_received_share=12.5%"], capsys)
    assert "> 12.5 %" in out


def test_vietnamese_by_default(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TTHC_LANG", raising=False)
    out = _run(["kpi", "--sample"], capsys)
    assert "Tiêu chí" in out
    assert "> 10 %" in out
    assert "✗ 8,46 %" in out
    assert "000.00.22.H48 (Quảng Ngãi)" in out
    assert "Đơn vị" in out


def test_agency_names_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.json"
    names.write_text('{"000.00.22.H48": "[bold red]Sở[/] \\u001b[31mY tế"}', encoding="utf-8")
    out = _run(["--lang", "en", "kpi", "--sample", "--agency-names", str(names)], capsys)
    assert "[bold red]Sở[/]" in out  # shown as typed, never read as markup
    assert "\x1b" not in out  # a control character in the data is shown escaped


def test_min_dossiers_option_defaults_to_the_library_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default lives once, in the library (``tthc.kpi.MIN_DOSSIERS``): the option's default is that constant,
    its help shows the library's value plainly (``default: 30``, not ``(30)``), and the report written without the
    option uses it."""
    from tthc.cli.kpi import command
    from tthc.kpi import MIN_DOSSIERS
    from tthc.kpi.defaults import MIN_DOSSIERS as SHOWN

    option = next(p for p in command.params if p.name == "min_dossiers")
    assert option.default == MIN_DOSSIERS
    assert SHOWN == MIN_DOSSIERS
    assert main(["--lang", "en", "kpi", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())  # unwrapped
    assert f"default: {MIN_DOSSIERS};" in help_text
    assert f"({MIN_DOSSIERS})" not in help_text
    html = tmp_path / "r.html"
    _run(["--lang", "en", "kpi", "--sample", "--html", str(html)], capsys)
    assert f'data-min-dossiers="{MIN_DOSSIERS}"' in html.read_text(encoding="utf-8")
    _run(["--lang", "en", "kpi", "--sample", "--html", str(html), "--min-dossiers", "7"], capsys)
    assert 'data-min-dossiers="7"' in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_piped_table_keeps_every_column(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "90")  # a narrow setting: a file or a pipe has no right edge, nothing may be cut
    out = _run(["--lang", lang, "kpi", "--sample"], capsys)
    rows = [line.rstrip() for line in out.splitlines() if line.startswith(("│", "┃"))]
    assert rows
    assert all(line.endswith(("│", "┃")) for line in rows), "\n".join(rows[:3])
