"""Compiled steps of the multinomial-Dirichlet sampler: one function per step.

Every function here runs inside numba and works in place on one chain's state; random numbers
come from numba's own generator, seeded per block by :func:`run_seeded` (so the output is a
deterministic function of the fit's seed). The steps, in the order :func:`run` calls them
(see :mod:`congresslab.transfers._md` for the model and why each step is there):

0. :func:`draw_rate` -- the Gamma rate of alpha's prior given alpha (learned rate only);
1. :func:`augment` -- latent cell counts ``n | beta``;
1b. :func:`collapsed_alpha` -- ``alpha | n`` with ``beta`` integrated out (small units);
2. :func:`draw_beta` -- ``beta | n, alpha`` (Dirichlet);
3. :func:`ridge_moves` -- within-unit Metropolis moves along 2 x 2 lines;
4. :func:`alpha_step` -- ``alpha | beta`` (independence Metropolis, Laplace-t proposal);
5. :func:`shift_move` -- one global move of every unit along a 2 x 2 line, alpha redrawn;
6. :func:`store` -- aggregate shares, running sums and kept unit draws.
"""

# numba-compiled kernels can only use the legacy np.random API (seeded once per fit).
# ruff: noqa: NPY002

from __future__ import annotations

import math

import numpy as np
from numba import njit

from congresslab.transfers._md.densities import (
    _TINY,
    _acc_log,
    _chol_solve,
    _laplace_row,
    _lcp,
    _lcp_dm,
    _segment,
    _segment_move,
    _t_draw,
    _t_logpdf,
)

__all__ = ["RIDGE_MIX", "run", "run_seeded"]

# Step 3's proposal mix (p_uniform, p_walk, three walk scales; the rest Beta independence), by
# whether step 1b runs: the Beta and wide-walk proposals made the units of a SIMULATED congress
# mix several times faster, but slowed the small-unit sets where step 1b runs
# (reports/md_sampler.md), which keep the former mix.
RIDGE_MIX = {False: (1.0 / 3.0, 1.0 / 3.0, 1.0, 4.0, 16.0), True: (0.5, 0.5, 1.0, 1.0, 1.0)}


@njit(cache=True)
def alpha_from_phi(phi_k, alpha):  # pragma: no cover - compiled
    """``alpha = exp(phi)`` into ``alpha``; returns the sum of alpha."""
    R, C = alpha.shape
    v = 0.0
    for r in range(R):
        for c in range(C):
            alpha[r, c] = math.exp(phi_k[r, c])
            v += alpha[r, c]
    return v


@njit(cache=True)
def draw_rate(prior_k, l1, R, C, alpha_total):  # pragma: no cover - compiled
    """Step 0: ``rate | alpha ~ Gamma(h1 + l1 R C, h2 + sum alpha)`` (conjugate), or, with a
    grid hyperprior, the exact conditional over the grid: ``p(g_j) ∝ g_j^(l1 R C) exp(-g_j sum
    alpha)`` (a discrete log-uniform hyperprior on ``m`` log-spaced rates).

    ``prior_k`` is (shape, rate, hyper-shape, hyper-rate, log lowest rate, log highest rate,
    m); hyper-shape 0 and m = 0 = fixed rate, no draw.
    """
    if prior_k[2] > 0.0:
        prior_k[1] = np.random.gamma(prior_k[2] + l1 * R * C, 1.0) / (prior_k[3] + alpha_total)
    elif prior_k[6] > 1.0:
        m = int(prior_k[6])
        a = l1 * R * C
        step = (prior_k[5] - prior_k[4]) / (m - 1)
        w = np.empty(m)  # log weights, then weights relative to the largest
        for j in range(m):
            lg = prior_k[4] + j * step
            w[j] = a * lg - math.exp(lg) * alpha_total
        top = w.max()
        tot = 0.0
        for j in range(m):
            w[j] = math.exp(w[j] - top)
            tot += w[j]
        u = np.random.random() * tot
        for j in range(m):
            u -= w[j]
            if u <= 0.0 or j == m - 1:
                prior_k[1] = math.exp(prior_k[4] + j * step)
                break


