"""Output files: atomic writes, refusing to overwrite inputs, CSV-injection-safe cells (issue 11, item 1 and 8)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.errors import InvalidValueError, OutputFileError, TthcError
from tthc.foundation import output_files
from tthc.foundation.output_files import atomic_output, refuse_overwriting_inputs, safe_csv_cell

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- atomic_output: hostile cases first ---------------------------------------------------------------------------


def test_an_error_midway_keeps_the_older_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("older report\n", encoding="utf-8")

    def write_half_then_fail() -> None:
        with atomic_output(target) as fh:
            fh.write("half a rep")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_half_then_fail()
    assert target.read_text(encoding="utf-8") == "older report\n"
    assert leftovers(tmp_path) == []


def test_an_interrupt_midway_leaves_no_file_at_all_when_there_was_none(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"

    def write_then_interrupt() -> None:
        with atomic_output(target) as fh:
            fh.write("x" * 100_000)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_then_interrupt()
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_the_target_does_not_exist_until_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    with atomic_output(target) as fh:
        fh.write("{}")
        fh.flush()
        assert not target.exists()
        assert len(leftovers(tmp_path)) == 1
    assert target.read_text(encoding="utf-8") == "{}"
    assert leftovers(tmp_path) == []


def test_missing_folder_names_the_field_path_and_what_to_do(tmp_path: Path) -> None:
    target = tmp_path / "nodir" / "x.csv"
    with pytest.raises(OutputFileError) as info, atomic_output(target, field="--report"):
        pytest.fail("the body must not run")  # pragma: no cover
    err = info.value
    assert isinstance(err, InvalidValueError)
    assert isinstance(err, TthcError)
    assert err.field == "--report"
    assert err.given == str(target)
    assert str(err).startswith("--report: expected a path in an existing folder, got ")
    assert "create it first" in str(err)


def test_a_folder_that_exists_but_takes_no_new_file_is_not_called_missing() -> None:
    # /proc exists, yet creating a file in it fails with ENOENT: the folder must not be said to be missing
    if not Path("/proc/self").is_dir():  # pragma: no cover - Linux only
        pytest.skip("/proc is Linux only")
    with pytest.raises(OutputFileError) as info, atomic_output("/proc/tthc-report.json", field="--report"):
        pytest.fail("the body must not run")  # pragma: no cover
    said = str(info.value)
    assert said.startswith("--report: expected a folder that takes new files, got '/proc/tthc-report.json'")
    assert "does not exist" not in said
    assert "/proc" in said.split("(", 1)[1]  # the hint names the folder


def test_no_space_left_on_dev_full_is_one_clear_error() -> None:
    if not Path("/dev/full").exists():  # pragma: no cover - Linux only
        pytest.skip("/dev/full is Linux only")
    with pytest.raises(OutputFileError) as info, atomic_output("/dev/full", field="--html") as fh:
        fh.write("<html>" * 10)
    assert str(info.value).startswith("--html: expected a device with free space, got '/dev/full'")
    assert "write elsewhere" in str(info.value)
    # the device node is written directly, never replaced by a regular file (we may be root here)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_no_space_left_while_renaming_a_regular_file_keeps_the_older_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "catalog.json"
    target.write_text("older", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError, match="no space left"), atomic_output(target) as fh:
        fh.write("newer")
    assert target.read_text(encoding="utf-8") == "older"
    assert leftovers(tmp_path) == []


def test_permission_denied_is_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(args[0]))

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(OutputFileError, match="permission denied"), atomic_output(tmp_path / "x.csv", field="--out"):
        pytest.fail("the body must not run")  # pragma: no cover


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root may write anywhere")
def test_permission_denied_on_a_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputFileError, match="permission denied"), atomic_output(folder / "x.csv"):
            pass
    finally:
        folder.chmod(0o700)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="expected a file path, not a folder"), atomic_output(tmp_path):
        pass


def test_a_nul_in_the_path_is_an_error_not_a_valueerror(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="without NUL"), atomic_output(f"{tmp_path}/a\0b.csv"):
        pass


def test_the_callers_own_oserror_passes_through_unchanged(tmp_path: Path) -> None:
    """An input that vanishes while the report is written is the caller's error, not an output error."""
    target = tmp_path / "r.csv"
    with pytest.raises(FileNotFoundError), atomic_output(target):
        (tmp_path / "missing-input.csv").read_text()
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_a_symlink_target_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_output(link) as fh:
        fh.write("new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_the_mode_of_the_replaced_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_output(target) as fh:
        fh.write("new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_read_only_target_is_refused_not_renamed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.csv"
    target.write_text("keep me", encoding="utf-8")
    target.chmod(0o444)
    real_access = os.access
    # simulated for root, who may write anything: the check must be asked, and its answer obeyed
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    with pytest.raises(OutputFileError, match="permission denied"), atomic_output(target):
        pass
    assert target.read_text(encoding="utf-8") == "keep me"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="only root may give a file to another owner")
def test_root_keeps_the_owner_of_the_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "theirs.csv"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 4321, 4321)
    with atomic_output(target) as fh:
        fh.write("new")
    st = target.stat()
    assert (st.st_uid, st.st_gid) == (4321, 4321)


