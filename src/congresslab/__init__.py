"""congresslab: sourced results of Parti socialiste congresses and vote-transfer estimation.

Examples
--------
>>> import congresslab
>>> congresslab.load_results(2023, round=2)["votes"].tolist()
[12020, 11507]
"""

from congresslab import paths
from congresslab.clean import build_data
from congresslab.load import (
    compare_statuses,
    congresses,
    load_federation_summaries,
    load_federations,
    load_results,
    load_turnout,
    load_turnout_conflicts,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "paths",
    "build_data",
    "congresses",
    "compare_statuses",
    "load_results",
    "load_turnout",
    "load_turnout_conflicts",
    "load_federations",
    "load_federation_summaries",
]
