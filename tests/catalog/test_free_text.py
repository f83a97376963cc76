"""Parsers of the portal's free text: fees, levels, flattened channel tables, presence and authorisation.

Sources: domain.md §1 (fields of a published procedure, the fee forms ``Phí : 0 Đồng``, ``Lệ phí : 1.5 USD``,
``Mức thu bằng 50% ...``, ``o Đồng``) and §5 (phí vs lệ phí; keep the currency); ``data/real/README.md`` (the
flattened channel table and the money forms of the national export).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc.catalog.free_text import (
    FlatChannelTable,
    Unparsed,
    infer_authorisation,
    infer_personal_presence,
    infer_presence_and_authorisation,
    is_no_information,
    parse_amount,
    parse_fee_text,
    parse_levels,
    parse_processing_time,
    split_flat_channel_table,
)
from tthc.catalog.model import FeeKind, Level, Tri
from tthc.deadlines.processing_time import ProcessingTime, TimeUnit
from tthc.foundation.channels import Channel
from tthc.foundation.money import Money

# -- fees (domain.md §1 'Phí, lệ phí', §5) ----------------------------------------------------------------------------


def test_charge_with_dotted_thousands_and_note() -> None:
    """Defence export: ``Phí : 2.000.000 Đồng (...)`` is a charge (phí) of two million đồng with its note."""
    fp = parse_fee_text("Phí : 2.000.000 Đồng (Thẩm định cấp phép)")
    assert fp.status == "parsed"
    (line,) = fp.lines
    assert line.kind is FeeKind.CHARGE
    assert line.amount == Money.vnd(2_000_000)
    assert line.note == "Thẩm định cấp phép"


def test_state_fee_in_usd_keeps_the_currency() -> None:
    """domain.md §5: ``Lệ phí : 1.5 USD`` stays in USD (never converted), as a state fee (lệ phí)."""
    (line,) = parse_fee_text("Lệ phí : 1.5 USD").lines
    assert line.kind is FeeKind.STATE_FEE
    assert line.amount == Money.of("1.5", "USD")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2,000,000 Việt Nam Đồng", Money.vnd(2_000_000)),
        ("70,000 Việt Nam Đồng(- Cấp lại thẻ căn cước: 70.000 đồng/thẻ)", Money.vnd(70_000)),
        ("120,000 VNĐ", Money.vnd(120_000)),
        ("100 USD", Money.of(100, "USD")),
        ("10 USD(/lần)", Money.of(10, "USD")),
        ("Lệ phí : 03 USD (Lệ phí: 03 USD/Giấy phép)", Money.of(3, "USD")),
        ("Lệ phí : 20000 Đồng", Money.vnd(20_000)),
    ],
)
def test_amount_forms_of_the_national_export(text: str, amount: Money) -> None:
    """data/real README: money as ``2,000,000 Việt Nam Đồng``, ``100 USD``; amounts unlabelled have kind unknown."""
    fp = parse_fee_text(text)
    assert fp.status == "parsed"
    assert fp.lines[0].amount == amount


@pytest.mark.parametrize(
    "text", ["Miễn phí", "Phí : 0 Đồng", "Lệ phí : 0 Đồng", "Phí : Không Đồng", "Phí : không Đồng", "Phí : o Đồng"]
)
def test_free_forms(text: str) -> None:
    """domain.md §1: ``Miễn phí``, ``0 Đồng``, ``Không Đồng`` and the typo ``o Đồng`` all mean no fee."""
    fp = parse_fee_text(text)
    assert fp.status == "free"
    assert fp.lines[0].free
    assert fp.lines[0].amount is None


def test_o_dong_typo_says_how_it_was_read() -> None:
    (line,) = parse_fee_text("Phí : o Đồng").lines
    assert line.note is not None
    assert "typo" in line.note


def test_percentage_of_another_fee() -> None:
    """Defence export: ``Phí : Mức thu bằng 50% mức thu phí quy định tại ...`` is a percentage with its base."""
    fp = parse_fee_text(
        "Phí : Mức thu bằng 50% mức thu phí quy định tại Mục I Biểu mức thu phí Đồng (Thông tư số 64/2025/TT-BTC)"
    )
    (line,) = fp.lines
    assert fp.status == "parsed"
    assert line.percentage == Decimal(50)
    assert line.kind is FeeKind.CHARGE
    assert line.note is not None
    assert line.note.startswith("mức thu phí quy định")


def test_numbered_percentage() -> None:
    (line,) = parse_fee_text("Phí : 1.\tMức thu bằng 50% mức thu phí quy định Đồng").lines
    assert line.percentage == Decimal(50)


def test_several_fee_lines_and_attachment_notes() -> None:
    """Defence export: one fee per ``Phí :`` / ``Lệ phí :`` line; other lines are notes of the fee above."""
    fp = parse_fee_text("Phí : 2.000.000 Đồng (nghiên cứu)\nFile đính kèm: 62-btc.pdf\nLệ phí : 1.5 USD (thuyền viên)")
    assert fp.status == "parsed"
    assert [ln.kind for ln in fp.lines] == [FeeKind.CHARGE, FeeKind.STATE_FEE]
    assert fp.lines[0].note == "nghiên cứu; File đính kèm: 62-btc.pdf"


def test_free_followed_by_prose_with_the_real_fee_is_not_believed() -> None:
    """data/real README: ``Miễn phí`` followed by prose carrying the real fee — not read as free; the text stays."""
    fp = parse_fee_text("Miễn phí(Lệ phí cấp mới 40.000đồng/lần; lệ phí cấp lại 20.000 đồng/lần.)")
    assert fp.status == "unparsed"
    assert not fp.lines[0].free
    assert fp.lines[0].text.startswith("Miễn phí")
    assert "2 amount" in fp.problems[0].reason


def test_free_with_a_plain_note_is_free() -> None:
    fp = parse_fee_text("Miễn phí(Không thu phí)")
    assert fp.status == "free"
    assert fp.lines[0].note == "Không thu phí"


@pytest.mark.parametrize("text", ["", "Không có thông tin", "Không có thông tin(1)", None])
def test_not_stated(text: str | None) -> None:
    assert parse_fee_text(text).status == "not_stated"


@pytest.mark.parametrize("text", ["Phí :  Đồng", "Lệ phí :   (Thông tư số 249/2016/TT-BTC)", "theo quy định"])
def test_no_amount_is_unparsed_and_keeps_the_text(text: str) -> None:
    fp = parse_fee_text(text)
    assert fp.status == "unparsed"
    assert not fp.ok
    assert fp.problems
    assert fp.problems[0].text


def test_amount_separators() -> None:
    assert parse_amount("2.000.000", "VND") == Money.vnd(2_000_000)
    assert parse_amount("2,000,000", "VND") == Money.vnd(2_000_000)
    assert parse_amount("0,5", "USD") == Money.of("0.5", "USD")
    assert parse_amount("1.234,50", "USD") == Money.of("1234.5", "USD")
    half_dong = parse_amount("1.5", "VND")
    assert isinstance(half_dong, Unparsed)
    assert "minor units" in half_dong.reason
    assert isinstance(parse_amount("1,2,3", "VND"), Unparsed)


@given(
    st.integers(1, 10**12), st.sampled_from(["{:,} Việt Nam Đồng", "Phí : {:,} Đồng", "{:,} VNĐ", "Lệ phí : {} Đồng"])
)
def test_vnd_amounts_round_trip(n: int, template: str) -> None:
    """Property: any whole đồng amount written in the portal's forms (either separator) reads back exactly."""
    for text in (template.format(n), template.format(n).replace(",", ".")):
        fp = parse_fee_text(text)
        assert fp.lines[0].amount == Money.vnd(n), text


