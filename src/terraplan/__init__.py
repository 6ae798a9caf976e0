"""terraplan: the analytical backbone of a Territorial Development Plan.

The public API is re-exported here and imported lazily, so ``import terraplan`` and
``terraplan --help`` stay fast (no geopandas or scikit-learn until a function needs them).

Example
-------
>>> import terraplan
>>> report = terraplan.match_regions(["Karaganda", "г.Астана", "KZ-75"])
>>> list(report.codes)
['KZ-35', 'KZ-71', 'KZ-75']
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "TerraplanError": "terraplan.errors",
    "RegionMatchError": "terraplan.errors",
    # territory
    "regions": "terraplan.territory.registry",
    "get_region": "terraplan.territory.names",
    "layout_regions": "terraplan.territory.registry",
    "match_regions": "terraplan.territory.names",
    "MatchReport": "terraplan.territory.names",
    "boundaries": "terraplan.territory.boundaries",
    "harmonize": "terraplan.data.harmonize",
    "detect_layout": "terraplan.data.harmonize",
    "spatial_weights": "terraplan.territory.weights",
    # data
    "read_table": "terraplan.data.readers",
    "read_workbook": "terraplan.data.readers",
    "validate_panel": "terraplan.data.panel",
    "indicator_catalog": "terraplan.data.catalog",
    "join": "terraplan.data.join",
    "JoinReport": "terraplan.data.join",
    # analysis
    "location_quotient": "terraplan.analysis.specialization",
    "specialization_indices": "terraplan.analysis.specialization",
    "concentration_indices": "terraplan.analysis.specialization",
    "sector_matrix": "terraplan.analysis.matrices",
    "AdvantageRule": "terraplan.analysis.advantages",
    "plot_portfolio": "terraplan.analysis.portfolio",
    "shift_share": "terraplan.analysis.shiftshare",
    "portfolio": "terraplan.analysis.portfolio",
    "advantages": "terraplan.analysis.advantages",
    "Typology": "terraplan.analysis.typology",
    "moran": "terraplan.analysis.spatial",
    "lisa": "terraplan.analysis.spatial",
    "regionalize": "terraplan.analysis.regionalize",
    "peers": "terraplan.analysis.peers",
    "zonal_stats": "terraplan.analysis.zonal",
    "zonal_panel": "terraplan.analysis.zonal",
    "forecast": "terraplan.analysis.forecast",
    "backtest": "terraplan.analysis.forecast",
    "Forecast": "terraplan.analysis.forecast",
    # districts
    "districts": "terraplan.territory.districts",
    "district_boundaries": "terraplan.territory.districts",
    "district_weights": "terraplan.territory.districts",
    "match_districts": "terraplan.territory.district_names",
    "district_panel": "terraplan.data.districts",
    "harmonize_districts": "terraplan.data.districts",
    "aggregate_districts": "terraplan.data.districts",
    "join_districts": "terraplan.data.districts",
    "macro_zones": "terraplan.analysis.districts",
    "district_map": "terraplan.report.district_maps",
    "opportunities": "terraplan.analysis.opportunities",
    "opportunity_table": "terraplan.analysis.opportunities",
    "complexity": "terraplan.analysis.complexity",
    "relatedness_backtest": "terraplan.analysis.backtest",
    "proximity": "terraplan.analysis.relatedness",
    "density": "terraplan.analysis.relatedness",
    "entries_exits": "terraplan.analysis.relatedness",
    "load_framework": "terraplan.data.framework",
    "framework_from_dict": "terraplan.data.framework",
    "framework_panel": "terraplan.analysis.composite.inputs",
    "build_index": "terraplan.analysis.composite.index",
    "audit": "terraplan.analysis.composite.audit",
    "uncertainty": "terraplan.analysis.composite.sensitivity",
    "sobol_indices": "terraplan.analysis.composite.sobol",
    "composite_tables": "terraplan.analysis.composite.summary",
    # planning
    "load_plan": "terraplan.plan.model",
    "check_plan": "terraplan.plan.checks",
    "monitor": "terraplan.plan.monitor",
    "cascade": "terraplan.plan.cascade",
    # report
    "build": "terraplan.report.build",
    "map": "terraplan.report.explore",
    "compare_page": "terraplan.report.compare",
}

_SUBMODULES = {"datasets": "terraplan.datasets"}

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(_SUBMODULES[name])
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'terraplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
