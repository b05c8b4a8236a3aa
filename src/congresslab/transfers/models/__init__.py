"""The estimators, one module each: :mod:`.bounds`, :mod:`.goodman`, :mod:`.lp`.

The Bayesian model's wrapper is :class:`congresslab.transfers.api.MultinomialDirichlet`;
its sampler is :mod:`congresslab.transfers._md` (kernels and driver).
"""

__all__: list[str] = []
