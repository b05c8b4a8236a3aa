"""The estimators, one module each: :mod:`.bounds`, :mod:`.goodman`, :mod:`.lp` and
:mod:`.bayes` (the wrapper of the sampler in :mod:`congresslab.transfers._md`).
"""

__all__: list[str] = []