@given(st.integers(1, 10**7))
def test_usd_amounts_round_trip(cents: int) -> None:
    money = Money(cents, "USD")
    assert parse_fee_text(f"Lệ phí : {money.amount} USD").lines[0].amount == money


# -- levels (domain.md §1 'Cấp thực hiện') ---------------------------------------------------------------------------


def test_levels_multi_valued() -> None:
    assert parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã") == ((Level.MINISTRY, Level.PROVINCE, Level.COMMUNE), ())
    assert parse_levels("Cấp Bộ, Cấp Tỉnh, Cấp Xã, Cơ quan khác")[0][-1] is Level.OTHER
    assert parse_levels("Cấp huyện")[0] == (Level.DISTRICT,)
    assert parse_levels("") == ((), ())


def test_unknown_level_is_reported() -> None:
    levels, problems = parse_levels("Cấp tỉnh, Cấp thôn")
    assert levels == (Level.PROVINCE,)
    assert problems[0].text == "Cấp thôn"


# -- the flattened channel table (data/real README) -----------------------------------------------------------------

FLAT = (
    "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến40 NgàyMiễn phíDịch vụ bưu chính40 NgàyMiễn phí"
    "Trực tiếp40 NgàyMiễn phí"
)


def test_flattened_table_of_the_readme() -> None:
    table = split_flat_channel_table(FLAT)
    rows = table.rows
    assert table.unassigned == ""
    assert [r.channel for r in rows] == [Channel.ONLINE, Channel.POSTAL, Channel.DIRECT]
    assert all((r.time_text, r.fee_text, r.description, r.problem) == ("40 Ngày", "Miễn phí", "", None) for r in rows)