def test_a_new_file_gets_the_usual_umask_permissions_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_output(tmp_path / "new.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_devices_are_written_directly() -> None:
    with atomic_output(os.devnull) as fh:
        fh.write("discarded")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_binary_mode_and_newline_option(tmp_path: Path) -> None:
    with atomic_output(tmp_path / "b.bin", "wb") as fb:
        fb.write(b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    with atomic_output(tmp_path / "c.csv", newline="") as fh:
        csv.writer(fh).writerow(["a", "b"])
    assert (tmp_path / "c.csv").read_bytes() == b"a,b\r\n"


def test_only_write_modes() -> None:
    with pytest.raises(InvalidValueError, match="mode: expected 'w' or 'wb', got 'a'"):  # noqa: SIM117
        with atomic_output("x", "a"):  # type: ignore[arg-type]
            pass


# --- refuse_overwriting_inputs ------------------------------------------------------------------------------------


@pytest.fixture
def an_input(tmp_path: Path) -> Path:
    p = tmp_path / "records.csv"
    p.write_text("dossier_code\n", encoding="utf-8")
    return p


def test_the_same_path_is_refused(an_input: Path) -> None:
    with pytest.raises(OutputFileError) as info:
        refuse_overwriting_inputs({"--report": an_input}, [("FILES", an_input)])
    msg = str(info.value)
    assert msg.startswith(f"--report: expected a file that is not one of the inputs, got '{an_input}'")
    assert f"it is the input {an_input} (FILES)" in msg


def test_a_different_spelling_of_the_same_path_is_refused(an_input: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(an_input.parent)
    (an_input.parent / "sub").mkdir()
    with pytest.raises(OutputFileError):
        refuse_overwriting_inputs({"--report": "./sub/../records.csv"}, [("FILES", an_input)])


def test_a_symlink_to_an_input_is_refused(tmp_path: Path, an_input: Path) -> None:
    link = tmp_path / "report.csv"
    link.symlink_to(an_input)
    with pytest.raises(OutputFileError, match="--report"):
        refuse_overwriting_inputs({"--report": link}, [("FILES", an_input)])


def test_a_hard_link_to_an_input_is_refused(tmp_path: Path, an_input: Path) -> None:
    hard = tmp_path / "hard.csv"
    os.link(an_input, hard)
    with pytest.raises(OutputFileError, match="--catalog"):
        refuse_overwriting_inputs({"--out": hard}, [("FILES", tmp_path / "other.csv"), ("--catalog", an_input)])


def test_other_files_new_files_and_none_pass(tmp_path: Path, an_input: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("", encoding="utf-8")
    refuse_overwriting_inputs(
        {"--report": other, "--html": tmp_path / "new.html", "--out": None},
        [("FILES", an_input), ("--catalog", None), ("--mapping", tmp_path / "absent.json")],
    )


def test_character_devices_are_never_refused() -> None:
    refuse_overwriting_inputs({"--report": os.devnull}, [("FILES", os.devnull)])


def test_two_outputs_naming_one_file_are_refused(tmp_path: Path, an_input: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("", encoding="utf-8")
    with pytest.raises(OutputFileError, match="it is the output of --report"):
        refuse_overwriting_inputs({"--report": out, "--html": out}, [("FILES", an_input)])


# --- safe_csv_cell -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\0x", "-", "+", "-5 ",
     "-1e3", "- 5", "=", "-5+cmd|' /C calc'!A0"],
)  # fmt: skip
def test_formula_starts_get_a_single_quote(given: str) -> None:
    assert safe_csv_cell(given) == "'" + given


@pytest.mark.parametrize("given", ["-5", "+12", "-1.5", "-1,5", "-.5", "5", "0", "-0"])
def test_plain_signed_numbers_stay_numbers(given: str) -> None:
    assert safe_csv_cell(given) == given


@pytest.mark.parametrize("given", ["", "a=1", " =1", "'=1", "1-2", "x@y", "Hà Nội", "1.000178"])
def test_harmless_text_is_unchanged(given: str) -> None:
    assert safe_csv_cell(given) == given


@pytest.mark.parametrize("given", [-5, 3, -1.5, None])
def test_non_text_values_are_unchanged(given: object) -> None:
    assert safe_csv_cell(given) is given


@given(st.text())
def test_no_cell_can_start_a_formula_and_the_value_is_recoverable(text: str) -> None:
    cell = safe_csv_cell(text)
    assert isinstance(cell, str)
    if cell != text:
        assert cell == "'" + text
    else:
        numeric = output_files._PLAIN_NUMBER.fullmatch(text) is not None
        assert numeric or not text.startswith(("=", "+", "-", "@", "\t", "\r", "\0"))


# --- the validation report writer uses both -----------------------------------------------------------------------


def _problem(value: str | None, message: str = "bad") -> object:
    from tthc.records.chunks import RowProblem

    return RowProblem("=evil.csv", 2, "@field", "E_SCHEMA", message, value)


def test_finding_writer_csv_cells_are_neutralised(tmp_path: Path) -> None:
    from tthc.validation.run import FindingWriter

    path = tmp_path / "report.csv"
    with FindingWriter(path) as w:
        w.write([_problem("=cmd|' /C calc'!A0", "-1+2"), _problem("-5")])  # type: ignore[list-item]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[1] == ["'=evil.csv", "2", "'@field", "E_SCHEMA", "error", "'-1+2", "'=cmd|' /C calc'!A0"]
    assert rows[2][-1] == "-5"  # a plain negative number stays a number


def test_finding_writer_json_keeps_values_as_read(tmp_path: Path) -> None:
    from tthc.validation.run import FindingWriter

    path = tmp_path / "report.json"
    with FindingWriter(path) as w:
        w.write([_problem("=1+1")])  # type: ignore[list-item]
    assert json.loads(path.read_text(encoding="utf-8"))[0]["value"] == "=1+1"


def test_finding_writer_aborted_keeps_the_older_report(tmp_path: Path) -> None:
    from tthc.validation.run import FindingWriter

    path = tmp_path / "report.jsonl"
    path.write_text("older\n", encoding="utf-8")

    def write_then_fail() -> None:
        with FindingWriter(path) as w:
            w.write([_problem("x")])  # type: ignore[list-item]
            raise RuntimeError("reader failed")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert path.read_text(encoding="utf-8") == "older\n"
    assert leftovers(tmp_path) == []


def test_finding_writer_close_after_abort_does_nothing(tmp_path: Path) -> None:
    from tthc.validation.run import FindingWriter

    path = tmp_path / "report.json"
    w = FindingWriter(path)
    w.write([_problem("x")])  # type: ignore[list-item]
    w.abort()
    w.close()
    assert not path.exists()
    assert leftovers(tmp_path) == []


def test_finding_writer_missing_folder_names_the_field(tmp_path: Path) -> None:
    from tthc.validation.run import FindingWriter

    with pytest.raises(OutputFileError, match=r"^--report: expected a path in an existing folder"):
        FindingWriter(tmp_path / "nodir" / "r.csv", field="--report")


def test_catalog_dump_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tthc.catalog.collection import Catalog

    target = tmp_path / "catalog.json"
    target.write_text("older", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError, match=r"^path: expected a device with free space"):
        Catalog.sample().dump(target)
    assert target.read_text(encoding="utf-8") == "older"
    monkeypatch.undo()
    Catalog.sample().dump(target)
    assert len(Catalog.load(target)) == len(Catalog.sample())
