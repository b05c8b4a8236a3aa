"""Validation and margins policies of congresslab.transfers.units."""

import warnings

import numpy as np
import pandas as pd
import pytest

from congresslab.transfers import MarginsError, UnitTable, UnitTableError


def frame(**changes):
    df = pd.DataFrame(
        {
            "fed": ["Ain", "Aisne", "Allier"],
            "A": [60, 20, 50],
            "B": [40, 80, 50],
            "x": [70, 40, 55],
            "y": [30, 60, 45],
        }
    )
    for k, v in changes.items():
        df[k] = v
    return df


def build(df, **kw):
    kw = {"unit": "fed", "origin": ["A", "B"], "destination": ["x", "y"], **kw}
    return UnitTable.from_frame(df, **kw)


def test_valid_table():
    tab = build(frame())
    assert tab.n_units == 3
    assert tab.shape == (2, 2)
    np.testing.assert_array_equal(tab.X.sum(1), tab.T.sum(1))
    assert tab.margins_applied == "none"


def test_prefixed_columns_default():
    df = frame().rename(columns={"A": "r:A", "B": "r:B", "x": "c:x", "y": "c:y"})
    tab = UnitTable.from_frame(df, unit="fed")
    assert tab.origin == ["A", "B"] and tab.destination == ["x", "y"]


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"origin": ["A", "Bogus"]}, "Bogus"),
        ({"destination": ["x", "nope"]}, "nope"),
        ({"unit": "federation"}, "federation"),
        ({"origin": ["A", "B", "x"], "destination": ["x", "y"]}, "both origin and destination"),
        ({"origin": ["A"]}, "at least 2 origin"),
        ({"destination": ["x"]}, "at least 2 destination"),
    ],
)
def test_bad_columns(kw, match):
    with pytest.raises(UnitTableError, match=match):
        build(frame(), **kw)


def test_negative_count_names_column_and_unit():
    with pytest.raises(UnitTableError, match=r"'B', unit 'Aisne': negative count"):
        build(frame(B=[40, -80, 50]))


def test_nan_count_names_column_and_unit():
    with pytest.raises(UnitTableError, match=r"'y', unit 'Allier': missing \(NaN\) count"):
        build(frame(y=[30, 60, np.nan]))


def test_non_numeric_names_column_and_unit():
    with pytest.raises(UnitTableError, match=r"'x', unit 'Ain': '12a' is not a number"):
        build(frame(x=["12a", 40, 55]))


def test_zero_total_unit():
    with pytest.raises(UnitTableError, match=r"zero total.*'Aisne'"):
        build(frame(A=[60, 0, 50], B=[40, 0, 50], x=[70, 0, 55], y=[30, 0, 45]))


def test_duplicate_units():
    with pytest.raises(UnitTableError, match=r"duplicate unit.*'Ain'"):
        build(frame(fed=["Ain", "Ain", "Allier"]))


def test_errors_are_value_errors():
    assert issubclass(UnitTableError, ValueError)
    assert issubclass(MarginsError, UnitTableError)


def test_identical_totals_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build(frame(), margins="auto")


def test_margins_error_names_units():
    with pytest.raises(MarginsError, match=r"'Aisne'"):
        build(frame(x=[70, 41, 55]), margins="error")


def test_margins_rescale():
    tab = build(frame(x=[70, 50, 55]), margins="rescale")
    np.testing.assert_allclose(tab.T.sum(1), tab.X.sum(1))
    assert tab.margins_applied == "rescale"
    # proportions inside the unit are kept
    np.testing.assert_allclose(tab.T[1] / tab.T[1].sum(), np.array([50, 60]) / 110)


def test_margins_auto_small_drift_warns_with_size():
    # Aisne: destination total 102 vs origin 100 -> 2 % drift
    with pytest.warns(UserWarning, match=r"max drift 2\.00 %.*'Aisne'.*total drift 0\.67 %"):
        tab = build(frame(x=[70, 42, 55]))
    assert tab.margins_applied == "rescale"
    assert tab.drift["n_units_differing"] == 1
    np.testing.assert_allclose(tab.T.sum(1), tab.X.sum(1))


def test_margins_auto_large_drift_raises_advising_entry_exit():
    with pytest.raises(MarginsError, match=r"entry_exit") as exc:
        build(frame(x=[70, 70, 55]))
    assert "30.0 %" in str(exc.value) and "'Aisne'" in str(exc.value)


def test_margins_entry_exit():
    # Ain gains 10 (entries), Aisne loses 20 (exits)
    tab = build(frame(x=[80, 20, 55]), margins="entry_exit")
    assert tab.origin == ["A", "B", "_entry"]
    assert tab.destination == ["x", "y", "_exit"]
    np.testing.assert_allclose(tab.X.sum(1), tab.T.sum(1))
    np.testing.assert_allclose(tab.X[:, 2], [10, 0, 0])
    np.testing.assert_allclose(tab.T[:, 2], [0, 20, 0])


def test_unknown_policy():
    with pytest.raises(UnitTableError, match="margins policy"):
        build(frame(), margins="whatever")


def test_from_arrays_shapes():
    with pytest.raises(UnitTableError, match="units"):
        UnitTable.from_arrays(np.ones((3, 2)), np.ones((2, 2)))
    tab = UnitTable.from_arrays([[1, 2], [3, 4]], [[2, 1], [4, 3]], units=["a", "b"])
    assert list(tab.units) == ["a", "b"]


def test_too_few_columns_named_as_given():
    df = pd.DataFrame({"r:a": [1, 2], "c:x": [1, 1], "c:y": [0, 1]})
    with pytest.raises(UnitTableError, match=r"need at least 2 origin columns, got 1: \['r:a'\]"):
        UnitTable.from_frame(df)
