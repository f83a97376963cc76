"""Every human-facing text of the postal, fee and office-hours data files exists in both languages (issue 14).

Data texts are not catalog material: an English text shown to readers has a Vietnamese sibling ``<field>_vi`` in
the same record; a ``label_vi`` is a Vietnamese legal term shown in both languages. A text added without its sibling
fails here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest

from tthc.foundation.data_files import load_json


def _texts(name: str) -> Iterator[tuple[str, str, str]]:
    """(where, English, Vietnamese) for each human-facing text of the bundled file ``name``."""
    data: Any = load_json(name)
    if name == "postal_agency_lists.json":
        for x in data["lists"]:
            yield f"lists[{x['id']}].name", x["name"], x.get("name_vi", "")
    elif name == "postal_rules.json":
        for key in ("agency_lists", "no_postal_row", "service_options"):
            ref = data[key]["reference"]
            if ref["tag"] == "open":  # a library rule, named in words rather than by a legal number
                yield f"{key}.reference.document", ref["document"], ref.get("document_vi", "")
    elif name == "bcci_tariffs.json":
        for t in data["tariffs"]:
            if t["vat"].get("note"):
                yield f"tariffs[{t['id']}].vat.note", t["vat"]["note"], t["vat"].get("note_vi", "")
    elif name == "discounts.json":
        for d in data["discounts"]:
            yield f"discounts[{d['id']}].name", d.get("name", ""), d.get("name_vi") or d["name"]
            for a in d["assumptions"]:
                yield f"discounts[{d['id']}].assumptions[{a['field']}]", a["note"], a.get("note_vi", "")
    elif name == "postal_beneficiaries.json":
        for g in data["groups"]:
            yield f"groups[{g['id']}].label", g.get("label_en", ""), g["label_vi"]
    elif name == "office_hours.json":
        for o in data["offices"]:
            for p in o["periods"]:
                yield f"{o['office']}.periods[{p['label']}].label", p["label"], p.get("label_vi", "")
                yield (
                    f"{o['office']}.periods[{p['label']}].document",
                    p["reference"]["document"],
                    p["reference"].get("document_vi", ""),
                )
            for v in o["overrides"]:
                yield f"{o['office']}.overrides[{v['day']}].reason", v["reason"], v.get("reason_vi", "")


FILES = [
    "postal_agency_lists.json",
    "postal_rules.json",
    "bcci_tariffs.json",
    "discounts.json",
    "postal_beneficiaries.json",
    "office_hours.json",
]


@pytest.mark.parametrize("name", FILES)
def test_every_human_facing_data_text_has_both_languages(name: str) -> None:
    texts = list(_texts(name))
    assert texts, f"{name}: no human-facing text found (the test reads the wrong fields)"
    missing = [where for where, en, vi in texts if not en.strip() or not vi.strip()]
    assert missing == [], f"{name}: texts without both languages: {missing}"
    not_nfc = [where for where, _, vi in texts if not unicodedata.is_normalized("NFC", vi)]
    assert not_nfc == [], f"{name}: Vietnamese texts not in NFC: {not_nfc}"


def test_the_check_bites_on_a_missing_sibling(monkeypatch: pytest.MonkeyPatch) -> None:
    """A record whose Vietnamese sibling is missing is reported by name."""
    import sys

    me = sys.modules[__name__]
    real = load_json

    def without_vi(name: str) -> Any:
        data = real(name)
        if name == "discounts.json":
            data = {**data, "discounts": [{**data["discounts"][0], "assumptions": [{"field": "payers", "note": "x"}]}]}
        return data

    monkeypatch.setattr(me, "load_json", without_vi)
    with pytest.raises(AssertionError, match=r"discounts\[gia_lai_659_2020\]\.assumptions\[payers\]"):
        test_every_human_facing_data_text_has_both_languages("discounts.json")
