"""Names of the estimation methods and margins policies (no imports: read at CLI start).

Examples
--------
>>> "bayes" in METHODS, MARGINS_POLICIES[0]
(True, 'auto')
"""

import math
import numbers
from typing import Any

__all__ = ["METHODS", "MARGINS_POLICIES", "check_alpha"]

#: Estimators accepted by :func:`congresslab.transfers.estimate` (``"auto"`` chooses).
METHODS: tuple[str, ...] = ("auto", "bounds", "goodman", "lp", "bayes")
#: What to do when a unit's origin and destination totals differ.
MARGINS_POLICIES: tuple[str, ...] = ("auto", "error", "rescale", "entry_exit")


def check_alpha(alpha: Any) -> float:
    """``alpha`` as the error level of intervals: a number above 0 and at most 0.5.

    Raises
    ------
    TypeError
        Not a number.
    ValueError
        Outside ``(0, 0.5]``; ``alpha=0.95`` (asking for 95 % intervals the wrong way)
        is told to give ``alpha=0.05``.

    Examples
    --------
    >>> check_alpha(0.1)
    0.1
    >>> check_alpha(0.95)
    Traceback (most recent call last):
    ...
    ValueError: alpha=0.95 is the error level of the intervals (they are at level 1 - alpha = 5 %); for 95 % intervals give alpha=0.05 (alpha must be above 0 and at most 0.5)
    """  # noqa: E501
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a number between 0 and 0.5, got {alpha!r}")
    if not math.isfinite(alpha) or not 0 < alpha < 1:
        raise ValueError(
            f"alpha must be above 0 and at most 0.5 (the error level: 0.05 gives 95 % "
            f"intervals), got {alpha}"
        )
    if alpha > 0.5:
        raise ValueError(
            f"alpha={alpha:g} is the error level of the intervals (they are at level "
            f"1 - alpha = {100 * (1 - alpha):.3g} %); for {100 * alpha:.3g} % intervals give "
            f"alpha={1 - alpha:.3g} (alpha must be above 0 and at most 0.5)"
        )
    return float(alpha)
