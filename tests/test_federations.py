"""Tests of the canonical federation list and name matching."""

import pytest

from congresslab.data.federations import (
    FEDERATIONS,
    UnknownFederationError,
    canonical_code,
    federation_name,
)


def test_list_complete_and_unique():
    assert FEDERATIONS["code"].is_unique
    assert FEDERATIONS["name"].is_unique
    kinds = FEDERATIONS["kind"].value_counts().to_dict()
    assert kinds["metropolitan"] == 96
    assert kinds["overseas"] == 5
    assert kinds["abroad"] == 1
    assert {"2A", "2B", "971", "976", "FFE", "75", "01", "95"} <= set(FEDERATIONS["code"])
    assert "20" not in set(FEDERATIONS["code"])


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (1, "01"),
        ("1", "01"),
        ("01", "01"),
        (" 1 ", "01"),
        (1.0, "01"),
        (75, "75"),
        ("2a", "2A"),
        ("2B", "2B"),
        ("02B", "2B"),
        (974, "974"),
        ("Paris", "75"),
        ("PARIS", "75"),
        ("Fédération de Paris", "75"),
        ("Fédération du Nord", "59"),
        ("fédération de l'Ain", "01"),
        ("Fédération des Bouches-du-Rhône", "13"),
        ("bouches du rhone", "13"),
        ("Cote d'Or", "21"),
        ("Côte-d’Or", "21"),
        ("Puy de Dome", "63"),
        ("Seine Saint Denis", "93"),
        ("La Réunion", "974"),
        ("Reunion", "974"),
        ("Corse-du-Sud", "2A"),
        ("Haute Corse", "2B"),
        ("Territoire de Belfort", "90"),
        ("FFE", "FFE"),
        ("Français de l'étranger", "FFE"),
        ("Nouvelle-Calédonie", "988"),
        ("Loire", "42"),
        ("Haute-Loire", "43"),
    ],
)
def test_canonical_code(given, code):
    assert canonical_code(given) == code


@pytest.mark.parametrize("bad", ["Atlantide", "00", 0, 99, "20", "2C", 1.5, "", True])
def test_unknown_raises_value_error(bad):
    with pytest.raises(UnknownFederationError):
        canonical_code(bad)
    assert issubclass(UnknownFederationError, ValueError)


def test_unknown_suggests_closest():
    with pytest.raises(UnknownFederationError, match="did you mean Gironde") as err:
        canonical_code("Gironed")
    assert "33" in err.value.suggestions


def test_federation_name():
    assert federation_name("2a") == "Corse-du-Sud"
    assert federation_name(59) == "Nord"