@njit(cache=True)
def augment(x, T, b, n, p):  # pragma: no cover - compiled
    """Step 1: every voter of column c in unit i gets an origin row (exact conditional).

    ``n[i, :, c] ~ Multinomial(T_ic, p_r ∝ x_ir beta_irc)``, drawn as a chain of binomials;
    ``p`` is scratch of length R.
    """
    U, R, C = n.shape
    for i in range(U):
        for c in range(C):
            tot = 0.0
            last = -1  # the last row that can take voters gets the remainder
            for r in range(R):
                p[r] = x[i, r] * b[i, r, c]
                tot += p[r]
                if p[r] > 0.0:
                    last = r
            left = T[i, c]
            for r in range(R):
                if left == 0 or r > last:
                    n[i, r, c] = 0.0
                    continue
                if r == last:
                    m = left
                else:
                    pr = min(1.0, p[r] / tot)
                    m = np.random.binomial(left, pr) if pr > 0.0 else 0
                n[i, r, c] = m
                left -= m
                tot -= p[r]


@njit(cache=True)
def collapsed_alpha(
    n, S, l1, l2, zm, phi_k, alpha, mode_dm, nr, Nr, chol_dm, work, prop
):  # pragma: no cover - compiled
    """Step 1b: ``alpha[r] | n`` with ``beta`` integrated out, for every row.

    An independence Metropolis step from the Laplace-t approximation of the
    Dirichlet-multinomial density of the row's latent counts; ``mode_dm`` keeps the modes as
    warm starts of the next Newton searches. ``S`` only gives the shapes here.
    """
    U, R, C = n.shape
    for r in range(R):
        for i in range(U):
            v = 0.0
            for c in range(C):
                nr[i, c] = n[i, r, c]
                v += n[i, r, c]
            Nr[i] = v
        _laplace_row(S[r], 0.0, nr, Nr, l1, l2, zm[r], mode_dm[r], mode_dm[r], chol_dm, work)
        cur = _lcp_dm(phi_k[r], nr, Nr, l1, l2, zm[r])
        qcur = _t_logpdf(phi_k[r], mode_dm[r], chol_dm)
        _t_draw(mode_dm[r], chol_dm, prop)
        new = _lcp_dm(prop, nr, Nr, l1, l2, zm[r])
        qnew = _t_logpdf(prop, mode_dm[r], chol_dm)
        if math.log(np.random.random() + 1e-300) < new - cur + qcur - qnew:
            for c in range(C):
                phi_k[r, c] = prop[c]
                alpha[r, c] = math.exp(prop[c])


@njit(cache=True)
def _log_gamma_draw(a):  # pragma: no cover - compiled
    """``log`` of a ``Gamma(a, 1)`` draw, without underflow for small ``a``."""
    if a < 1.0:
        return math.log(np.random.gamma(a + 1.0, 1.0)) + math.log(np.random.random() + 1e-300) / a
    return math.log(np.random.gamma(a, 1.0))


@njit(cache=True)
def draw_beta(alpha, n, zm, b, g):  # pragma: no cover - compiled
    """Step 2: ``beta[i, r] | n, alpha ~ Dirichlet(alpha[r] + n[i, r])`` for every unit and row.

    Gamma draws in linear space when a shape is >= 1 (then the normaliser is not tiny), else in
    log space: no underflow for tiny shapes. ``g`` is scratch of length C.
    """
    U, R, C = n.shape
    for i in range(U):
        for r in range(R):
            big = False
            for c in range(C):
                if zm[r, c] == 0.0 and alpha[r, c] + n[i, r, c] >= 1.0:
                    big = True
                    break
            if big:
                tot = 0.0
                for c in range(C):
                    g[c] = 0.0
                    if zm[r, c] != 0.0:
                        continue
                    a = alpha[r, c] + n[i, r, c]
                    if a < 1.0:
                        g[c] = np.random.gamma(a + 1.0, 1.0)
                        g[c] *= math.exp(math.log(np.random.random() + 1e-300) / a)
                    else:
                        g[c] = np.random.gamma(a, 1.0)
                    tot += g[c]
                for c in range(C):
                    b[i, r, c] = 0.0 if zm[r, c] != 0.0 else max(g[c] / tot, _TINY)
                continue
            gmax = -np.inf
            for c in range(C):
                if zm[r, c] != 0.0:
                    continue
                g[c] = _log_gamma_draw(alpha[r, c] + n[i, r, c])
                gmax = max(gmax, g[c])
            tot = 0.0
            for c in range(C):
                g[c] = 0.0 if zm[r, c] != 0.0 else math.exp(g[c] - gmax)
                tot += g[c]
            for c in range(C):
                b[i, r, c] = 0.0 if zm[r, c] != 0.0 else max(g[c] / tot, _TINY)


