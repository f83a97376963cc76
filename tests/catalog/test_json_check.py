"""Every line of a portal export is checked for values JSON does not allow (issue 16 item 6): a decode that made no
refused token (NaN, 1e999, an integer beyond 64 bits) has only its containers walked, for their depth; only when
something is found is the value walked with field paths — the same finding, at the same path, as the walk that
carries paths all along (``_locate_problem``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc.foundation.data_files import _DECODER, MAX_JSON_DEPTH, _check_values, _locate_problem, try_parse_json

_BAD = st.sampled_from(["NaN", "-Infinity", "1e999", str(2**63), "9" * 25])
_LEAF = st.one_of(st.text(max_size=3).map(lambda s: f'"{s.encode().hex()}"'), st.integers(-9, 9).map(str), _BAD)
_DOC = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3).map(
            lambda d: "{" + ",".join(f'"{k}":{v}' for k, v in d.items()) + "}"
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(_DOC, st.integers(0, MAX_JSON_DEPTH + 2))
def test_the_fast_check_finds_what_the_path_walk_finds(doc: str, depth: int) -> None:
    text = '{"x":' * depth + doc + "}" * depth
    value, problem = try_parse_json(text)
    walked = _locate_problem(_parse_raw(text))
    assert problem == walked
    assert (value is None) == (walked is not None)


def _parse_raw(text: str) -> object:
    return _DECODER.decode(text)  # the library's decoder, without the check


def test_the_first_problem_is_named_by_its_path() -> None:
    assert str(try_parse_json('{"a": [1, {"b": NaN}], "c": 1e999}')[1]) == (  # the problem in English
        "c: expected a finite number (NaN and Infinity are not JSON), got 1e999"
    )
    assert str(try_parse_json('{"a": [1, {"b": NaN}]}')[1]) == (
        "a[1].b: expected a finite number (NaN and Infinity are not JSON), got NaN"
    )
    nested = "[" * MAX_JSON_DEPTH + "[]" + "]" * MAX_JSON_DEPTH  # one level over the bound
    problem = str(try_parse_json(nested)[1])
    assert problem.startswith("[0][0]")
    assert problem.endswith("levels, got deeper")
    assert _check_values(_parse_raw("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH), refused=False) is None  # at the bound


@pytest.mark.parametrize("opening", ["[", '{"k":', '[{"k":'])
def test_the_container_walk_stops_at_the_bound_on_both_sides(opening: str) -> None:
    closing = {"[": "]", '{"k":': "}", '[{"k":': "}]"}[opening]
    for levels in range(1, MAX_JSON_DEPTH + 3):
        text = opening * levels + '"leaf"' + closing * levels
        if len(opening) > 5:  # two containers a step
            levels *= 2
        value = _parse_raw(text)
        expected = _locate_problem(value)
        assert (expected is not None) == (levels > MAX_JSON_DEPTH)
        assert _check_values(value, refused=False) == expected
        assert try_parse_json(text)[1] == expected


def test_deep_containers_among_leaves_are_walked() -> None:
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    text = '{"a": "x", "b": 1, "c": [2, "y", {"d": ' + deep + '}], "e": null}'
    problem = try_parse_json(text)[1]
    assert problem is not None
    assert str(problem).startswith("c[2].d")


def test_a_refused_token_overwritten_by_a_repeated_key_is_no_finding() -> None:
    # the decoder made a refused token (the check then walks) but the value does not hold it
    assert try_parse_json('{"a": NaN, "a": 1}') == ({"a": 1}, None)
    assert try_parse_json('{"a": 1e999, "b": [1], "a": "x"}') == ({"a": "x", "b": [1]}, None)


_SURROGATE_LINES = [
    '{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Cấp giấy phép", "cach_thuc_thuc_hien": "Trực tiếp 5 ngày làm việc"}',
    # valid JSON syntax (RFC 8259 allows any \\uXXXX escape) that is not Unicode text: a lone high surrogate
    '{"ma_thu_tuc": "1.000002", "ten_thu_tuc": "Cấp \\ud800 phép", "cach_thuc_thuc_hien": "Trực tiếp 5 ngày làm việc"}',
    # a pair (an emoji, U+1F600) is text, escaped or not, upper or lower case
    '{"ma_thu_tuc": "1.000003", "ten_thu_tuc": "Cấp \\uD83D\\uDE00 phép", "cach_thuc_thuc_hien": "Trực tiếp 5 ngày"}',
]


@pytest.mark.parametrize("out", ["c.json", "c.jsonl", "--json", "api"])
def test_a_lone_surrogate_in_an_export_is_that_records_finding_not_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    """A portal export line whose text holds a lone surrogate escape (``"\\ud800"``: a broken UTF-16 export) was
    imported into a procedure's name, and the import then died writing anything (``Catalog.dump``: a bare
    ``UnicodeEncodeError``): ``tthc import-portal --out`` / ``--json`` said "internal error" and wrote none of the
    good records. Expected: that line's finding (exit 1), the other records written — the emoji's pair too."""
    from tthc.catalog.collection import import_portal_files
    from tthc.cli import main

    export = tmp_path / "e.jsonl"
    export.write_text("\n".join(_SURROGATE_LINES) + "\n", encoding="utf-8")
    if out == "api":
        result = import_portal_files([export])
        assert [p.code for p in result.catalog] == ["1.000001", "1.000003"]
        failed = result.report.failed
        assert [(r.row, [i.reason for i in r.issues]) for r in failed] == [
            (2, ["JSON: expected text, got a lone surrogate escape (\\ud800-\\udfff)"])
        ]
        result.catalog.dump(tmp_path / "c.json")
        return
    monkeypatch.chdir(tmp_path)
    args = ["--json"] if out == "--json" else ["--out", out]
    code = main(["--lang", "en", "import-portal", str(export), *args])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err + captured.out
    assert code == 1
    if out != "--json":
        written = (tmp_path / out).read_text(encoding="utf-8")
        assert ("1.000001" in written, "1.000002" in written, "1.000003" in written) == (True, False, True)