def test_flattened_row_with_amount_note_and_description() -> None:
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việc50,000 Việt Nam Đồng(50.000 đồng/thẻ (a))"
        "Nộp tại Công an xã. - Trực tuyến: nộp qua Cổng dịch vụ công.Trực tuyến5 Ngày10 USD"
    )
    direct, online = split_flat_channel_table(text).rows
    assert direct.time_text == "7 Ngày làm việc"
    assert direct.fee_text == "50,000 Việt Nam Đồng(50.000 đồng/thẻ (a))"
    # "Trực tuyến:" inside the description is prose (followed by a colon), not a new row
    assert direct.description == "Nộp tại Công an xã. - Trực tuyến: nộp qua Cổng dịch vụ công."
    assert (online.time_text, online.fee_text) == ("5 Ngày", "10 USD")


def test_flattened_bare_figure_followed_by_a_word_fee() -> None:
    (row,) = split_flat_channel_table("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp15Miễn phí").rows
    assert (row.time_text, row.fee_text) == ("15", "Miễn phí")
    assert parse_processing_time(row.time_text) == ProcessingTime(TimeUnit.UNKNOWN_UNIT, 15)


def test_flattened_bare_figure_glued_to_an_amount_single_nonzero_split() -> None:
    """``Trực tuyến120,000 VNĐ``: 1 | 20,000 is the only split with a non-zero amount (12 | 0,000 is zero, and the
    export never writes a zero fee as an amount)."""
    (row,) = split_flat_channel_table("Trực tuyến120,000 VNĐ(Theo Thông tư số 172/2010/TT-BTC)").rows
    assert (row.time_text, row.fee_text.split("(")[0], row.problem) == ("1", "20,000 VNĐ", None)
    assert row.remark is not None


def test_flattened_bare_figure_glued_to_an_amount_ambiguous() -> None:
    """``125 VNĐ`` may be 1 | 25 or 12 | 5: not guessed, the row carries a problem and empty cells."""
    (row,) = split_flat_channel_table("Trực tiếp125 VNĐ").rows
    assert row.problem is not None
    assert "2 possible splits" in row.problem
    assert (row.time_text, row.fee_text) == ("", "")


def test_flattened_split_confirmed_by_the_note() -> None:
    (row,) = split_flat_channel_table("Trực tiếp125 VNĐ(25.000 đồng/tờ khai)").rows
    assert (row.time_text, row.fee_text) == ("1", "25 VNĐ(25.000 đồng/tờ khai)")


def test_flattened_prose_time_up_to_the_fee() -> None:
    (row,) = split_flat_channel_table("Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíQua Cổng DVC").rows
    assert row.time_text == "Không phải trả kết quả cho người nộp thuế"
    assert parse_processing_time(row.time_text) == ProcessingTime.unspecified()
    assert row.description == "Qua Cổng DVC"


def test_flattened_currency_glued_to_the_description() -> None:
    (row,) = split_flat_channel_table("Trực tiếp60 Ngày10,000,000 Việt Nam Đồngkể từ ngày nhận đủ hồ sơ.").rows
    assert (row.time_text, row.fee_text, row.description) == (
        "60 Ngày",
        "10,000,000 Việt Nam Đồng",
        "kể từ ngày nhận đủ hồ sơ.",
    )


def test_text_outside_rows_is_kept_and_no_row_is_invented() -> None:
    table = split_flat_channel_table("Hình thức nộpThời gianPhí, lệ phíMô tảXem hướng dẫnTrực tiếp5 NgàyMiễn phí")
    assert table.unassigned == "Xem hướng dẫn"
    assert [r.channel for r in table.rows] == [Channel.DIRECT]
    assert split_flat_channel_table("Không có thông tin") == FlatChannelTable(rows=(), unassigned="Không có thông tin")


