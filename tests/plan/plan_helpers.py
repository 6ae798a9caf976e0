"""Helpers of the planning tests: paths, the clean synthetic plan, a way to build variants."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import yaml

from terraplan.plan.model import Plan, parse_plan

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parents[2] / "examples" / "plan-kazakhstan-2025.yaml"
KZ_2022 = [
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
]  # fmt: skip


def clean_data() -> dict:
    """The synthetic plan on which every check passes (see the comments in clean.yaml)."""
    return yaml.safe_load((FIXTURES / "clean.yaml").read_text(encoding="utf-8"))


def build(data: dict) -> Plan:
    """Validate a plan given as a dict (the dict is not changed)."""
    return parse_plan(yaml.safe_dump(copy.deepcopy(data), allow_unicode=True), source="test.yaml")


def uniform_population(year: int = 2020, heavy: str | None = None) -> pd.DataFrame:
    """A population panel: 1 person in every KZ-2022 region, 2 in ``heavy``, in one year."""
    return pd.DataFrame(
        {
            "region": KZ_2022,
            "year": year,
            "indicator": "population",
            "sector": "TOTAL",
            "value": [2.0 if code == heavy else 1.0 for code in KZ_2022],
            "unit": "persons",
            "flag": "",
        }
    )
