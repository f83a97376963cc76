"""Shared fixtures. Real third-party data lives in ../shared/data/real (see its README); tests that need it skip
with a reason when it is absent (CI always has it)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Human-facing text is Vietnamese by default (tthc.foundation.i18n). The unit tests assert the code's own English
# text unless they ask for Vietnamese (lang="vi", --lang vi, or monkeypatch.setenv/delenv of TTHC_LANG), so the
# suite reads the same to every contributor; the Vietnamese of each text is tested where it is produced, and the
# default itself in tests/foundation/test_i18n.py. Documentation examples run with the default (tests/test_docs.py).
os.environ["TTHC_LANG"] = "en"
# The compiled-calendar cache (tthc.calendar.cache) of a test run lives in its own folder, removed at exit, so a run
# never reads or leaves files in the user's cache; subprocesses started by tests inherit it.
_CACHE = tempfile.mkdtemp(prefix="tthc-test-cache-")
os.environ["TTHC_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = Path(os.environ.get("TTHC_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real third-party data; skips the test when it is not there."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} is absent (set TTHC_REAL_DATA to point at it)")
    return REAL_DATA
