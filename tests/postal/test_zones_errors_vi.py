"""A route zone a table has no value for, refused in the run's language (issue 14); ``str()`` stays English."""

from __future__ import annotations

import pytest

from tthc.errors import NotFoundError
from tthc.foundation.error_words import error_text
from tthc.postal.zones import Zone, lookup_zone


def test_an_unknown_route_zone_lists_the_zones_of_the_table() -> None:
    with pytest.raises(NotFoundError) as info:
        lookup_zone(Zone.BETWEEN_PROVINCES, {Zone.WITHIN_PROVINCE, Zone.SAME_DISTRICT}, what="bảng cước Gia Lai")
    assert error_text(info.value, "vi") == (
        "bảng cước Gia Lai: không có giá trị cho vùng tính cước 'between_provinces' (các vùng có trong bảng: "
        "same_district, within_province)"
    )
    assert str(info.value) == (
        "bảng cước Gia Lai: no value for route zone 'between_provinces' (zones in the table: same_district, "
        "within_province)"
    )
