"""Fixtures of the hostile corpus (issue 11): the generated bad-input files, shared by every test in this folder.

``hostile_corpus`` is session-scoped: the files are written once per run into a temporary folder. Each item is a
:class:`hostile.corpus.CorpusFile` — ``.name``, ``.path``, ``.attacks`` (what it attacks), ``.format`` (csv / jsonl /
parquet), the expected accounting ``.rows`` / ``.valid`` / ``.invalid`` where it is known (``None`` otherwise) and
``.file_error`` (the file must be refused whole with a ``DataFileError``).
"""

from __future__ import annotations

import pytest

from hostile.corpus import CorpusFile, build_corpus

__all__ = ["CorpusFile"]


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusFile]:
    """Every file of the hostile corpus, written once per test session."""
    return build_corpus(tmp_path_factory.mktemp("hostile_corpus"))


@pytest.fixture(scope="session")
def hostile_corpus_by_name(hostile_corpus: list[CorpusFile]) -> dict[str, CorpusFile]:
    """The corpus keyed by file name (``hostile_corpus_by_name["quote_unclosed_middle.csv"]``)."""
    return {f.name: f for f in hostile_corpus}
