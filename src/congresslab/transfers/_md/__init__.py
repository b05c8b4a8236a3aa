"""Hierarchical multinomial-Dirichlet R x C ecological inference (Rosen et al. 2001).

Model (as in eiPack ``ei.MD.bayes`` and PyEI ``multinomial-dirichlet``, plus a hyperprior
on the rate), for units ``i = 1..U`` with origin counts ``X[i, r]`` (row totals ``N_i``)
and destination counts ``T[i, c]`` (same totals)::

    lambda2      ~ Gamma(shape=h1, rate=h2)      (h1 = h2 = 1; fixed if lambda2 is given)
    alpha[r, c]  ~ Gamma(shape=lambda1, rate=lambda2)            i.i.d.
    beta[i, r]   ~ Dirichlet(alpha[r])                           (simplex over columns)
    T[i]         ~ Multinomial(N_i, theta_i),  theta_ic = sum_r X_ir / N_i * beta_irc

Prior: the Gamma rate ``lambda2`` sets how alike the units are a priori (the concentration
``sum_c alpha[r, c]`` of a row has prior mean ``lambda1 C / lambda2``). eiPack uses
``lambda2 = 2`` as the rate (mean 2); PyEI passes ``beta=1 / lmbda2`` to PyMC's Gamma, whose
``beta`` is also a rate: rate 0.5, mean 8. Neither fixed rate was right on every set, so by
default the rate is learned, ``lambda2 ~ Gamma(1, 1)``, updated by its exact conditional (step
0 below); its posterior has shape ``1 + lambda1 R C``, so the data choose how strongly to pool.
Pass ``lambda2=0.5`` for PyEI's prior and ``lambda2=2`` for eiPack's (fixed rates). The three
priors on the benchmark sets and on SIMULATED sets are compared in ``reports/benchmarks.md``
(rows ``bayes``, ``bayes_pyei_prior``, ``bayes_eipack_prior``), ``reports/prior_study.md`` and
``reports/md_sampler.md``.

Sampler (no gradients; numba-compiled steps, :mod:`~congresslab.transfers._md.kernels`; the
chains run in parallel threads, each block of each chain seeded from the fit's generator,
:mod:`~congresslab.transfers._md.driver`). One iteration of every chain:

0. ``lambda2 | alpha ~ Gamma(h1 + lambda1 R C, h2 + sum_rc alpha[r, c])`` (exact
   conditional; skipped when the rate is fixed). With ``rate_prior=("grid", lo, hi, m)``
   the hyperprior is instead discrete log-uniform on ``m`` log-spaced rates and the rate is
   drawn from its exact conditional over that grid (an average of the fixed-rate models
   weighted by their marginal likelihood; compared in ``reports/prior_2x2.md``);
1. *data augmentation* -- every voter of column ``c`` in unit ``i`` is given an origin row:
   ``n[i, :, c] ~ Multinomial(T_ic, p_r ∝ X_ir beta_irc)`` (exact conditional);
1b. *collapsed alpha update* (``collapse``; by default when the median unit has at most
   ``COLLAPSE_MAX_MEDIAN_UNIT`` voters) -- ``alpha[r] | n`` with ``beta`` integrated out:
   each unit contributes a Dirichlet-multinomial term, and the draw is an independence
   Metropolis step from the Laplace-t approximation of that density. Followed by step 2, it
   is a partially collapsed Gibbs step for ``(alpha, beta) | n``. It matters when units are
   small: then ``beta | n`` is mostly prior, ``alpha | beta`` is much tighter than
   ``alpha``'s posterior, and steps 2 and 4 alone move the shared parameters slowly;
2. ``beta[i, r] | n, alpha ~ Dirichlet(alpha[r] + n[i, r, :])`` (exact conditional, gamma
   draws in log space so that tiny shapes do not underflow);
3. *within-unit ridge moves* (``ridge_moves`` per unit) -- Metropolis moves along the
   line of a random 2 x 2 sub-table (rows r, s; columns c, d) on which ``theta_i``, hence
   the likelihood, is constant, so only the Dirichlet prior enters the acceptance ratio.
   Proposals are uniform on the segment, a random walk on the logit of the position (its
   standard deviation drawn from 1, 4, 16), or an independence draw of the position from
   ``Beta(alpha_lo, alpha_hi)``, the alphas of the two cells that close the segment: with
   small alphas a unit's share in a cell spreads over orders of magnitude, which unit-sized
   logit steps cross slowly. With step 1b only the first two run, the walk with standard
   deviation 1 (``kernels.RIDGE_MIX``; the mix that step 1b's small units mixed best with).
   They explore the directions the data do not identify, which data augmentation alone
   crosses in O(1/sqrt(N_i)) steps;
4. ``alpha | beta`` -- independence Metropolis from a multivariate Student-t (5 d.o.f.)
   centred on the Newton mode of ``log p(log alpha | beta)`` with its Laplace curvature
   (sufficient statistics ``sum_i log beta_irc``). Units with no voters in row ``r`` are
   left out of ``alpha_r``'s update: their ``beta[i, r]`` is not in the likelihood, so
   integrating it out is exact, and keeping it would only tie ``alpha_r`` to its own prior
   draws;
5. *global moves* (``shift_moves``) -- all units move together along the same 2 x 2 line,
   by a common shift (or scaling) of the logit of their position on their segment, which
   keeps every ``theta_i`` fixed; ``alpha`` of the two rows is redrawn jointly from the
   Laplace-t proposal given the moved ``beta`` and the pair is accepted or rejected as
   one Metropolis-Hastings move (Jacobian of the position map included). This is what
   decorrelates ``alpha`` and ``beta``: with many units ``alpha | beta`` is tight and
   steps 1-4 alone need hundreds of iterations to move the aggregate along the
   ecological "ridge".

Only the scales of the global moves adapt, during warm-up (target acceptance 0.3). Mixing
remains slow on large problems, so by default the chains are extended (draws appended) until
``max R-hat <= 1.01`` and ``min bulk ESS >= 400``, within a length cap; the fit warns
(:class:`~congresslab.transfers.diagnostics.ConvergenceWarning`) when they are not met.

Structural zeros (cells that cannot hold voters, such as ``_entry -> _exit``) are exactly
0: each row's Dirichlet is over its free cells, the alpha of a zero cell only has its prior
(it is reported as NaN), and the 2 x 2 lines through a zero are never proposed.

The aggregate transfer shares reported are the vote-weighted shares
``sum_i X_ir beta_irc / sum_i X_ir`` (not the latent-cell version ``sum_i n_irc / sum_i
n_ir.``, which adds multinomial noise and is not exactly consistent with the origin totals).

Convergence is judged with rank-normalised split R-hat and bulk/tail ESS (Vehtari et al.
2021, :mod:`congresslab.transfers.diagnostics`) on the aggregate shares.

Measured numbers (prior comparisons, the gains of each move, run times) are in
``reports/benchmarks.md`` and ``reports/md_sampler.md``, not here.

References
----------
Rosen, O., Jiang, W., King, G. & Tanner, M. A. (2001). Bayesian and frequentist inference
for ecological inference: the R x C case. *Statistica Neerlandica* 55(2), 134-156.
Lau, O., Moore, R. T. & Kellermann, M. (2007). eiPack: R x C ecological inference and
higher-dimension data management. *R News* 7(2), 43-47.
"""

from congresslab.transfers._md.driver import (
    COLLAPSE_MAX_MEDIAN_UNIT,
    MDFit,
    fit_md,
    validate_counts,
)

__all__ = ["COLLAPSE_MAX_MEDIAN_UNIT", "MDFit", "fit_md", "validate_counts"]
