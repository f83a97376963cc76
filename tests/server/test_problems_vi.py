"""Service problems in Vietnamese (issue 14): every pydantic error type the service can meet is worded, and a data
file error from an upload keeps its words (naming the client's file, never the server's path)."""

from __future__ import annotations

import re
import typing

import pytest
from fastapi.testclient import TestClient
from pydantic_core import PydanticKnownError
from pydantic_core.core_schema import ErrorType

from tthc.server.problems import problem_from_validation

_HEADER_VI = (
    "r.csv: dòng tiêu đề: thiếu (các) cột bắt buộc dossier_code, procedure_code, agency_code, channel, received_at "
    "(cần tên chuẩn hoặc tên trên cổng dịch vụ công, ví dụ 'dossier_code' hoặc 'MaHoSo'); nhận được ['a', 'b']"
)
_HEADER_EN = (
    "r.csv: header: missing required column(s) dossier_code, procedure_code, agency_code, channel, received_at "
    "(expected the canonical names or their portal names, e.g. 'dossier_code' or 'MaHoSo'); got ['a', 'b']"
)


def test_a_data_file_error_from_an_upload_is_worded(client: TestClient) -> None:
    def post(lang: str) -> dict[str, object]:
        files = {"file": ("../secret/r.csv", b"a,b\n1,2\n", "text/csv")}
        r = client.post(f"/v1/records/validate?lang={lang}", files=files)
        assert r.status_code == 422, r.text
        assert "tthc-upload" not in r.text
        body: dict[str, object] = r.json()
        return body

    vi, en = post("vi"), post("en")
    assert (vi["detail"], vi["title"]) == (_HEADER_VI, "Dữ liệu không nhất quán")
    assert (en["detail"], en["title"]) == (_HEADER_EN, "Inconsistent data")
    assert vi["field"] == en["field"] == "r.csv"
    kpis = client.post("/v1/records/kpis?lang=vi", files={"file": ("r.csv", b"a,b\n1,2\n", "text/csv")})
    assert (kpis.status_code, kpis.json()["detail"]) == (422, _HEADER_VI)


# -- every error type of pydantic_core ------------------------------------------------------------------------------


def _known_error(kind: str) -> PydanticKnownError:
    """The error of ``kind`` with a value for each context key pydantic requires (found by asking it: a number,
    or a text where it wants one)."""
    ctx: dict[str, object] = {}
    while True:
        try:
            return PydanticKnownError(kind, ctx or None)  # type: ignore[arg-type]
        except TypeError as exc:
            missing = re.search(r"'(\w+)' (required in context|context value must be a String)", str(exc))
        if missing is None:
            raise AssertionError(f"{kind}: pydantic refused a context it did not ask for")
        ctx[missing.group(1)] = 7 if missing.group(2).startswith("required") else "Zz"


@pytest.mark.parametrize("kind", typing.get_args(ErrorType))
def test_every_pydantic_error_type_is_worded_in_vietnamese(kind: str) -> None:
    known = _known_error(kind)
    error = {"type": kind, "loc": ("body", "items", 2), "msg": known.message(), "input": "x", "ctx": known.context}
    vi, en = problem_from_validation([error], None, "vi"), problem_from_validation([error], None, "en")
    assert vi.expected is not None
    assert en.expected is not None
    assert vi.expected != en.expected, f"{kind}: no Vietnamese wording ({en.expected})"
    assert vi.detail == f"items.2: cần {vi.expected}, nhận được x"
    assert en.detail == f"items.2: expected {en.expected}, got x"


def test_the_walk_covers_pydantic_s_whole_list() -> None:
    assert len(typing.get_args(ErrorType)) > 100


@pytest.mark.parametrize(
    ("kind", "msg", "ctx", "vietnamese"),
    [
        (
            "too_long",
            "List should have at most 3 items after validation, not 5",
            {"max_length": 3},
            "tối đa 3 phần tử",
        ),
        (
            "string_pattern_mismatch",
            "String should match pattern '^H\\d\\d$'",
            {"pattern": "^H\\d\\d$"},
            "văn bản khớp mẫu ^H\\d\\d$",
        ),
        ("timezone_aware", "Input should have timezone info", None, "một thời điểm có ghi múi giờ"),
        (
            "decimal_max_places",
            "Decimal input should have no more than 2 decimal places",
            {"decimal_places": 2},
            "tối đa 2 chữ số sau dấu thập phân",
        ),
        ("value_error", "Value error, bad thing", {"error": ValueError("bad thing")}, "một giá trị hợp lệ (bad thing)"),
    ],
)
def test_rare_types_in_vietnamese_exactly(kind: str, msg: str, ctx: dict[str, object] | None, vietnamese: str) -> None:
    error = {"type": kind, "loc": ("query", "n"), "msg": msg, "input": 5, "ctx": ctx}
    assert problem_from_validation([error], None, "vi").expected == vietnamese
