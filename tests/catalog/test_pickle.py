"""A catalog and a compiled calendar survive pickling: Dask and multiprocessing ship them to other processes."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from tthc.calendar.working_calendar import public_sector_calendar
from tthc.catalog.collection import Catalog


def test_catalog_round_trips_through_pickle() -> None:
    cat = Catalog.sample()
    back = pickle.loads(pickle.dumps(cat))
    assert isinstance(back, Catalog)
    assert list(back) == list(cat)
    assert back.about == cat.about
    code = cat.procedures[0].code
    assert back[code] == cat[code]


def test_unpickled_catalog_is_still_immutable() -> None:
    back = pickle.loads(pickle.dumps(Catalog.sample()))
    with pytest.raises(AttributeError, match="immutable"):
        back._about = "x"


def test_empty_catalog_round_trips() -> None:
    back = pickle.loads(pickle.dumps(Catalog(about="empty")))
    assert len(back) == 0
    assert back.about == "empty"


def test_compiled_calendar_round_trips_through_pickle() -> None:
    cal = public_sector_calendar()
    back = pickle.loads(pickle.dumps(cal))
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2026-12-31"))
    ns = np.full(len(days), 10)
    assert np.array_equal(back.add_working_days_many(days, ns), cal.add_working_days_many(days, ns))
    assert [back.is_working_day(d) for d in days.astype(object)] == [cal.is_working_day(d) for d in days.astype(object)]
