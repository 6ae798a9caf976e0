"""Classification and legends: known breaks, missing values, k reduction, categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terraplan.errors import AnalysisError
from terraplan.report.classify import MISSING_COLOR, classify, format_number


def test_equal_interval_known_breaks_and_upper_bound_inclusive():
    # 0..10 in 5 equal classes: breaks 2, 4, 6, 8, 10; a value on a break joins the lower class
    values = pd.Series([0.0, 2.0, 2.5, 4.0, 10.0], index=list("ABCDE"))
    c = classify(values, scheme="equal_interval", k=5)
    assert c.bins == (2.0, 4.0, 6.0, 8.0, 10.0)
    assert c.classes.tolist() == [0, 0, 1, 1, 4]
    assert c.labels[0] == "0.00 – 2.00"


def test_user_breaks_add_the_maximum_as_last_bound():
    values = pd.Series([1.0, 5.0, 12.0])
    c = classify(values, scheme="user", bins=[2, 10])
    assert c.bins == (2.0, 10.0, 12.0)
    assert c.classes.tolist() == [0, 1, 2]


def test_quantiles_of_twenty_values_put_four_in_each_class():
    values = pd.Series(np.arange(20, dtype=float))
    c = classify(values, scheme="quantiles", k=5)
    assert np.bincount(c.classes.to_numpy()).tolist() == [4, 4, 4, 4, 4]


def test_fisher_jenks_separates_two_obvious_groups():
    values = pd.Series([1.0, 1.1, 1.2, 9.0, 9.1, 9.2])
    c = classify(values, scheme="fisher_jenks", k=2)
    assert c.classes.tolist() == [0, 0, 0, 1, 1, 1]


def test_missing_values_get_their_own_class_and_do_not_move_the_breaks():
    with_nan = pd.Series([1.0, 2.0, np.nan, 3.0, 4.0])
    without = with_nan.dropna()
    a = classify(with_nan, scheme="quantiles", k=2)
    b = classify(without, scheme="quantiles", k=2)
    assert a.bins == b.bins
    assert a.classes.tolist()[2] == -1
    assert a.color_of().tolist()[2] == MISSING_COLOR
    legend = a.legend()
    assert legend[-1].missing and legend[-1].label == "No data"
    assert not b.legend()[-1].missing  # no missing class when nothing is missing


def test_missing_label_follows_language():
    c = classify(pd.Series([1.0, np.nan]), k=1, lang="kk")
    assert c.legend()[-1].label == "Деректер жоқ"


def test_k_above_distinct_values_warns_and_reduces():
    with pytest.warns(UserWarning, match="k=5 is more than the 2 distinct values"):
        c = classify(pd.Series([1.0, 1.0, 2.0, 2.0]), k=5)
    assert len(c.labels) == 2
    assert c.warnings


def test_all_missing_gives_no_classes():
    c = classify(pd.Series([np.nan, np.nan]), k=3)
    assert c.labels == () and c.classes.tolist() == [-1, -1]


def test_unknown_scheme_and_missing_bins_are_errors():
    with pytest.raises(AnalysisError, match="unknown classification scheme"):
        classify(pd.Series([1.0]), scheme="natural")
    with pytest.raises(AnalysisError, match="needs bins"):
        classify(pd.Series([1.0]), scheme="user")


def test_categorical_order_colours_and_unknown_category():
    labels = pd.Series(["HH", None, "LL"], index=["a", "b", "c"])
    c = classify(labels, scheme="categorical", categories=["LL", "HH"], colors={"HH": "#ff0000"})
    assert c.classes.tolist() == [1, -1, 0]
    assert c.colors[1] == "#ff0000"
    with pytest.raises(AnalysisError, match="not in the given category order"):
        classify(labels, scheme="categorical", categories=["HH"])


def test_number_format_by_language():
    assert format_number(1234567.891, 2) == "1,234,567.89"
    assert format_number(1234567.891, 2, "ru") == "1\xa0234\xa0567,89"  # CLDR no-break space
    assert format_number(-0.5, 1, "kk") == "-0,5"


@settings(max_examples=40)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=7),
    st.sampled_from(["quantiles", "equal_interval", "fisher_jenks"]),
)
def test_classes_are_monotone_in_the_value(values, k, scheme):
    # invariance: a larger value never falls in a lower class; every class index is valid
    series = pd.Series(values)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = classify(series, scheme=scheme, k=k)
    order = np.argsort(series.to_numpy(), kind="stable")
    assert np.all(np.diff(c.classes.to_numpy()[order]) >= 0)
    assert c.classes.min() >= 0 and c.classes.max() < len(c.labels)
    assert len(c.colors) == len(c.labels)
