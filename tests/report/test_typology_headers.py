"""Regression (issue 10): the typology tables name logged features for what they hold."""

import numpy as np


def test_typology_sheet_shows_log_values_under_a_log_header(analysis):
    typology = analysis.tables["typology"]
    assert "grp_per_capita" not in typology.columns
    assert "log_grp_per_capita" in typology.columns
    assert "log_investment_per_capita" in typology.columns
    panel = analysis.panel
    pc = panel[(panel["indicator"] == "grp_per_capita") & (panel["year"] == analysis.year)]
    by_region = pc.set_index("region")["value"]
    logged = typology.set_index("region")["log_grp_per_capita"]
    # log of GRP per capita (million KZT / persons), not of the thousand-KZT derived indicator
    ratio = np.exp(logged) * 1000.0 / by_region.reindex(logged.index)
    assert np.allclose(ratio, 1.0, rtol=1e-3)
    assert "log_grp_per_capita" in analysis.tables["types"].columns
