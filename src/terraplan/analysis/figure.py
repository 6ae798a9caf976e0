"""A matplotlib figure that shows itself in Jupyter and saves the same bytes every time.

terraplan draws with matplotlib's object API on the Agg canvas (no pyplot, no global state), so
a figure it returns is not known to ``%matplotlib inline``. :class:`ChartFigure` carries its own
``_repr_png_``: the last expression of a notebook cell displays it, with or without the inline
backend. :func:`figure_bytes` writes PNG or SVG without dates or random ids.

Example
-------
>>> fig = new_figure((3, 2))
>>> _ = fig.add_subplot().plot([1, 2], [3, 4])
>>> fig._repr_png_()[:4], figure_bytes(fig, "svg") == figure_bytes(fig, "svg")
(b'\\x89PNG', True)
"""

from __future__ import annotations

import io

from terraplan.errors import OutputError

FORMATS = ("png", "svg")


def _figure_class():
    from matplotlib.figure import Figure

    class ChartFigure(Figure):
        """A :class:`matplotlib.figure.Figure` that Jupyter displays as a PNG."""

        def _repr_png_(self) -> bytes:
            return figure_bytes(self, "png", dpi=100)

    return ChartFigure


def new_figure(size: tuple[float, float], **kwargs):
    """A new :class:`ChartFigure` of ``size`` inches on the Agg canvas (``layout`` etc. passed on).

    >>> type(new_figure((2, 2))).__name__
    'ChartFigure'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=size, **kwargs)
    FigureCanvasAgg(fig)
    return fig


def figure_bytes(fig, fmt: str = "svg", *, dpi: int = 150, text_as_paths: bool = False) -> bytes:
    """The bytes of ``fig`` as PNG or SVG, identical for identical figures.

    SVG keeps its text as text (small, searchable, the page's font) unless ``text_as_paths``;
    ids come from a fixed salt and no date is written.

    >>> fig = new_figure((2, 2))
    >>> b"<text" in figure_bytes(fig, "svg") or b"<svg" in figure_bytes(fig, "svg")
    True
    """
    import matplotlib

    if fmt not in FORMATS:
        raise OutputError(f"unknown chart format {fmt!r}; use one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    rc = {"svg.hashsalt": "terraplan", "svg.fonttype": "path" if text_as_paths else "none"}
    with matplotlib.rc_context(rc):
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=dpi)
    return buffer.getvalue()
