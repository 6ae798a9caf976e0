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
    # report
    "build": "terraplan.report.build",
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
