"""The exception tree of ``tthc``.

Every error the library raises on purpose is a :class:`TthcError`. Errors about a bad value also inherit
:class:`ValueError`, so code that already catches ``ValueError`` keeps working::

    TthcError
    ├── InvalidValueError (ValueError)        a value is malformed or out of range
    │   ├── ParseError                        free text could not be understood
    │   ├── InvalidCodeError                  an identifier (procedure, agency, dossier, tracking number)
    │   └── OutputFileError                   an output cannot be written, or would overwrite an input
    ├── DataError (ValueError)                a data file or record set is inconsistent
    │   ├── DataFileError                     a bundled or user data file cannot be read or validated
    │   ├── ConflictError                     two rules or records contradict each other
    │   └── DuplicateCodeError                two records carry the same code
    ├── NotFoundError (LookupError)           a code is not in the catalog, a rule is not in force
    │   └── NotInForceError                   no dated value is in force on the asked date
    ├── CalendarRangeError (ValueError)       a date lies outside a compiled calendar table
    ├── MissingExtraError (ImportError)       an optional extra is needed but not installed
    └── WorkerLostError (RuntimeError)        a worker process ended before its work was done

Messages name the field, what was expected and what was given, e.g.
``procedure_code: expected 'd.dddddd' (e.g. '1.000178'), got '1.0001'``.

``str(exc)`` is English. The ``expected`` and ``detail`` texts are marked for translation where they are raised
(``N_("a whole number >= 1")``), or given as a text that words itself in a language (a
:class:`tthc.foundation.words.Words` when values are filled in), so the CLI can word the whole line in the user's
language (``expected_words`` / ``detail_words`` keep what was given).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = [
    "CalendarRangeError",
    "ConflictError",
    "DataError",
    "DataFileError",
    "DuplicateCodeError",
    "InvalidCodeError",
    "InvalidValueError",
    "MissingExtraError",
    "NotFoundError",
    "NotInForceError",
    "OutputFileError",
    "ParseError",
    "TthcError",
    "Wordable",
    "WorkerLostError",
]


@runtime_checkable
class Wordable(Protocol):
    """A text that words itself in a language: ``text("vi")``; ``str()`` is its English form
    (:class:`tthc.foundation.words.Words` is one; this layer may not import it)."""

    def text(self, lang: str | None = None) -> str: ...


class TthcError(Exception):
    """Root of every error ``tthc`` raises on purpose.

    Raised with one :class:`Wordable` message (``NotFoundError(words(N_("procedure {procedure} is not in the
    catalog"), procedure=...))``), ``str()`` is its English text and ``said`` keeps it, so the CLI words the line in the
    user's language; ``said`` is None for a plain text message.
    """

    def __init__(self, *args: object) -> None:
        said = args[0] if len(args) == 1 and not isinstance(args[0], str) and isinstance(args[0], Wordable) else None
        super().__init__(*((str(said),) if said is not None else args))
        self.said: Wordable | None = said  # pickled with the instance's __dict__


class InvalidValueError(TthcError, ValueError):
    """A value is malformed or out of range.

    Attributes:
        field: the name of the offending field (``""`` when there is none; English when it was given worded).
        expected: what would have been accepted (English).
        given: the value received (as given, not normalised).
        detail: why, when the value has the right form but is still refused (English; ``""`` when none).
        expected_words: ``expected`` as given: a text marked for translation, or a :class:`Wordable`.
        detail_words: ``detail`` as given.
        field_words: ``field`` as given: a plain name (shown as it is, in every language), or a :class:`Wordable`
            place (a file's row: ``dòng 2``).
    """

    def __init__(
        self, field: str | Wordable, expected: str | Wordable, given: object, *, detail: str | Wordable = ""
    ) -> None:
        self.field = str(field)
        self.field_words = field
        self.expected = str(expected)
        self.given = given
        self.detail = str(detail)
        self.expected_words = expected
        self.detail_words = detail
        where = f"{self.field}: " if self.field else ""
        tail = f" ({self.detail})" if self.detail else ""
        super().__init__(f"{where}expected {self.expected}, got {given!r}{tail}")

    def __reduce__(self) -> tuple[object, ...]:
        # keep the structured fields through pickling (multiprocessing, Dask workers)
        return (_rebuild_invalid, (type(self), self.field_words, self.expected_words, self.given, self.detail_words))


def _rebuild_invalid(
    cls: type[InvalidValueError], field: str | Wordable, expected: str | Wordable, given: object, detail: str | Wordable
) -> InvalidValueError:
    return cls(field, expected, given, detail=detail)


class ParseError(InvalidValueError):
    """Free text (a processing time, a fee, a level, a date) could not be understood."""


class InvalidCodeError(InvalidValueError):
    """An identifier does not have the form its standard prescribes."""


class OutputFileError(InvalidValueError):
    """An output file cannot be written, or would overwrite an input.

    ``field`` names the option (``--report``) or the parameter (``path``), ``given`` is the path as given, and the
    message says what to do.
    """


class DataError(TthcError, ValueError):
    """A data file or a set of records is inconsistent."""


class DataFileError(DataError):
    """A bundled or user-supplied data file cannot be read or does not match its schema."""


class ConflictError(DataError):
    """Two rules or records contradict each other (a day both off and worked, overlapping rules with no
    combination rule, ...)."""


class DuplicateCodeError(DataError):
    """Two records carry the same code; the message names both."""


class NotFoundError(TthcError, LookupError):
    """A code or rule was looked up and is not there."""


class NotInForceError(NotFoundError):
    """No dated value is in force on the asked date."""


class CalendarRangeError(TthcError, ValueError):
    """A date lies outside the range a compiled calendar table covers."""


class MissingExtraError(TthcError, ImportError):
    """An optional extra is needed but not installed; the message says how to install it."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(f"this feature needs the '{extra}' extra ({module} is missing): pip install 'tthc[{extra}]'")


class WorkerLostError(TthcError, RuntimeError):
    """A worker process of a ``jobs`` > 1 run ended before its work was done — killed (the out-of-memory killer,
    ``kill -9``) or crashed; nothing of the run was written. The message says to run again with fewer jobs."""
