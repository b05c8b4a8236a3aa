"""Canonical list of the Parti socialiste federations and name matching.

The PS is organised in federations that follow the French départements (codes
``01``-``95`` with ``2A``/``2B`` for Corsica, ``971``-``976`` overseas), plus a few
overseas collectivities and the federation of the *Français de l'étranger*
(``FFE``, members living abroad).

Examples
--------
>>> from congresslab.data.federations import FEDERATIONS, canonical_code
>>> canonical_code("Fédération de la Haute-Corse")
'2B'
>>> int((FEDERATIONS["kind"] != "collectivity").sum())
102
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from congresslab.errors import UnknownFederationError

__all__ = [
    "FEDERATIONS",
    "UnknownFederationError",
    "canonical_code",
    "federation_name",
    "normalize_name",
]

_DEPARTEMENTS: list[tuple[str, str]] = [
    ("01", "Ain"), ("02", "Aisne"), ("03", "Allier"), ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"), ("06", "Alpes-Maritimes"), ("07", "Ardèche"), ("08", "Ardennes"),
    ("09", "Ariège"), ("10", "Aube"), ("11", "Aude"), ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"), ("14", "Calvados"), ("15", "Cantal"), ("16", "Charente"),
    ("17", "Charente-Maritime"), ("18", "Cher"), ("19", "Corrèze"), ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"), ("21", "Côte-d'Or"), ("22", "Côtes-d'Armor"), ("23", "Creuse"),
    ("24", "Dordogne"), ("25", "Doubs"), ("26", "Drôme"), ("27", "Eure"),
    ("28", "Eure-et-Loir"), ("29", "Finistère"), ("30", "Gard"), ("31", "Haute-Garonne"),
    ("32", "Gers"), ("33", "Gironde"), ("34", "Hérault"), ("35", "Ille-et-Vilaine"),
    ("36", "Indre"), ("37", "Indre-et-Loire"), ("38", "Isère"), ("39", "Jura"),
    ("40", "Landes"), ("41", "Loir-et-Cher"), ("42", "Loire"), ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"), ("45", "Loiret"), ("46", "Lot"), ("47", "Lot-et-Garonne"),
    ("48", "Lozère"), ("49", "Maine-et-Loire"), ("50", "Manche"), ("51", "Marne"),
    ("52", "Haute-Marne"), ("53", "Mayenne"), ("54", "Meurthe-et-Moselle"), ("55", "Meuse"),
    ("56", "Morbihan"), ("57", "Moselle"), ("58", "Nièvre"), ("59", "Nord"),
    ("60", "Oise"), ("61", "Orne"), ("62", "Pas-de-Calais"), ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"), ("65", "Hautes-Pyrénées"), ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"), ("68", "Haut-Rhin"), ("69", "Rhône"), ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"), ("72", "Sarthe"), ("73", "Savoie"), ("74", "Haute-Savoie"),
    ("75", "Paris"), ("76", "Seine-Maritime"), ("77", "Seine-et-Marne"), ("78", "Yvelines"),
    ("79", "Deux-Sèvres"), ("80", "Somme"), ("81", "Tarn"), ("82", "Tarn-et-Garonne"),
    ("83", "Var"), ("84", "Vaucluse"), ("85", "Vendée"), ("86", "Vienne"),
    ("87", "Haute-Vienne"), ("88", "Vosges"), ("89", "Yonne"), ("90", "Territoire de Belfort"),
    ("91", "Essonne"), ("92", "Hauts-de-Seine"), ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"), ("95", "Val-d'Oise"),
]  # fmt: skip

_OVERSEAS: list[tuple[str, str]] = [
    ("971", "Guadeloupe"), ("972", "Martinique"), ("973", "Guyane"),
    ("974", "La Réunion"), ("976", "Mayotte"),
]  # fmt: skip

#: Overseas collectivities with a PS federation (kind ``"collectivity"``).
_COLLECTIVITIES: list[tuple[str, str]] = [
    ("975", "Saint-Pierre-et-Miquelon"), ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
]  # fmt: skip

_ABROAD: list[tuple[str, str]] = [("FFE", "Français de l'étranger")]

FEDERATIONS: pd.DataFrame = pd.DataFrame(
    [(c, n, "metropolitan") for c, n in _DEPARTEMENTS]
    + [(c, n, "overseas") for c, n in _OVERSEAS]
    + [(c, n, "collectivity") for c, n in _COLLECTIVITIES]
    + [(c, n, "abroad") for c, n in _ABROAD],
    columns=["code", "name", "kind"],
)
"""One row per PS federation: ``code`` (str), ``name`` (official French name) and
``kind`` (``metropolitan`` = the 96 metropolitan départements, ``overseas`` = the five
overseas départements, ``collectivity`` = overseas collectivities with a federation,
``abroad`` = FFE)."""

# Extra spellings people use (normalised form -> code).
_ALIASES: dict[str, str] = {
    "reunion": "974",
    "la reunion": "974",
    "ile de la reunion": "974",
    "corse du sud": "2A",
    "haute corse": "2B",
    "polynesie": "987",
    "tahiti": "987",
    "nouvelle caledonie": "988",
    "belfort": "90",
    "francais de l etranger": "FFE",
    "francais a l etranger": "FFE",
    "federation des francais de l etranger": "FFE",
    "ffe": "FFE",
    "etranger": "FFE",
    "guyane francaise": "973",
    "saint pierre et miquelon": "975",
    "spm": "975",
}

_PREFIX = re.compile(
    r"^(?:federation|fede|fed)\s+(?:(?:de la|de l|des|du|de|d)\s+)?|^(?:la|le|les|l)\s+"
)


def normalize_name(text: str) -> str:
    """Normalise a federation name for matching.

    Lower case, accents removed, hyphens, apostrophes and repeated spaces collapsed to
    one space, and a leading ``"Fédération de ..."`` or article dropped.

    Parameters
    ----------
    text : str
        A federation or département name as written by a user or a press release.

    Returns
    -------
    str
        The normalised key.

    Examples
    --------
    >>> normalize_name("Fédération de la Côte-d'Or")
    'cote d or'
    >>> normalize_name("  PUY  de  DÔME ")
    'puy de dome'
    """
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[’'`´\-_.,/]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = _PREFIX.sub("", s).strip()
    return s


_BY_NAME: dict[str, str] = {normalize_name(n): c for c, n in FEDERATIONS[["code", "name"]].values}
_BY_NAME.update(_ALIASES)
_BY_COMPACT: dict[str, str] = {k.replace(" ", ""): c for k, c in _BY_NAME.items()}
_CODES: set[str] = set(FEDERATIONS["code"])
_NAMES: dict[str, str] = dict(zip(FEDERATIONS["code"], FEDERATIONS["name"], strict=True))


def _suggest(key: str) -> list[str]:
    names = list(_BY_NAME)
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    seen: list[str] = []
    for name in close:
        code = _BY_NAME[name]
        if code not in seen:
            seen.append(code)
    return seen


def canonical_code(name_or_number: str | int) -> str:
    """Return the canonical federation code for a name or a département number.

    Parameters
    ----------
    name_or_number : str or int
        A département number (``1``, ``"1"``, ``"01"``, ``"2a"``, ``974``), a name with or
        without accents, hyphens or capitals (``"Cote d'Or"``), optionally prefixed by
        ``"Fédération de"``, or ``"FFE"`` / ``"Français de l'étranger"``.

    Returns
    -------
    str
        The code as in ``FEDERATIONS["code"]``: two digits for metropolitan
        départements, ``"2A"``/``"2B"``, three digits overseas, ``"FFE"`` abroad.

    Raises
    ------
    UnknownFederationError
        If nothing matches; the message suggests the closest names.

    Examples
    --------
    >>> canonical_code(1), canonical_code("01"), canonical_code("1")
    ('01', '01', '01')
    >>> canonical_code("2a"), canonical_code("Corse du Sud")
    ('2A', '2A')
    >>> canonical_code("fédération du NORD")
    '59'
    >>> canonical_code("Francais de l'etranger")
    'FFE'
    >>> canonical_code("Cote-dOr")
    '21'
    >>> canonical_code("Pariss")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    congresslab.errors.UnknownFederationError: unknown federation 'Pariss'; did you mean ...
    """
    if isinstance(name_or_number, bool) or name_or_number is None:
        raise UnknownFederationError(f"unknown federation {name_or_number!r}")
    if isinstance(name_or_number, int | float):
        if isinstance(name_or_number, float) and not name_or_number.is_integer():
            raise UnknownFederationError(f"unknown federation {name_or_number!r}")
        raw = str(int(name_or_number))
    else:
        raw = str(name_or_number).strip()
    token = raw.upper().replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", token):
        token = token.split(".")[0]
        token = token.lstrip("0") or "0"
        if len(token) == 1:
            token = "0" + token
    elif re.fullmatch(r"0?2[AB]", token):
        token = token[-2:]
    if token in _CODES:
        return token
    key = normalize_name(raw)
    if key in _BY_NAME:
        return _BY_NAME[key]
    if key.replace(" ", "") in _BY_COMPACT:
        return _BY_COMPACT[key.replace(" ", "")]
    suggestions = _suggest(key)
    hint = ""
    if suggestions:
        hint = "; did you mean " + " or ".join(f"{_NAMES[c]} ({c})" for c in suggestions) + "?"
    raise UnknownFederationError(f"unknown federation {raw!r}{hint}", suggestions)


def federation_name(code: str | int) -> str:
    """Return the official name of a federation.

    Parameters
    ----------
    code : str or int
        Anything :func:`canonical_code` accepts.

    Returns
    -------
    str
        The name as in ``FEDERATIONS["name"]``.

    Examples
    --------
    >>> federation_name(75)
    'Paris'
    >>> federation_name("2b")
    'Haute-Corse'
    """
    return _NAMES[canonical_code(code)]
