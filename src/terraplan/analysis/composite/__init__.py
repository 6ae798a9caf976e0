"""Composite indices of regional development, after the JRC/OECD handbook (and COINr).

Modules: :mod:`.inputs` (framework panel), :mod:`.treat` (screening, imputation, outliers),
:mod:`.normalise`, :mod:`.weights`, :mod:`.aggregate`, :mod:`.index` (the pipeline),
:mod:`.audit` (statistical coherence), :mod:`.sobol` and :mod:`.sensitivity` (uncertainty and
sensitivity analysis), :mod:`.units` (strengths, trends, peers per unit).
"""
