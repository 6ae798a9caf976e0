"""The run manifest: inputs and their hashes, package versions, parameters and outputs.

``manifest.json`` lets anyone check that a set of maps, profiles and tables came from given
data, code and settings. It holds no timestamp, so two identical runs write identical bytes.

Example
-------
>>> m = manifest_dict(parameters={"year": 2023}, inputs=[], outputs=[])
>>> m["schema"], sorted(m)[:3]
('terraplan.manifest/1', ['inputs', 'notes', 'outputs'])
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

SCHEMA = "terraplan.manifest/1"

#: Packages whose versions can change an output.
PACKAGES = (
    "terraplan",
    "numpy",
    "pandas",
    "scipy",
    "shapely",
    "pyproj",
    "geopandas",
    "scikit-learn",
    "libpysal",
    "esda",
    "mapclassify",
    "folium",
    "branca",
    "matplotlib",
    "jinja2",
    "openpyxl",
    "pydantic",
)


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    >>> sha256_bytes(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def file_entries(root: Path, *, prefix: str = "") -> list[dict[str, Any]]:
    """``path, bytes, sha256`` of every file under ``root`` (sorted; hidden files skipped).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("x")
    >>> file_entries(d, prefix="in/")[0]["path"]
    'in/a.txt'
    """
    entries = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        data = path.read_bytes()
        entries.append(
            {"path": prefix + rel.as_posix(), "bytes": len(data), "sha256": sha256_bytes(data)}
        )
    return entries


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the outputs (and Python's).

    >>> "pandas" in package_versions()
    True
    """
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def manifest_dict(
    *,
    parameters: dict[str, Any],
    inputs: list[dict[str, Any]],
    outputs: list[dict[str, Any]],
    notes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Assemble the manifest (schema ``terraplan.manifest/1``)."""
    return {
        "schema": SCHEMA,
        "parameters": parameters,
        "inputs": inputs,
        "packages": package_versions(),
        "outputs": outputs,
        "notes": dict(sorted((notes or {}).items())),
    }


def manifest_json(manifest: dict[str, Any]) -> str:
    """Stable JSON text of a manifest (sorted keys, 2-space indent, trailing newline).

    >>> manifest_json({"b": 1, "a": [2]})
    '{\\n  "a": [\\n    2\\n  ],\\n  "b": 1\\n}\\n'
    """
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
