"""The time and memory budget every fuzzed call must keep, and the one kind of error it may raise.

Shared by the fuzz tests of plan loading and matching: a call either returns, or raises a
:class:`~terraplan.errors.TerraplanError`; anything else (MemoryError, RecursionError,
TypeError, ...) fails the test, and so does a call that takes longer than ``seconds`` or
allocates more than ``megabytes`` (traced by tracemalloc, which sees NumPy and pandas buffers).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from terraplan.errors import TerraplanError


def within_budget(
    call: Callable[[], Any], *, seconds: float = 5.0, megabytes: float = 100.0
) -> Any | TerraplanError:
    """Run ``call``; return its result or the TerraplanError it raised, within the budget."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result: Any = call()
    except TerraplanError as exc:
        result = exc
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s (budget {seconds} s)"
    assert peak < megabytes, f"allocated {peak:.0f} MB at the peak (budget {megabytes} MB)"
    return result