def test_no_information_cells() -> None:
    (row,) = split_flat_channel_table("Trực tiếpKhông có thông tinKhông có thông tinnộp hồ sơ trực tiếp").rows
    assert (row.time_text, row.fee_text, row.description) == (
        "Không có thông tin",
        "Không có thông tin",
        "nộp hồ sơ trực tiếp",
    )
    assert is_no_information(row.time_text)


@given(st.text(max_size=200))
def test_splitter_never_crashes(text: str) -> None:
    """Property: any text splits into rows (possibly none) without raising."""
    table = split_flat_channel_table(text)
    for row in table.rows:
        assert isinstance(row.channel, Channel)
    if not table.rows:
        body = text.removeprefix("Hình thức nộpThời gianPhí, lệ phíMô tả")
        assert table.unassigned == body.strip()  # nothing is lost


# -- personal presence and authorisation (QĐ 45/2016/QĐ-TTg Điều 1.2: drive postal eligibility) ----------------------


def test_presence_read_only_from_explicit_statements() -> None:
    assert infer_personal_presence("Hai bên nam, nữ phải có mặt khi đăng ký kết hôn").value is Tri.YES
    assert infer_personal_presence("Người đề nghị phải trực tiếp đến nộp hồ sơ").value is Tri.YES
    assert infer_personal_presence("Không cần có mặt khi nhận kết quả").value is Tri.NO
    assert infer_personal_presence("Nộp hồ sơ tại Bộ phận Một cửa").value is Tri.UNKNOWN
    assert infer_personal_presence(None, "").value is Tri.UNKNOWN


def test_authorisation_read_only_from_explicit_statements() -> None:
    assert infer_authorisation("Không được ủy quyền cho người khác").value is Tri.NO
    assert infer_authorisation("nơi người đó cư trú, không ủy quyền cho người khác nộp hồ sơ").value is Tri.NO
    assert infer_authorisation("nộp trực tiếp hoặc qua ủy quyền theo quy định").value is Tri.YES
    # delegation between agencies is not an applicant's proxy
    assert infer_authorisation("UBND cấp tỉnh quyết định hoặc ủy quyền cho trưởng phòng").value is Tri.UNKNOWN


def test_conflicting_statements_stay_unknown_with_evidence() -> None:
    inf = infer_authorisation("Không được ủy quyền. Hoặc người được ủy quyền nộp thay.")
    assert inf.value is Tri.UNKNOWN
    assert inf.evidence is not None
    assert "conflicting" in inf.evidence


def test_both_inferences_at_once() -> None:
    presence, proxy = infer_presence_and_authorisation("phải có mặt", "không được ủy quyền")
    assert (presence.value, proxy.value) == (Tri.YES, Tri.NO)
    assert presence.evidence is not None
    assert "phai co mat" in presence.evidence


def test_council_members_attending_a_meeting_is_not_the_applicant() -> None:
    """Real national record 1.012533: 'thành viên hội đồng ... phải có mặt dự họp' is about the council."""
    assert infer_personal_presence("Thành viên hội đồng xét tuyển phải có mặt dự họp").value is Tri.UNKNOWN


def test_an_agency_issuing_an_authorisation_is_not_a_proxy() -> None:
    """Real national record 2.000082: 'Cục Đăng kiểm Việt Nam cấp văn bản ủy quyền' is delegation, not a proxy."""
    assert infer_authorisation("Cục Đăng kiểm Việt Nam cấp văn bản ủy quyền theo mẫu 07").value is Tri.UNKNOWN
    assert infer_authorisation("nộp hồ sơ thì phải có văn bản ủy quyền").value is Tri.YES


def test_a_conditional_clause_is_not_a_statement() -> None:
    """Real national record 2.000884: '... trừ trường hợp pháp luật quy định không được ủy quyền' is a condition."""
    assert infer_authorisation("trừ trường hợp pháp luật quy định không được ủy quyền").value is Tri.UNKNOWN


def test_amount_a_thousand_times_smaller_than_its_note_is_flagged_not_changed() -> None:
    """Real national records: ``40 Việt Nam Đồng(40.000đ/giấy thông hành)`` — kept as published, with a remark."""
    fp = parse_fee_text("40 Việt Nam Đồng(40.000đ/giấy thông hành)")
    assert fp.lines[0].amount == Money.vnd(40)
    assert fp.status == "parsed"
    assert len(fp.remarks) == 1
    assert "thousands" in fp.remarks[0]
    assert parse_fee_text("40,000 Việt Nam Đồng(40.000đ/giấy)").remarks == ()
