"""Fixtures of the planning tests."""

from __future__ import annotations

import pytest
from plan_helpers import clean_data


@pytest.fixture
def clean() -> dict:
    """The synthetic plan on which every check passes (a fresh copy per test)."""
    return clean_data()
