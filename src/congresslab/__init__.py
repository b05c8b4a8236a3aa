"""congresslab: sourced results of Parti socialiste congresses and vote-transfer estimation.

Examples
--------
>>> import congresslab
>>> congresslab.load_results(2023, round=2)["votes"].tolist()
[12020, 11507]
"""

from congresslab import benchmarks, paths, scenarios, simulate
from congresslab.clean import build_data
from congresslab.coverage import rounds, vote_coverage
from congresslab.federations import FEDERATIONS, UnknownFederationError, canonical_code
from congresslab.fedtables import (
    FederationTableError,
    compare_with_national,
    load_federation_table,
    merge_rounds,
)
from congresslab.load import (
    compare_statuses,
    congresses,
    load_federation_summaries,
    load_federations,
    load_results,
    load_turnout,
    load_turnout_conflicts,
)
from congresslab.simulate import SimulatedCongress, realism_report, simulate_congress
from congresslab.transfers import (
    ConvergenceError,
    ConvergenceWarning,
    TransferResults,
    UnitTable,
    estimate,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "paths",
    "benchmarks",
    "scenarios",
    "simulate",
    "estimate",
    "TransferResults",
    "UnitTable",
    "ConvergenceWarning",
    "ConvergenceError",
    "build_data",
    "congresses",
    "rounds",
    "vote_coverage",
    "compare_statuses",
    "load_results",
    "load_turnout",
    "load_turnout_conflicts",
    "load_federations",
    "load_federation_summaries",
    "FEDERATIONS",
    "canonical_code",
    "UnknownFederationError",
    "load_federation_table",
    "compare_with_national",
    "merge_rounds",
    "FederationTableError",
    "simulate_congress",
    "SimulatedCongress",
    "realism_report",
]
