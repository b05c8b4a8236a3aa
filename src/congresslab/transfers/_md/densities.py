"""Shared compiled math of the multinomial-Dirichlet sampler (see :mod:`.kernels`).

Log densities of ``phi = log alpha`` for one origin row (given ``sum_i log beta``, or given the
latent counts with ``beta`` integrated out), their gradients and curvatures, the Newton search
for their mode with a Cholesky factor (the Laplace-t proposal), the Student-t proposal itself,
and the geometry of the 2 x 2 lines on which a unit's likelihood is constant.
"""

# numba-compiled kernels can only use the legacy np.random API (seeded once per fit).
# ruff: noqa: NPY002

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__: list[str] = []

_NU = 5.0  # degrees of freedom of the Student-t proposal for log alpha
_PHI_MIN, _PHI_MAX = -12.0, 10.0  # box for the Newton search of the mode of log alpha
_TINY = 1e-300  # floor of a share drawn from a Dirichlet (log of it stays finite)

@njit(cache=True)
def _psi01(x):  # pragma: no cover - compiled
    """Digamma and trigamma of ``x > 0`` (recurrence to x >= 6, then asymptotic series).

    One function for both: the Newton steps for ``alpha`` need them together, and sharing
    the recurrence makes those steps about a third cheaper.
    """
    d = 0.0
    t = 0.0
    while x < 6.0:
        d -= 1.0 / x
        t += 1.0 / (x * x)
        x += 1.0
    f = 1.0 / (x * x)
    s = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    dig = d + math.log(x) - 0.5 / x - s
    tri = t + 1.0 / x + 0.5 * f + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)))
    return dig, tri


@njit(cache=True)
def _lcp(phi, S, U, l1, l2, z):  # pragma: no cover - compiled
    """log p(phi = log alpha_r | beta) + const for one row; S = sum_i log beta_ir.

    Cells with ``z[c] > 0`` are structural zeros: outside the Dirichlet, their alpha only
    has its prior.
    """
    C = phi.shape[0]
    out = 0.0
    A = 0.0
    for c in range(C):
        a = math.exp(phi[c])
        out += l1 * phi[c] - l2 * a
        if z[c] == 0.0:
            A += a
            out += (a - 1.0) * S[c] - U * math.lgamma(a)
    return out + U * math.lgamma(A)


@njit(cache=True)
def _chol(P, L):  # pragma: no cover - compiled
    """Cholesky P = L L^T into L; returns False if P is not positive definite."""
    C = P.shape[0]
    for i in range(C):
        for j in range(i + 1):
            v = P[i, j]
            for k in range(j):
                v -= L[i, k] * L[j, k]
            if i == j:
                if not (v > 1e-10):
                    return False
                L[i, i] = math.sqrt(v)
            else:
                L[i, j] = v / L[j, j]
        for j in range(i + 1, C):
            L[i, j] = 0.0
    return True


@njit(cache=True)
def _chol_solve(L, v):  # pragma: no cover - compiled
    """Solve ``L L^T y = v`` in place (``L`` lower triangular)."""
    C = v.shape[0]
    for i in range(C):
        w = v[i]
        for k in range(i):
            w -= L[i, k] * v[k]
        v[i] = w / L[i, i]
    for i in range(C - 1, -1, -1):
        w = v[i]
        for k in range(i + 1, C):
            w -= L[k, i] * v[k]
        v[i] = w / L[i, i]


