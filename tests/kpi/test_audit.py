"""Catalog audits (issue 5 item 7): fees without online payment, upgrade candidates and their blockers, BCCI lists
against the published channels."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tthc.catalog.collection import Catalog
from tthc.catalog.model import ChannelOption, FeeKind, FeeLine, Procedure, Tri
from tthc.cli import main
from tthc.deadlines.processing_time import ProcessingTime
from tthc.foundation.channels import Channel, OnlineLevel
from tthc.foundation.ids import ProcedureCode
from tthc.foundation.money import Money
from tthc.kpi.audit import AUDIT_CODES, audit_catalog

FEE = (FeeLine(kind=FeeKind.STATE_FEE, amount=Money.vnd(50_000), text="Lệ phí : 50.000 Đồng"),)


def _proc(
    code: str = "1.000001",
    *,
    fees: tuple[FeeLine, ...] = FEE,
    level: OnlineLevel = OnlineLevel.LEVEL_4,
    payment: Tri = Tri.NO,
    extra: tuple[ChannelOption, ...] = (),
    name: str = "Thủ tục mẫu",
    presence: Tri = Tri.UNKNOWN,
    authorisation: Tri = Tri.UNKNOWN,
) -> Procedure:
    online = ChannelOption(
        channel=Channel.ONLINE,
        processing_time=ProcessingTime.working_days(3),
        fees=fees,
        fee_text="Lệ phí : 50.000 Đồng",
        online_level=level,
        online_payment=payment,
    )
    return Procedure(
        code=ProcedureCode(code),
        name=name,
        channels=(ChannelOption(channel=Channel.DIRECT), online, *extra),
        requires_personal_presence=presence,
        authorisation_allowed=authorisation,
    )


def test_fee_without_online_payment() -> None:
    """NĐ 43/2011 Điều 3.4: level 4 includes online payment."""
    codes = {f.code for f in audit_catalog([_proc()])}
    assert "FEE_WITHOUT_ONLINE_PAYMENT" in codes
    assert {f.code for f in audit_catalog([_proc(payment=Tri.UNKNOWN)])} == {"ONLINE_PAYMENT_UNKNOWN"}
    assert audit_catalog([_proc(payment=Tri.YES)]) == []
    assert audit_catalog([_proc(fees=(FeeLine(free=True, text="Miễn phí"),))]) == []


def test_upgrade_candidates_name_their_blockers() -> None:
    p = _proc(level=OnlineLevel.LEVEL_3, presence=Tri.YES, authorisation=Tri.NO,
              name="Chứng thực bản sao từ bản chính")  # fmt: skip
    (f,) = [f for f in audit_catalog([p]) if f.code == "UPGRADE_CANDIDATE"]
    assert "level_3 → level_4" in f.message
    assert any("in person" in b for b in f.blockers)
    assert any("bản chính" in b for b in f.blockers)
    assert any("online payment" in b for b in f.blockers)
    clear = _proc(level=OnlineLevel.PARTIAL, payment=Tri.YES)
    (g,) = audit_catalog([clear])
    assert g.blockers == ()
    assert "no blocker" in g.message
    assert "partial → full" in g.message


def test_postal_row_for_an_ineligible_procedure() -> None:
    """QĐ 45/2016 Điều 1.2: in person AND no authorisation — not by post."""
    p = _proc(payment=Tri.YES, presence=Tri.YES, authorisation=Tri.NO,
              extra=(ChannelOption(channel=Channel.POSTAL),))  # fmt: skip
    assert [f.code for f in audit_catalog([p])] == ["POSTAL_CHANNEL_NOT_ELIGIBLE"]


def test_agency_lists_against_channels() -> None:
    """QĐ 45/2016 Điều 13: agencies publish the lists of procedures done / not done via BCCI."""
    from tthc.postal.eligibility import AgencyLists

    ref = {"document": "1184/QĐ-UBND", "tag": "example"}
    lists = AgencyLists.from_dict(
        {
            "lists": [
                {"id": "in", "name": "included", "province": "H21", "kind": "included", "reference": ref,
                 "procedures": [{"code": "1.000001"}]},
                {"id": "out", "name": "excluded", "province": "H21", "kind": "excluded", "reference": ref,
                 "procedures": [{"code": "1.000002"}]},
            ]
        }
    )  # fmt: skip
    no_postal = _proc("1.000001", payment=Tri.YES)
    with_postal = _proc("1.000002", payment=Tri.YES, extra=(ChannelOption(channel=Channel.POSTAL),))
    found = {
        (f.procedure, f.code) for f in audit_catalog([no_postal, with_postal], agency_lists=lists, on=date(2025, 1, 1))
    }
    assert found == {("1.000001", "BCCI_LISTED_NO_POSTAL_CHANNEL"), ("1.000002", "POSTAL_CHANNEL_BUT_EXCLUDED")}


def test_every_finding_has_a_source_and_the_sample_audit_runs(capsys: pytest.CaptureFixture[str]) -> None:
    findings = audit_catalog(Catalog.sample())
    assert findings
    assert all(f.source for f in findings)
    assert all(f.code in AUDIT_CODES for f in findings)
    assert any(f.procedure == "2.000720" and f.code == "UPGRADE_CANDIDATE" for f in findings)
    assert main(["audit", "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert {d["code"] for d in data} == {f.code for f in findings}


@pytest.mark.realdata
def test_audit_a_real_portal_export(real_data: object, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip(
        "tthc.catalog.portal_import",
        reason="the national-portal importer (tthc.catalog.portal_import) is not in this build",
    )
    path = real_data / "portal_defence_207.jsonl.gz"  # type: ignore[operator]
    code = main(["audit", str(path), "--json"])
    assert code in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert all(d["source"] for d in data)


def test_audit_terminal_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--include-examples", "--on", "2025-01-01"])
    out = capsys.readouterr().out
    assert code == 1
    assert "UPGRADE_CANDIDATE" in out
    assert "POSTAL_CHANNEL_BUT_EXCLUDED" in out
    assert main(["audit", "--on", "yesterday"]) == 2
