"""Names of the estimation methods and margins policies (no imports: read at CLI start).

Examples
--------
>>> "bayes" in METHODS, MARGINS_POLICIES[0]
(True, 'auto')
"""

__all__ = ["METHODS", "MARGINS_POLICIES"]

#: Estimators accepted by :func:`congresslab.transfers.estimate` (``"auto"`` chooses).
METHODS: tuple[str, ...] = ("auto", "bounds", "goodman", "lp", "bayes")
#: What to do when a unit's origin and destination totals differ.
MARGINS_POLICIES: tuple[str, ...] = ("auto", "error", "rescale", "entry_exit")