@njit(cache=True)
def _prec(phi, S, U, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """Gradient and minus Hessian of _lcp at phi."""
    C = phi.shape[0]
    A = 0.0
    for c in range(C):
        grad[c] = math.exp(phi[c])  # alpha, until overwritten by the gradient below
        if z[c] == 0.0:
            A += grad[c]
    dA, tA = _psi01(A)
    for c in range(C):
        for d in range(C):
            zero = z[c] != 0.0 or z[d] != 0.0
            P[c, d] = 0.0 if zero else -U * tA * grad[c] * grad[d]
    for c in range(C):
        a = grad[c]
        if z[c] != 0.0:  # structural zero: prior only
            grad[c] = l1 - l2 * a
            P[c, c] = l2 * a
            continue
        da, ta = _psi01(a)
        core = -l2 * a + a * S[c] + U * a * (dA - da)
        grad[c] = l1 + core
        P[c, c] -= core - U * a * a * ta


@njit(cache=True)
def _lcp_dm(phi, nr, Nr, l1, l2, z):  # pragma: no cover - compiled
    """log p(phi = log alpha_r | n) + const for one row, ``beta`` integrated out.

    ``nr[i, c]`` are the latent counts of the row in unit ``i`` and ``Nr[i]`` their sum:
    given them, each unit contributes a Dirichlet-multinomial term
    ``lgamma(A) - lgamma(A + N_ir) + sum_c lgamma(alpha_c + n_irc) - lgamma(alpha_c)``.
    """
    Un, C = nr.shape
    out = 0.0
    A = 0.0
    for c in range(C):
        a = math.exp(phi[c])
        out += l1 * phi[c] - l2 * a
        if z[c] == 0.0:
            A += a
    lg_a = np.empty(C)
    for c in range(C):
        lg_a[c] = math.lgamma(math.exp(phi[c])) if z[c] == 0.0 else 0.0
    lg_A = math.lgamma(A)
    for i in range(Un):
        if Nr[i] <= 0.0:
            continue
        out += lg_A - math.lgamma(A + Nr[i])
        for c in range(C):
            if z[c] == 0.0 and nr[i, c] > 0.0:
                out += math.lgamma(math.exp(phi[c]) + nr[i, c]) - lg_a[c]
    return out


@njit(cache=True)
def _prec_dm(phi, nr, Nr, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """Gradient and minus Hessian of _lcp_dm at phi."""
    Un, C = nr.shape
    a = np.empty(C)
    A = 0.0
    for c in range(C):
        a[c] = math.exp(phi[c])
        if z[c] == 0.0:
            A += a[c]
    dA, tA = _psi01(A)
    d0 = np.empty(C)
    t0 = np.empty(C)
    for c in range(C):
        d0[c], t0[c] = _psi01(a[c])
    g_sum = np.zeros(C)  # sum_i psi(a_c + n_ic) - psi(a_c)
    h_sum = np.zeros(C)  # sum_i psi'(a_c + n_ic) - psi'(a_c)
    gA = 0.0  # sum_i psi(A) - psi(A + N_i)
    hA = 0.0  # sum_i psi'(A) - psi'(A + N_i)
    for i in range(Un):
        if Nr[i] <= 0.0:
            continue
        d1, t1 = _psi01(A + Nr[i])
        gA += dA - d1
        hA += tA - t1
        for c in range(C):
            if z[c] == 0.0 and nr[i, c] > 0.0:
                d2, t2 = _psi01(a[c] + nr[i, c])
                g_sum[c] += d2 - d0[c]
                h_sum[c] += t2 - t0[c]
    for c in range(C):
        for d in range(C):
            zero = z[c] != 0.0 or z[d] != 0.0
            P[c, d] = 0.0 if zero else -a[c] * a[d] * hA
    for c in range(C):
        if z[c] != 0.0:  # structural zero: prior only
            grad[c] = l1 - l2 * a[c]
            P[c, c] = l2 * a[c]
            continue
        core = -l2 * a[c] + a[c] * (gA + g_sum[c])
        grad[c] = l1 + core
        P[c, c] -= core + a[c] * a[c] * h_sum[c]


@njit(cache=True)
def _lp(phi, S, U, nr, Nr, l1, l2, z):  # pragma: no cover - compiled
    """_lcp_dm when latent counts are given (``nr`` has rows), else _lcp."""
    if nr.shape[0] > 0:
        return _lcp_dm(phi, nr, Nr, l1, l2, z)
    return _lcp(phi, S, U, l1, l2, z)


@njit(cache=True)
def _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """_prec_dm when latent counts are given (``nr`` has rows), else _prec."""
    if nr.shape[0] > 0:
        _prec_dm(phi, nr, Nr, l1, l2, z, grad, P)
    else:
        _prec(phi, S, U, l1, l2, z, grad, P)


@njit(cache=True)
def _laplace_row(S, U, nr, Nr, l1, l2, z, phi0, mode, L, work):  # pragma: no cover - compiled
    """Newton mode of _lcp (or of _lcp_dm if ``nr`` has rows; see :func:`_lp`) from phi0
    into ``mode``; Cholesky of -Hessian into ``L``.

    ``work`` is a scratch array of shape (C + 4, C). Newton steps are safeguarded by a
    backtracking line search until a full step is small (< 0.05 in every coordinate):
    from there the log density is close to quadratic, full steps are taken and the log
    density is no longer evaluated.
    """
    C = S.shape[0]
    P = work[:C]
    phi = work[C]
    grad = work[C + 1]
    step = work[C + 2]
    new = work[C + 3]
    for c in range(C):
        phi[c] = min(max(phi0[c], _PHI_MIN), _PHI_MAX)
    cur = 0.0  # log density at phi: evaluated only once a line search needs it
    known = False
    v = cur
    fresh = False  # L is the Cholesky factor at the current phi
    local = False  # in the quadratic region: full Newton steps, no line search
    for _ in range(100):
        _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P)
        fresh = _chol(P, L)
        if fresh:
            for c in range(C):  # solve P step = grad
                step[c] = grad[c]
            _chol_solve(L, step)
        else:
            for c in range(C):
                step[c] = 0.5 * grad[c] / (1.0 + abs(grad[c]))
        m = 0.0
        for c in range(C):
            m = max(m, abs(step[c]))
        if m > 2.0:
            for c in range(C):
                step[c] *= 2.0 / m
            m = 2.0
        if m < 1e-7:
            break
        t = 1.0
        found = False
        local = local or (fresh and m < 0.05)
        for _ls in range(50):
            for c in range(C):
                new[c] = min(max(phi[c] + t * step[c], _PHI_MIN), _PHI_MAX)
            if local:  # full step, no evaluation
                found = True
                break
            if not known:
                cur = _lp(phi, S, U, nr, Nr, l1, l2, z)
                known = True
            v = _lp(new, S, U, nr, Nr, l1, l2, z)
            if v >= cur - 1e-10 * (1.0 + abs(cur)):
                found = True
                break
            t *= 0.5
        if not found:
            break
        fresh = False
        moved = 0.0
        for c in range(C):
            moved = max(moved, abs(new[c] - phi[c]))
            phi[c] = new[c]
        if not local:
            cur = v
        else:
            known = False
        if moved < 1e-9:
            break
    for c in range(C):
        mode[c] = phi[c]
    if fresh:  # converged without moving since the last factorisation
        return
    _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P)
    if not _chol(P, L):
        for i in range(C):
            for j in range(C):
                L[i, j] = 0.0
            L[i, i] = math.sqrt(abs(P[i, i]) + 1.0)


