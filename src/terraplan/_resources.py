"""Where the bundled data lives, in an editable install and in an installed wheel.

The wheel carries ``data/regions`` as ``terraplan/_data/regions`` (see ``pyproject.toml``,
``force-include``). An editable install or a source checkout reads ``data/regions`` at the top
of the repository.

Example
-------
>>> from terraplan._resources import data_dir
>>> (data_dir() / "registry.csv").is_file()
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from terraplan.errors import TerraplanError


@cache
def data_dir() -> Path:
    """Return the folder that holds the bundled ``regions`` data."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "regions", here.parents[1] / "data" / "regions"):
        if (candidate / "registry.csv").is_file():
            return candidate
    raise TerraplanError(
        "terraplan's bundled data was not found (looked in terraplan/_data/regions and "
        "data/regions). Reinstall the package: pip install --force-reinstall terraplan"
    )