@njit(cache=True)
def ridge_moves(x, zm, alpha, b, moves, acc, mix):  # pragma: no cover - compiled
    """Step 3: ``moves`` Metropolis moves per unit along a random 2 x 2 line of the unit.

    On the line the unit's likelihood is constant, so only the Dirichlet prior enters the
    ratio. ``mix = (p_uniform, p_walk, s1, s2, s3)`` chooses each move's proposal: uniform on
    the segment (probability ``p_uniform``), a random walk on the logit of the position with a
    standard deviation drawn from ``s1, s2, s3`` (``p_walk``; with its Jacobian), or else an
    independence draw of the position from ``Beta(a_lo, a_hi)``, the alphas of the two cells
    that reach zero at the segment's ends (the prior's behaviour there, which is what a
    small alpha makes hard to reach by small steps). Accepted moves are counted in ``acc[0]``.
    """
    U, R, C = b.shape
    for i in range(U):
        for _m in range(moves):
            r = np.random.randint(R)
            s = (r + 1 + np.random.randint(R - 1)) % R
            c = np.random.randint(C)
            d = (c + 1 + np.random.randint(C - 1)) % C
            if zm[r, c] + zm[r, d] + zm[s, c] + zm[s, d] != 0.0:
                continue  # lines through a structural zero do not exist
            xr = x[i, r]
            xs = x[i, s]
            if xr <= 0.0 or xs <= 0.0:
                continue
            z0, z1, z2, z3, lo, hi = _segment(b, i, r, s, c, d, xr, xs)
            u = np.random.random()
            kind = 0 if u < mix[0] else (1 if u < mix[0] + mix[1] else 2)
            alo = 1.0
            ahi = 1.0
            if kind == 0:
                u = np.random.random()
                if u <= 0.0:
                    continue
                o1 = u / (1.0 - u)
            elif kind == 1:
                step = mix[2 + np.random.randint(3)]
                o1 = -lo / hi * math.exp(np.random.standard_normal() * step)
            else:
                # the segment ends where the smaller of cells (r, c), (s, d) reaches 0 (low
                # end) and the smaller of (r, d), (s, c) (high end): which one is fixed on the
                # line, so this proposal does not depend on the current point
                alo = alpha[r, c] if z0 < z3 else alpha[s, d]
                ahi = alpha[r, d] if z1 < z2 else alpha[s, c]
                o1 = math.exp(_log_gamma_draw(alo) - _log_gamma_draw(ahi))
            n0, n1, n2, n3, ja, jb = _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1)
            if n0 <= 0.0 or n1 <= 0.0 or n2 <= 0.0 or n3 <= 0.0:
                continue
            # uniform proposals are symmetric in the position; logit random walk proposals
            # need the Jacobian log(p1 q1) - log(p0 q0); the Beta proposal its density ratio
            # q(p0) / q(p1) = (p0 / p1)^(a_lo - 1) (q0 / q1)^(a_hi - 1)
            if kind == 0:
                lr = 0.0
            elif kind == 1:
                lr = math.log(ja) + math.log(jb)
            else:
                lr = -(alo - 1.0) * math.log(ja) - (ahi - 1.0) * math.log(jb)
            lr += (alpha[r, c] - 1.0) * math.log(n0 / b[i, r, c])
            lr += (alpha[r, d] - 1.0) * math.log(n1 / b[i, r, d])
            lr += (alpha[s, c] - 1.0) * math.log(n2 / b[i, s, c])
            lr += (alpha[s, d] - 1.0) * math.log(n3 / b[i, s, d])
            if math.log(np.random.random() + 1e-300) < lr:
                b[i, r, c] = n0
                b[i, r, d] = n1
                b[i, s, c] = n2
                b[i, s, d] = n3
                acc[0] += 1.0


@njit(cache=True)
def log_beta_sums(x, b, zm, S):  # pragma: no cover - compiled
    """``S[r, c] = sum_i log beta_irc`` over the units with voters in row r (0 for zeros)."""
    U, R, C = b.shape
    for r in range(R):
        for c in range(C):
            v = 0.0
            if zm[r, c] != 0.0:
                S[r, c] = 0.0
                continue
            for i in range(U):
                if x[i, r] > 0.0:
                    v += math.log(b[i, r, c])
            S[r, c] = v