@njit(cache=True)
def _t_logpdf(phi, mode, L):  # pragma: no cover - compiled
    """log density (+ const) of the t(_NU) proposal with precision L L^T."""
    C = phi.shape[0]
    q = 0.0
    logdet = 0.0
    for i in range(C):
        v = 0.0
        for j in range(i, C):
            v += L[j, i] * (phi[j] - mode[j])
        q += v * v
        logdet += math.log(L[i, i])
    return -0.5 * (_NU + C) * math.log1p(q / _NU) + logdet


@njit(cache=True)
def _t_draw(mode, L, out):  # pragma: no cover - compiled
    C = mode.shape[0]
    z = np.empty(C)
    for i in range(C):
        z[i] = np.random.standard_normal()
    w = math.sqrt(np.random.chisquare(_NU) / _NU)
    for i in range(C - 1, -1, -1):  # solve L^T y = z
        v = z[i]
        for k in range(i + 1, C):
            v -= L[k, i] * out[k]
        out[i] = v / L[i, i]
    for i in range(C):
        out[i] = mode[i] + out[i] / w


@njit(cache=True)
def _segment(b, i, r, s, c, d, xr, xs):  # pragma: no cover - compiled
    """Unit ``i``'s segment on the 2 x 2 line (rows r, s; columns c, d).

    On this line ``x_r beta_rc + x_s beta_sc`` and ``x_r beta_rd + x_s beta_sd`` (hence
    ``theta_i``) are constant. Returns the cells ``z = x * beta`` of the four corners and
    the signed distances ``lo < 0 < hi`` from the current point to the segment's ends; the
    current logit position on the segment is ``log(-lo / hi)``.
    """
    z0 = b[i, r, c] * xr
    z1 = b[i, r, d] * xr
    z2 = b[i, s, c] * xs
    z3 = b[i, s, d] * xs
    return z0, z1, z2, z3, -min(z0, z3), min(z1, z2)


@njit(cache=True)
def _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1):  # pragma: no cover - compiled
    """Move to the point of odds ``o1 = p / (1 - p)`` on the segment of :func:`_segment`.

    ``p`` is the position on the segment (0 at ``lo``, 1 at ``hi``); the current point has
    odds ``-lo / hi``. Returns the new ``beta_rc, beta_rd, beta_sc, beta_sd`` and the
    Jacobian ``p1 q1 / (p0 q0)`` (q = 1 - p; 0 -> 1 is the move) of the logit-position
    map as two ratios ``p1 / p0`` and ``q1 / q0`` (their product can overflow near the
    ends of the segment): callers multiply ratios and take one logarithm, since
    logarithms dominate the cost of the global moves. Used by the ridge and the global
    shift moves.
    """
    length = hi - lo
    if o1 > 1.0:
        e = 1.0 / o1
        up = length / (1.0 + e)
        dn = length * e / (1.0 + e)
    else:
        up = length * o1 / (1.0 + o1)
        dn = length / (1.0 + o1)
    n0 = (z0 + lo + up) / xr
    n1 = (z1 - hi + dn) / xr
    return n0, n1, (z2 - hi + dn) / xs, (z3 + lo + up) / xs, up / -lo, dn / hi


@njit(cache=True)
def _acc_log(prod, logsum, ratio):  # pragma: no cover - compiled
    """Accumulate ``log(ratio)`` as a running product, flushed to ``logsum`` before it can
    overflow: ``logsum + log(prod)`` is the sum of the logs (one ``log`` per many terms)."""
    if 1e-50 < ratio < 1e50:
        prod *= ratio
        if not (1e-200 < prod < 1e200):
            logsum += math.log(prod)
            prod = 1.0
    else:
        logsum += math.log(ratio)
    return prod, logsum

