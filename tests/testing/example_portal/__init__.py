"""A tiny example "portal": what a one-stop backend does with tthc when it receives a dossier.

It renders the receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01 of
TT 01/2018/TT-VPCP) with the due date and the fee. ``tests/test_testing_kit_portal.py`` tests it the way a
downstream suite would: with the ``tthc`` pytest fixtures and the ``tthc.testing.strategies`` generators.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from tthc.calendar.working_calendar import WorkingCalendar
from tthc.catalog.model import Procedure
from tthc.deadlines.compute import VN_TZ, DueDate, compute_due
from tthc.fees.quotes import quote
from tthc.foundation.channels import Channel
from tthc.foundation.ids import DossierCode
from tthc.foundation.money import Money

__all__ = ["ReceiptSlip", "render_receipt_slip"]


@attrs.frozen
class ReceiptSlip:
    """What the portal prints and stores."""

    dossier_code: DossierCode
    due: DueDate
    fee: Money | None  # None when the published fee could not be priced (the slip says "see the notice")
    text: str


def _when(dt: datetime) -> str:
    local = dt.astimezone(VN_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def render_receipt_slip(
    procedure: Procedure,
    *,
    dossier_code: DossierCode,
    channel: Channel,
    received_at: datetime,
    calendar: WorkingCalendar,
) -> ReceiptSlip:
    """Render the slip: received when, due when (and why), the fee."""
    option = procedure.options(channel)[0]
    if option.processing_time is None:
        raise ValueError(f"{procedure.code}: the published processing time could not be read")
    due = compute_due(received_at, option.processing_time, channel=channel, calendar=calendar, procedure=procedure)
    q = quote(procedure, channel=channel, on=received_at.date(), discounts=())
    fee = q.total if q.complete and len(q.totals) <= 1 else None
    lines = [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier_code}",
        f"Thủ tục: {procedure.name} ({procedure.code})",
        f"Tiếp nhận lúc: {_when(due.received_at)}",
    ]
    if due.due_at is None:
        lines.append("Ngày hẹn trả kết quả: không quy định thời hạn")
    else:
        lines.append(f"Ngày hẹn trả kết quả: {_when(due.due_at)}")
        if due.projected:
            lines.append("(lịch nghỉ lễ năm sau chưa công bố; ngày hẹn có thể thay đổi)")
    lines.append(f"Phí, lệ phí: {fee.format_vi() if fee is not None else 'theo thông báo của cơ quan'}")
    return ReceiptSlip(dossier_code, due, fee, "\n".join(lines))
