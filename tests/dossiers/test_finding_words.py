"""``DossierFinding.worded``: a bad template or values is an InvalidValueError at creation, never later."""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc.dossiers.findings import DossierFinding, max_supplement_requests
from tthc.errors import InvalidValueError

AT = datetime(2026, 3, 4, 9, 0)
REF = max_supplement_requests()[1]


def _worded(template: object, values: object) -> DossierFinding:
    return DossierFinding.worded("W_REPEATED_SUPPLEMENT", "supplement_requested", AT, template, values, REF)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("template", "values", "field"),
    [
        (None, {}, "template"),
        ("asked on {day}", None, "values"),
        ("asked on {day}", {"when": AT}, "template"),  # a field the values lack
        ("asked {", {}, "template"),  # a stray brace
        ("asked {0}", {}, "template"),  # a positional field
    ],
)
def test_bad_words_are_invalid_values(template: object, values: object, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        _worded(template, values)
    assert info.value.field == field


def test_good_words_are_kept_and_copied() -> None:
    values = {"day": AT.date()}
    finding = _worded("asked on {day}", values)
    values["day"] = AT  # the caller's mapping changing later does not change the finding
    assert finding.message == "asked on 2026-03-04"
    assert finding.message_in("vi") == "asked on 04/03/2026"  # no catalog entry: English words, Vietnamese date


def test_a_bad_lang_is_an_invalid_value() -> None:
    finding = _worded("asked on {day}", {"day": AT.date()})
    for method in (finding.text, finding.message_in):
        with pytest.raises(InvalidValueError):
            method("fr")
