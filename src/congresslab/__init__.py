"""congresslab: sourced results of party congresses and vote-transfer estimation.

Public names are imported when first used (the command line starts fast); the layout:

* :mod:`congresslab.data` — raw sources, cleaning, loaders, federation tables;
* :mod:`congresslab.transfers` — the transfer engine (:func:`estimate`);
* :mod:`congresslab.sim` — SIMULATED congresses with a known truth;
* :mod:`congresslab.runoffs` — national arithmetic of any two-round vote (any party);
* :mod:`congresslab.scenarios`, :mod:`congresslab.figures`, :mod:`congresslab.report`;
* :mod:`congresslab.cli` — the ``congresslab`` command; :mod:`congresslab.errors`.

Examples
--------
>>> import congresslab
>>> congresslab.load_results(2023, round=2)["votes"].tolist()
[12020, 11507]
"""

from congresslab._lazy import lazy_attributes

__version__ = "0.1.0"

_WHERE = {
    "paths": "congresslab.paths",
    "benchmarks": "congresslab.benchmarks",
    "scenarios": "congresslab.scenarios",
    "runoffs": "congresslab.runoffs",
    "sim": "congresslab.sim",
    "estimate": "congresslab.transfers",
    "TransferResults": "congresslab.transfers",
    "UnitTable": "congresslab.transfers",
    "ConvergenceWarning": "congresslab.errors",
    "ConvergenceError": "congresslab.errors",
    "build_data": "congresslab.data.clean",
    "congresses": "congresslab.data.load",
    "rounds": "congresslab.data.coverage",
    "vote_coverage": "congresslab.data.coverage",
    "compare_statuses": "congresslab.data.load",
    "load_results": "congresslab.data.load",
    "load_turnout": "congresslab.data.load",
    "load_turnout_conflicts": "congresslab.data.load",
    "load_federations": "congresslab.data.load",
    "load_federation_summaries": "congresslab.data.load",
    "FEDERATIONS": "congresslab.data.federations",
    "canonical_code": "congresslab.data.federations",
    "UnknownFederationError": "congresslab.errors",
    "load_federation_table": "congresslab.data.fedtables",
    "compare_with_national": "congresslab.data.fedtables",
    "merge_rounds": "congresslab.data.fedtables",
    "FederationTableError": "congresslab.errors",
    "simulate_congress": "congresslab.sim",
    "SimulatedCongress": "congresslab.sim",
    "realism_report": "congresslab.sim",
}

__all__ = ["__version__", *_WHERE]

__getattr__, __dir__ = lazy_attributes(__name__, _WHERE)