@njit(cache=True)
def alpha_step(
    S, Ur, l1, l2, zm, phi_k, mode_k, chol_k, work, no_n, no_N, prop, acc
):  # pragma: no cover - compiled
    """Step 4: ``alpha | beta``, two independence Metropolis proposals per row.

    The proposal is a Student-t centred on the Newton mode of ``log p(log alpha | beta)`` with
    its Laplace curvature (stored in ``mode_k``, ``chol_k`` for step 5). ``Ur[r]`` counts the
    units with voters in row r (the others' beta rows are integrated out). Accepted proposals
    are counted in ``acc[1]``.
    """
    R, C = S.shape
    for r in range(R):
        _laplace_row(S[r], Ur[r], no_n, no_N, l1, l2, zm[r], mode_k[r], mode_k[r], chol_k[r], work)
        cur = _lcp(phi_k[r], S[r], Ur[r], l1, l2, zm[r])
        qcur = _t_logpdf(phi_k[r], mode_k[r], chol_k[r])
        for _m in range(2):
            _t_draw(mode_k[r], chol_k[r], prop)
            new = _lcp(prop, S[r], Ur[r], l1, l2, zm[r])
            qnew = _t_logpdf(prop, mode_k[r], chol_k[r])
            if math.log(np.random.random() + 1e-300) < new - cur + qcur - qnew:
                for c in range(C):
                    phi_k[r, c] = prop[c]
                cur = new
                qcur = qnew
                acc[1] += 1.0


@njit(cache=True)
def line_proposal(x, b, r, s, c, d, kind, eps, new4):  # pragma: no cover - compiled
    """Step 5's proposal: every unit's logit position on line (r, s; c, d) shifted by ``eps``
    (``kind`` 0) or scaled by ``exp(eps)`` (``kind`` 1).

    Fills ``new4`` with the moved cells (``new4[i, 0] = -1`` for units without the line) and
    returns ``(ok, log Jacobian, d0, d1, d2, d3)``, the ``d`` being the changes of
    ``sum_i log beta`` of the four cells. Sums of logs are kept as (running product, flushed
    log-sum) pairs: one log per many units instead of five per unit.
    """
    U = b.shape[0]
    expeps = math.exp(eps)
    lj = 0.0
    pj = 1.0
    d0 = 0.0
    d1 = 0.0
    d2 = 0.0
    d3 = 0.0
    p0 = 1.0
    p1 = 1.0
    p2 = 1.0
    p3 = 1.0
    for i in range(U):
        xr = x[i, r]
        xs = x[i, s]
        if xr <= 0.0 or xs <= 0.0:
            new4[i, 0] = -1.0
            continue
        z0, z1, z2, z3, lo, hi = _segment(b, i, r, s, c, d, xr, xs)
        if kind == 0:  # logit position + eps
            o1 = -lo / hi * expeps
        else:  # logit position * exp(eps)
            o1 = math.exp(math.log(-lo / hi) * expeps)
            lj += eps
        # Jacobian of the logit map: p1 q1 / (p0 q0)
        n0, n1, n2, n3, ja, jb = _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1)
        if n0 <= 0.0 or n1 <= 0.0 or n2 <= 0.0 or n3 <= 0.0 or ja <= 0.0 or jb <= 0.0:
            return False, lj, d0, d1, d2, d3
        new4[i, 0] = n0
        new4[i, 1] = n1
        new4[i, 2] = n2
        new4[i, 3] = n3
        pj, lj = _acc_log(pj, lj, ja)
        pj, lj = _acc_log(pj, lj, jb)
        p0, d0 = _acc_log(p0, d0, n0 / b[i, r, c])
        p1, d1 = _acc_log(p1, d1, n1 / b[i, r, d])
        p2, d2 = _acc_log(p2, d2, n2 / b[i, s, c])
        p3, d3 = _acc_log(p3, d3, n3 / b[i, s, d])
    lj += math.log(pj)
    d0 += math.log(p0)
    d1 += math.log(p1)
    d2 += math.log(p2)
    d3 += math.log(p3)
    return True, lj, d0, d1, d2, d3


