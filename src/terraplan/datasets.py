"""Bundled datasets, as ``terraplan.datasets.kazakhstan`` (see :mod:`terraplan.data.datasets`).

Example
-------
>>> from terraplan.datasets import kazakhstan
>>> "gva" in kazakhstan.indicators()["id"].tolist()
True
"""

from terraplan.data.datasets import kazakhstan

__all__ = ["kazakhstan"]
