"""Scripts and styles the interactive maps carry inside the page (nothing from the network).

terraplan ships Leaflet 1.9.4 (BSD-2-Clause, ``report/vendor/leaflet/LICENSE``; taken unchanged
from the npm package ``leaflet@1.9.4``, ``dist/``). :func:`leaflet_inline` returns it as one
``<script>`` and one ``<style>`` element to put in a page's ``<head>``; the style's images are
embedded as ``data:`` URIs, so a page saved alone on a disk, sent by e-mail or opened on a closed
network draws the same map.

Example
-------
>>> head = leaflet_inline()
>>> head.startswith("<style>"), "Leaflet 1.9.4" in head, "url(images/" in head
(True, True, False)
>>> "sourceMappingURL" in head  # no request for a source map either
False
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files

__all__ = ["LEAFLET_VERSION", "leaflet_inline"]

#: Version of the Leaflet files in ``report/vendor/leaflet``.
LEAFLET_VERSION = "1.9.4"

#: Background of the map where no tile layer is drawn (a neutral light grey-blue).
NEUTRAL_BACKGROUND = "#eef1f4"


def _vendor(name: str) -> bytes:
    return files("terraplan.report").joinpath("vendor", "leaflet", name).read_bytes()


def _embed_images(css: str) -> str:
    """Replace ``url(images/x.png)`` in Leaflet's CSS by ``data:`` URIs of the shipped images.

    >>> _embed_images("a{background:url(images/layers.png)}")[:40]
    'a{background:url(data:image/png;base64,i'
    """

    def data_uri(match: re.Match[str]) -> str:
        payload = base64.b64encode(_vendor(f"images/{match.group(1)}")).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    return re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css)


@cache
def leaflet_inline() -> str:
    """Leaflet's CSS (images embedded, neutral background) and JavaScript as inline elements."""
    css = _embed_images(_vendor("leaflet.css").decode("utf-8"))
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", _vendor("leaflet.js").decode("utf-8"))
    background = f".leaflet-container{{background:{NEUTRAL_BACKGROUND}}}"
    # the default marker icon by data: URI too (folium creates every marker with it first)
    icons = ", ".join(
        f"{option}: 'data:image/png;base64,{base64.b64encode(_vendor(f'images/{name}')).decode()}'"
        for option, name in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    )
    default_icon = f"L.Icon.Default.imagePath = ''; L.Icon.Default.mergeOptions({{{icons}}});"
    return f"<style>{css}\n{background}</style>\n<script>{js}\n{default_icon}</script>\n"