@njit(cache=True)
def shift_move(
    x, zm, b, S, S2, Ur, l1, l2, phi_k, mode_k, chol_k, scale_k, it, warmup, new4, mode2,
    chol2, props, prop, work, no_n, no_N, acc,
):  # pragma: no cover - compiled
    """Step 5: one global move of all units along one 2 x 2 line, ``alpha`` of the two rows
    redrawn from the Laplace-t proposal given the moved ``beta``; accepted or rejected as one
    Metropolis-Hastings move (Jacobian of the position map included). Keeps every ``theta_i``.

    The proposal scale of the move's kind adapts while ``it < warmup`` (target acceptance 0.3).
    Accepted moves are counted in ``acc[2]``.
    """
    U, R, C = b.shape
    r = np.random.randint(R)
    s = (r + 1 + np.random.randint(R - 1)) % R
    c = np.random.randint(C)
    d = (c + 1 + np.random.randint(C - 1)) % C
    if zm[r, c] + zm[r, d] + zm[s, c] + zm[s, d] != 0.0:
        return  # lines through a structural zero do not exist
    kind = np.random.randint(2)  # 0: shift logit positions, 1: scale them
    eps = np.random.standard_normal() * scale_k[kind]
    ok, lj, d0, d1, d2, d3 = line_proposal(x, b, r, s, c, d, kind, eps, new4)
    accepted = False
    if ok and math.isfinite(lj):
        for rr in range(R):
            for cc in range(C):
                S2[rr, cc] = S[rr, cc]
        S2[r, c] += d0
        S2[r, d] += d1
        S2[s, c] += d2
        S2[s, d] += d3
        lr = lj
        for j in range(2):
            row = r if j == 0 else s
            # Newton search for the mode at the moved state, started from the current mode
            # plus its linear change: the gradient of the log density in phi changes by
            # alpha * dS, so the mode by about H^-1 (alpha * dS) (H = chol_k chol_k^T); from
            # there it needs fewer evaluations. The ratio below scores the reverse move with
            # (mode_k, chol_k), the approximation at the current state, so the proposal must be
            # a function of the state it is computed at only: it is, up to the tolerance of
            # the search (steps < 1e-7 in log alpha), since the search is run to convergence
            # whatever its start. A fixed number of Newton steps from a start that depends
            # only on S (a reference point frozen after warm-up) would be exactly such a
            # function, but was measured to lose the acceptance (reports/md_sampler.md)
            for cc in range(C):
                prop[cc] = math.exp(mode_k[row, cc]) * (S2[row, cc] - S[row, cc])
            _chol_solve(chol_k[row], prop)
            for cc in range(C):
                mode2[j, cc] = mode_k[row, cc] + prop[cc]
            _laplace_row(
                S2[row], Ur[row], no_n, no_N, l1, l2, zm[row], mode2[j], mode2[j], chol2[j],
                work,
            )
        for j in range(2):
            row = r if j == 0 else s
            _t_draw(mode2[j], chol2[j], prop)
            for cc in range(C):
                props[j, cc] = prop[cc]
            lr += _lcp(prop, S2[row], Ur[row], l1, l2, zm[row])
            lr -= _lcp(phi_k[row], S[row], Ur[row], l1, l2, zm[row])
            lr += _t_logpdf(phi_k[row], mode_k[row], chol_k[row])
            lr -= _t_logpdf(prop, mode2[j], chol2[j])
        if math.isfinite(lr) and math.log(np.random.random() + 1e-300) < lr:
            accepted = True
            acc[2] += 1.0
            for i in range(U):
                if new4[i, 0] < 0.0:
                    continue
                b[i, r, c] = new4[i, 0]
                b[i, r, d] = new4[i, 1]
                b[i, s, c] = new4[i, 2]
                b[i, s, d] = new4[i, 3]
            for rr in range(R):
                for cc in range(C):
                    S[rr, cc] = S2[rr, cc]
            for j in range(2):
                row = r if j == 0 else s
                for cc in range(C):
                    phi_k[row, cc] = props[j, cc]
                    mode_k[row, cc] = mode2[j, cc]
                    for c2 in range(C):
                        chol_k[row, cc, c2] = chol2[j, cc, c2]
    if it < warmup:
        gain = 0.2 / math.sqrt(1.0 + it / 50.0)
        scale_k[kind] *= math.exp(((1.0 if accepted else 0.0) - 0.3) * gain)


@njit(cache=True)
def store(
    X, Xrow, b, phi_k, l2, j, agg_k, unit_sum, alpha_sum, qbuf_k, keep_pos, acc
):  # pragma: no cover - compiled
    """Step 6: store draw ``j`` (aggregate shares), add to the running sums of the unit shares,
    alpha and the rate, and keep the unit shares if ``keep_pos[j] >= 0``."""
    U, R, C = b.shape
    for r in range(R):
        for c in range(C):
            v = 0.0
            for i in range(U):
                v += X[i, r] * b[i, r, c]
                unit_sum[i, r, c] += b[i, r, c]
            agg_k[j, r, c] = v / Xrow[r] if Xrow[r] > 0 else np.nan
            alpha_sum[r, c] += math.exp(phi_k[r, c])
    acc[3] += l2
    q = keep_pos[j]
    if q >= 0:
        for i in range(U):
            for r in range(R):
                for c in range(C):
                    qbuf_k[q, i, r, c] = b[i, r, c]


