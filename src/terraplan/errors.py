"""The one hierarchy of errors terraplan raises.

Every message says *what* is wrong, *where* (file, row, column, region, element path) and
*how to fix it*. Where one input has several problems they are reported together in one
exception, never one at a time.

Example
-------
>>> from terraplan.errors import RegionMatchError, TerraplanError
>>> issubclass(RegionMatchError, TerraplanError)
True
"""

from __future__ import annotations

from collections.abc import Iterable


class TerraplanError(Exception):
    """Base class of every error terraplan raises on purpose.

    The CLI catches this class, prints the message (no traceback) and exits with code 2.
    """


class InputError(TerraplanError, ValueError):
    """Input data is malformed: wrong columns, values that are not numbers, duplicates."""


class DataFormatError(InputError):
    """A file cannot be read as a statistics table (encoding, separator, header block).

    Carries the location so that tools can point at it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path, self.row, self.column = path, row, column
        where = ", ".join(
            part
            for part in (
                f"file {path}" if path else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column is not None else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class RegionMatchError(InputError):
    """Some region names or codes could not be matched to exactly one region.

    ``problems`` lists every failing input with its suggestions, so a user fixes all of them at
    once.
    """

    def __init__(self, problems: Iterable[str], *, context: str = "") -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} region name(s) could not be matched"
        if context:
            head += f" in {context}"
        body = "\n".join(f"  - {p}" for p in self.problems)
        fix = (
            "Fix: correct the spelling, use an ISO 3166-2 code (e.g. KZ-35), or pass "
            "aliases={'your name': 'KZ-..'}; `terraplan regions` lists every known name."
        )
        super().__init__(f"{head}:\n{body}\n{fix}")


class GeometryError(InputError):
    """Geometry is missing, invalid beyond repair, or in an unknown coordinate system."""


class LayoutError(TerraplanError):
    """A panel does not fit the requested territorial layout (KZ-1997, KZ-2018, KZ-2022)."""


class AnalysisError(TerraplanError):
    """An analysis cannot be computed on this input (zero totals, mixed sector levels, ...)."""


class ConfigError(TerraplanError):
    """A run configuration (terraplan.toml) has an unknown key or a wrong value."""


class PlanError(InputError):
    """A plan file (YAML) is malformed or does not validate; the message names the element path."""


class OutputError(TerraplanError):
    """An output cannot be written (path outside the output folder, unwritable file)."""
