"""The bundled sample dataset is exactly what the seeded generator writes (``python -m tthc.records.sample``)."""

from __future__ import annotations

import csv
from collections import Counter

from tthc.records.sample import render_sample, sample_path


def test_bundled_sample_equals_the_generator_output() -> None:
    assert render_sample() == sample_path().read_text(encoding="utf-8"), (
        "the bundled sample is stale: run `python -m tthc.records.sample` and commit src/tthc/data/sample_dossiers.csv"
    )


def test_sample_covers_what_the_issue_asks_for() -> None:
    """2024–2026, Tết, make-up Saturdays, three channels, supplements, extensions, late dossiers."""
    with sample_path().open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert 3000 <= len(rows) <= 6000
    years = Counter(r["received_at"][:4] for r in rows)
    assert set(years) == {"2024", "2025", "2026"}
    assert set(Counter(r["channel"] for r in rows)) == {"direct", "online", "postal"}
    assert any(r["result_channel"] == "postal" for r in rows)
    assert sum(r["supplement_count"] == "1" for r in rows) > 50
    assert sum(bool(r["extended_due_at"]) for r in rows) > 10
    saturdays = {"2024-05-04", "2025-04-26", "2026-01-10", "2026-08-22"}  # make-up working Saturdays
    assert {r["received_at"][:10] for r in rows} & saturdays
    # dossiers received just before Tết 2025 (25 Jan - 2 Feb) whose due date falls after it
    assert any(r["received_at"][:10] < "2025-01-25" < "2025-02-02" < r["due_at"][:10] for r in rows if r["due_at"])
    assert any(r["finished_at"] > r["due_at"] for r in rows if r["due_at"] and r["finished_at"])
    assert any(r["status"] == "processing" for r in rows)
