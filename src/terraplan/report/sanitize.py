"""Safe output: formula-safe cells, paths kept inside the output folder, atomic writes.

Everything terraplan writes goes through these helpers, so that a region name or indicator note
coming from user data can never run as a spreadsheet formula, escape the output folder, or leave a
half-written file behind.

Example
-------
>>> from terraplan.report.sanitize import neutralize_cell
>>> neutralize_cell("=SUM(A1:A9)")
"'=SUM(A1:A9)"
>>> neutralize_cell(-3.5)
-3.5
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from terraplan.errors import OutputError

#: Leading characters that make a spreadsheet treat a text cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: Any) -> Any:
    """Prefix a text cell that starts like a formula with an apostrophe; leave numbers alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names are formula-safe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralize_cell)
    out.columns = [neutralize_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def safe_output_path(out_dir: str | os.PathLike[str], name: str | os.PathLike[str]) -> Path:
    """Resolve ``name`` inside ``out_dir`` and refuse anything that would land outside it."""
    root = Path(out_dir).resolve()
    target = (root / name).resolve()
    if target != root and root not in target.parents:
        raise OutputError(
            f"refusing to write {name!s}: it resolves to {target}, outside the output folder "
            f"{root}. Use a plain file name (no '..' or absolute path)."
        )
    return target


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` only on success.

    The file gets the mode an ordinary ``open()`` would give it (``0666`` less the user's umask,
    typically ``0644``), not the private ``0600`` of :func:`tempfile.mkstemp`.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def current_umask() -> int:
    """The process's file-creation mask (read without changing it for longer than a call).

    >>> 0 <= current_umask() <= 0o777
    True
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)