@njit(cache=True, nogil=True)
def run(
    n_iter, it0, warmup, base, j0, thin, X, x, T, Xrow, zm, beta, phi, mode, chol, scale, prior,
    n_ridge, n_shift, agg, unit_sum, alpha_sum, qbuf, keep_pos, acc, collapse, mix,
):  # pragma: no cover - compiled
    """Run ``n_iter`` iterations (global index from ``it0``) of every chain in place.

    Draws are stored after iterations ``base + thin - 1, base + 2 thin - 1, ...`` at
    positions ``j0, j0 + 1, ...`` of ``agg``; scales adapt while ``it < warmup``.
    """
    K, U, R, C = beta.shape
    # units with no voters in row r leave beta[i, r] out of the likelihood: integrating it out
    # (exactly) removes it from alpha's conditional, so alpha_r only sees units with x_ir > 0
    Ur = np.zeros(R)
    for r in range(R):
        for i in range(U):
            if x[i, r] > 0.0:
                Ur[r] += 1.0
    n = np.zeros((U, R, C))
    p = np.empty(R)
    g = np.empty(C)
    S = np.empty((R, C))
    S2 = np.empty((R, C))
    prop = np.empty(C)
    mode2 = np.empty((2, C))
    props = np.empty((2, C))
    work = np.empty((C + 4, C))  # scratch for _laplace_row
    chol2 = np.empty((2, C, C))
    new4 = np.empty((U, 4))
    alpha = np.empty((R, C))
    no_n = np.empty((0, C))  # no latent counts: _laplace_row uses the sums of log beta
    no_N = np.empty(0)
    nr = np.empty((U, C))  # step 1b: one row's latent counts, and their unit sums
    Nr = np.empty(U)
    chol_dm = np.empty((C, C))
    for k in range(K):
        l1 = prior[k, 0]
        mode_dm = phi[k].copy()  # warm starts of step 1b's Newton searches
        b = beta[k]
        for it in range(it0, it0 + n_iter):
            v = alpha_from_phi(phi[k], alpha)
            # 0. drawn first, so that the Laplace modes that steps 4-5 store always belong to
            # the current rate
            draw_rate(prior[k], l1, R, C, v)
            l2 = prior[k, 1]
            augment(x, T, b, n, p)  # 1.
            if collapse:  # 1b.
                collapsed_alpha(n, S, l1, l2, zm, phi[k], alpha, mode_dm, nr, Nr, chol_dm, work,
                                prop)  # fmt: skip
            draw_beta(alpha, n, zm, b, g)  # 2.
            if R > 1:  # 3.
                ridge_moves(x, zm, alpha, b, n_ridge, acc, mix)
            log_beta_sums(x, b, zm, S)  # 4.
            alpha_step(S, Ur, l1, l2, zm, phi[k], mode[k], chol[k], work, no_n, no_N, prop, acc)
            for _m in range(n_shift if R > 1 else 0):  # 5.
                shift_move(
                    x, zm, b, S, S2, Ur, l1, l2, phi[k], mode[k], chol[k], scale[k], it,
                    warmup, new4, mode2, chol2, props, prop, work, no_n, no_N, acc,
                )
            if it >= base and (it - base + 1) % thin == 0:  # 6.
                j = j0 + (it - base + 1) // thin - 1
                store(X, Xrow, b, phi[k], l2, j, agg[k], unit_sum, alpha_sum, qbuf[k],
                      keep_pos, acc)  # fmt: skip


@njit(cache=True, nogil=True)
def run_seeded(
    seed_value, n_iter, it0, warmup, base, j0, thin, X, x, T, Xrow, zm, beta, phi, mode,
    chol, scale, prior, n_ridge, n_shift, agg, unit_sum, alpha_sum, qbuf, keep_pos,
    acc, collapse, mix,
):  # pragma: no cover - compiled
    """Seed this thread's generator, then run one block of one chain (see :func:`run`).

    Each block of each chain is seeded from the caller's generator, so results depend only
    on ``seed`` and not on which thread ran which block.
    """
    np.random.seed(seed_value)
    run(n_iter, it0, warmup, base, j0, thin, X, x, T, Xrow, zm, beta, phi, mode, chol,
        scale, prior, n_ridge, n_shift, agg, unit_sum, alpha_sum, qbuf, keep_pos, acc,
        collapse, mix)
