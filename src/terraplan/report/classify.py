"""Classes and legends for maps: the same classification drives web, offline and static maps.

Numeric values are classified with mapclassify (quantiles, Fisher-Jenks, equal interval or user
breaks); missing values get a class of their own, drawn in grey and named in the legend, instead
of being painted with the strongest colour or shifting the breaks. Categories (typology types,
LISA clusters) get one colour each.

Classes include their upper bound: a value equal to a break belongs to the lower class.

Example
-------
>>> import pandas as pd
>>> values = pd.Series([1.0, 2.0, 3.0, 4.0, None], index=["A", "B", "C", "D", "E"])
>>> c = classify(values, scheme="equal_interval", k=3)
>>> c.classes.tolist()
[0, 0, 1, 2, -1]
>>> [item.label for item in c.legend()]
['1.00 – 2.00', '2.00 – 3.00', '3.00 – 4.00', 'No data']
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from terraplan.errors import AnalysisError
from terraplan.report.i18n import number, text

Scheme = Literal["quantiles", "fisher_jenks", "equal_interval", "user"]
SCHEMES: tuple[str, ...] = ("quantiles", "fisher_jenks", "equal_interval", "user")

#: Fill of regions without a value (drawn hatched where the medium allows).
MISSING_COLOR = "#d9d9d9"

#: ColorBrewer YlGnBu, 9 classes (Cynthia Brewer, Apache-2.0); sampled evenly for fewer classes.
SEQUENTIAL = (
    "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4",
    "#1d91c0", "#225ea8", "#253494", "#081d58",
)  # fmt: skip

#: ColorBrewer Set2 + Dark2 (Apache-2.0): distinct colours for categories.
QUALITATIVE = (
    "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494",
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
)  # fmt: skip


@dataclass(frozen=True)
class LegendItem:
    """One row of a legend: colour, label, whether it is the missing class, number of regions.

    >>> LegendItem("#d9d9d9", "No data", missing=True, count=2).count
    2
    """

    color: str
    label: str
    missing: bool = False
    count: int = 0


@dataclass(frozen=True)
class Classification:
    """Class of every region, the colours and the legend labels.

    ``classes`` is aligned with the input (``-1`` = missing); ``colors[i]`` and ``labels[i]``
    describe class ``i``.

    >>> import pandas as pd
    >>> classify(pd.Series([1.0, 3.0]), k=2).labels
    ('1.00 – 2.00', '2.00 – 3.00')
    """

    classes: pd.Series
    colors: tuple[str, ...]
    labels: tuple[str, ...]
    scheme: str
    bins: tuple[float, ...] = ()
    lang: str = "en"
    warnings: tuple[str, ...] = field(default=())

    def color_of(self) -> pd.Series:
        """Fill colour of every region (``MISSING_COLOR`` where the value is missing).

        >>> import pandas as pd
        >>> classify(pd.Series([1.0, None]), k=1).color_of().tolist()
        ['#7fcdbb', '#d9d9d9']
        """
        lookup = np.array([*self.colors, MISSING_COLOR], dtype=object)
        return pd.Series(lookup[self.classes.to_numpy()], index=self.classes.index)

    def label_of(self) -> pd.Series:
        """Legend label of every region's class (the missing label where there is no value).

        >>> import pandas as pd
        >>> classify(pd.Series(["b", "a"]), scheme="categorical").label_of().tolist()
        ['b', 'a']
        """
        lookup = np.array([*self.labels, text("no_data", self.lang)], dtype=object)
        return pd.Series(lookup[self.classes.to_numpy()], index=self.classes.index)

    def legend(self, *, include_missing: bool | None = None) -> list[LegendItem]:
        """Legend rows with the number of regions in each class; the missing class is listed
        when some region has no value (or if asked).

        >>> import pandas as pd
        >>> [i.label for i in classify(pd.Series([1.0, 2.0]), k=2).legend()]
        ['1.00 – 1.50', '1.50 – 2.00']
        """
        counts = np.bincount(self.classes.to_numpy() + 1, minlength=len(self.colors) + 1)
        items = [
            LegendItem(c, lab, count=int(n))
            for c, lab, n in zip(self.colors, self.labels, counts[1:], strict=True)
        ]
        if include_missing is None:
            include_missing = bool(counts[0])
        if include_missing:
            items.append(
                LegendItem(MISSING_COLOR, text("no_data", self.lang), True, int(counts[0]))
            )
        return items


def format_number(value: float, decimals: int, lang: str = "en") -> str:
    """Format a number for people with Babel: ``1,234.5`` in English, ``1 234,5`` in Russian and
    Kazakh (no-break space between thousands, as CLDR prescribes).

    >>> format_number(1234.5, 1), format_number(1234.5, 1, "ru")
    ('1,234.5', '1\\xa0234,5')
    >>> format_number(float("nan"), 2)
    '–'
    """
    return number(value, decimals, lang)


def decimals_for(values: np.ndarray) -> int:
    """Decimals that keep neighbouring breaks apart: fewer for large numbers, more for small.

    >>> decimals_for(np.array([1200.0, 56000.0])), decimals_for(np.array([0.8, 1.7]))
    (0, 2)
    """
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return 0
    magnitude = float(finite.max())
    if magnitude >= 1000:
        return 0
    if magnitude >= 100:
        return 1
    return 2


def _palette(k: int, colors: tuple[str, ...]) -> tuple[str, ...]:
    if k <= 0:
        return ()
    if k == 1:
        return (colors[len(colors) // 2 - 1],)
    idx = np.round(np.linspace(0, len(colors) - 1, k)).astype(int)
    return tuple(colors[i] for i in idx)


def classify(
    values: pd.Series,
    *,
    scheme: str = "quantiles",
    k: int = 5,
    bins: list[float] | None = None,
    lang: str = "en",
    decimals: int | None = None,
    categories: list[str] | None = None,
    colors: dict[str, str] | None = None,
) -> Classification:
    """Classify ``values`` (numeric schemes, or ``scheme="categorical"`` for labels).

    Missing values (NaN/None) are left out of the breaks and get class ``-1``. When ``k`` is
    larger than the number of distinct values, fewer classes are made and a warning says so.
    ``categories`` fixes the order of categorical classes; ``colors`` maps a category to its
    colour (e.g. the conventional LISA colours).

    >>> import pandas as pd
    >>> c = classify(pd.Series([5.0, 1.0, 9.0]), scheme="user", bins=[2, 6])
    >>> c.classes.tolist(), c.labels
    ([1, 0, 2], ('1.00 – 2.00', '2.00 – 6.00', '6.00 – 9.00'))
    """
    if scheme == "categorical":
        return _categorical(values, categories=categories, colors=colors, lang=lang)
    if scheme not in SCHEMES:
        raise AnalysisError(
            f"unknown classification scheme {scheme!r}; use one of "
            f"{', '.join(SCHEMES)} or 'categorical'"
        )
    numeric = pd.to_numeric(values, errors="coerce").astype(float)
    y = numeric.to_numpy()
    present = np.isfinite(y)
    notes: list[str] = []
    classes = np.full(y.shape, -1, dtype=int)
    if not present.any():
        empty = pd.Series(classes, index=values.index, name="class")
        return Classification(empty, (), (), scheme, (), lang)
    yp = y[present]
    n_unique = int(np.unique(yp).size)
    if scheme == "user":
        if not bins:
            raise AnalysisError("scheme 'user' needs bins, e.g. bins=[1, 2, 5]")
        edges = np.asarray(sorted(float(b) for b in bins), dtype=float)
        if edges[-1] < yp.max():
            edges = np.append(edges, yp.max())
    else:
        if k < 1:
            raise AnalysisError(f"k must be at least 1, got {k}")
        if k > n_unique:
            notes.append(text("k_reduced", lang, k=k, n=n_unique))
            warnings.warn(notes[-1], UserWarning, stacklevel=2)
            k = n_unique
        edges = _breaks(yp, scheme, k)
    cls = np.searchsorted(edges, yp, side="left")
    classes[present] = np.minimum(cls, len(edges) - 1)
    dec = decimals_for(yp) if decimals is None else decimals
    lows = np.concatenate([[yp.min()], edges[:-1]])
    labels = tuple(
        f"{format_number(lo, dec, lang)} – {format_number(hi, dec, lang)}"
        for lo, hi in zip(lows, edges, strict=True)
    )
    return Classification(
        pd.Series(classes, index=values.index, name="class"),
        _palette(len(edges), SEQUENTIAL),
        labels,
        scheme,
        tuple(float(e) for e in edges),
        lang,
        tuple(notes),
    )


def _breaks(y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    import mapclassify

    if k == 1:
        return np.array([y.max()])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba hint, k reduction already reported above
        if scheme == "quantiles":
            result = mapclassify.Quantiles(y, k=k)
        elif scheme == "fisher_jenks":
            result = mapclassify.FisherJenks(y, k=k)
        else:
            result = mapclassify.EqualInterval(y, k=k)
    return np.asarray(result.bins, dtype=float)


def _categorical(
    values: pd.Series,
    *,
    categories: list[str] | None,
    colors: dict[str, str] | None,
    lang: str,
) -> Classification:
    present = values.notna()
    found = sorted({str(v) for v in values[present]})
    order = list(categories) if categories is not None else found
    unknown = sorted(set(found) - set(order))
    if unknown:
        raise AnalysisError(
            f"categories {unknown} are not in the given category order {order}; add them"
        )
    position = {cat: i for i, cat in enumerate(order)}
    classes = values[present].astype(str).map(position).reindex(values.index).fillna(-1)
    palette = _palette_qualitative(len(order))
    chosen = tuple((colors or {}).get(cat, palette[i]) for i, cat in enumerate(order))
    return Classification(
        classes.astype(int).rename("class"),
        chosen,
        tuple(order),
        "categorical",
        (),
        lang,
    )


def _palette_qualitative(k: int) -> tuple[str, ...]:
    return tuple(QUALITATIVE[i % len(QUALITATIVE)] for i in range(k))
