"""Every exception and warning class of congresslab, in one place.

Each is a :class:`ValueError` (bad input) unless said otherwise, so that callers can catch
bad input broadly; messages name the file, line/row and column, or the option.

Examples
--------
>>> str(RawDataError("not a number", file="x.csv", row=3, column="votes"))
"file x.csv, row 3, column 'votes': not a number"
>>> issubclass(MarginsError, UnitTableError), issubclass(ChecksumError, RawDataError)
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "RawDataError",
    "ChecksumError",
    "UnknownFederationError",
    "FederationTableError",
    "TableReadError",
    "NumberError",
    "InputWarning",
    "UnitTableError",
    "MarginsError",
    "ConvergenceError",
    "ConvergenceWarning",
    "ClassroomError",
    "RunoffError",
    "os_message",
]


class RawDataError(ValueError):
    """A raw value or file that cannot be used; the message names file, row and column."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        where = ", ".join(
            part for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file, self.row, self.column = file, row, column


class ChecksumError(RawDataError):
    """A raw file differs from the checksum recorded in the manifest."""


class UnknownFederationError(ValueError):
    """Raised when a name or number does not match any PS federation.

    The message carries a suggestion (the closest known names) when there is one; the
    suggested codes are in the ``suggestions`` attribute.
    """

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions: list[str] = list(suggestions or [])


class FederationTableError(ValueError):
    """A federation table cannot be imported; the message names file, row and column."""


class TableReadError(ValueError):
    """A file that cannot be read as a table; ``lines`` are the offending file lines."""

    def __init__(self, message: str, *, lines: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.lines = [int(n) for n in lines]


class NumberError(ValueError):
    """A cell that is not a number, or not a valid count, or reads two ways.

    ``index`` is the position of the cell in its column (``None`` for a lone cell);
    ``readings`` the two numbers an ambiguous cell could mean (thousands, decimal).
    """

    def __init__(self, message: str, *, index: int | None = None,
                 readings: tuple[int, float] | None = None) -> None:
        super().__init__(message)
        self.index = index
        self.readings = readings


class InputWarning(UserWarning):
    """Something was assumed about an input (its encoding, ...); the message says what."""


class UnitTableError(ValueError):
    """Invalid unit table: bad column, bad count, bad unit (a :class:`ValueError`).

    ``rows`` holds the 0-based positions (in the input table) of the offending rows, when
    the error is about rows: the command line turns them into file line numbers.
    """

    def __init__(self, message: str, *, rows: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.rows = [int(r) for r in rows]


class MarginsError(UnitTableError):
    """Origin and destination totals differ and the margins policy forbids fixing it."""


class ConvergenceError(RuntimeError):
    """Raised by the Bayesian model when ``on_nonconvergence="raise"`` and it did not converge."""


class ConvergenceWarning(UserWarning):
    """Warning issued when an MCMC fit does not meet the convergence criteria."""


class ClassroomError(ValueError):
    """Bad input to the classroom kit; the message names the option or file."""


class RunoffError(ValueError):
    """A runoff table or scenario that cannot be used, with the reason."""


def os_message(err: OSError) -> str:
    """``"/tmp: Is a directory"``: the file first, then what went wrong.

    Examples
    --------
    >>> os_message(IsADirectoryError(21, "Is a directory", "/tmp"))
    '/tmp: Is a directory'
    >>> os_message(OSError("Cannot save file into a non-existent directory: '/nope'"))
    "Cannot save file into a non-existent directory: '/nope'"
    """
    if err.filename is not None and err.strerror:
        names = [str(err.filename)] + ([str(err.filename2)] if err.filename2 else [])
        return f"{' -> '.join(names)}: {err.strerror}"
    return str(err)
