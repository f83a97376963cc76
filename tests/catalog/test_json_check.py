"""Every line of a portal export is checked for values JSON does not allow (issue 16 item 6): a decode that made no
refused token (NaN, 1e999, an integer beyond 64 bits) has only its containers walked, for their depth; only when
something is found is the value walked with field paths — the same finding, at the same path, as the walk that
carries paths all along (``_locate_problem``)."""

from __future__ import annotations

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
