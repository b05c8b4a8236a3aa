"""CPU cost of each step of the multinomial-Dirichlet sampler, per call (issue 18).

Usage::

    python benchmarks/md_step_costs.py [SET ...]

Sets are those of ``benchmarks/bayes_speed.py`` (``sim*`` and ``congress*`` are SIMULATED).
One chain is warmed up (500 iterations of the default sampler, seed 0); then every compiled
step is called repeatedly on that state from Python and its CPU time per call
(``time.process_time()``) is printed in microseconds, with the global move (step 5) split into
its proposal along the line, its two Laplace (Newton) solves and the rest. The steps are timed
one at a time, on the state they leave behind; this measures cost, not mixing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).parent))

from bayes_speed import load_set  # noqa: E402

from congresslab.transfers._md import densities as D  # noqa: E402
from congresslab.transfers._md import kernels as K  # noqa: E402
from congresslab.transfers._md.driver import (  # noqa: E402
    _TINY,
    COLLAPSE_MAX_MEDIAN_UNIT,
    validate_counts,
)


@njit
def _loop_shift(n, x, zm, b, S, S2, Ur, l1, l2, phi, mode, chol, scale, new4, mode2, chol2, props,
                prop, work, no_n, no_N, acc):  # pragma: no cover - compiled
    for _ in range(n):
        K.shift_move(x, zm, b, S, S2, Ur, l1, l2, phi, mode, chol, scale, 10**9, 0, new4, mode2,
                     chol2, props, prop, work, no_n, no_N, acc)  # fmt: skip


@njit
def _loop_line(n, x, b, new4, kind):  # pragma: no cover - compiled
    for _ in range(n):
        K.line_proposal(x, b, 0, 1, 0, 1, kind, 0.01, new4)


@njit
def _loop_laplace(n, S2, Ur, no_n, no_N, l1, l2, zm, mode, mode2, chol2, work):  # pragma: no cover
    for _ in range(n):
        D._laplace_row(S2, Ur, no_n, no_N, l1, l2, zm, mode, mode2, chol2, work)


@njit
def _loop_rest(n, mode2, chol2, prop, S2, S, Ur, l1, l2, zm, phi, mode, chol):  # pragma: no cover
    for _ in range(n):
        D._t_draw(mode2, chol2, prop)
        D._lcp(prop, S2, Ur, l1, l2, zm)
        D._lcp(phi, S, Ur, l1, l2, zm)
        D._t_logpdf(phi, mode, chol)
        D._t_logpdf(prop, mode2, chol2)


def per_call(f, n: int) -> float:
    """CPU microseconds per call of ``f()`` (best of 3 batches of ``n``)."""
    best = np.inf
    for _ in range(3):
        c0 = time.process_time()
        for _ in range(n):
            f()
        best = min(best, (time.process_time() - c0) / n)
    return best * 1e6


def state(name: str, warm: int = 500):
    table, _ = load_set(name)
    X, T = validate_counts(table.X, table.T)
    U, R = X.shape
    C = T.shape[1]
    rng = np.random.default_rng(0)
    N = X.sum(1)
    x = X / N[:, None]
    Xf = X.astype(float)
    zm = np.zeros((R, C))
    beta = np.maximum(rng.standard_gamma(np.broadcast_to((T + 1.0)[None, :, None, :],
                                                         (1, U, R, C))), _TINY)
    beta /= beta.sum(-1, keepdims=True)
    # (shape, rate, hyper-shape, hyper-rate, grid lo, grid hi, grid m): the learned rate
    prior = np.array([[4.0, rng.gamma(1.0), 1.0, 1.0, 0.0, 0.0, 0.0]])
    phi = np.log(rng.gamma(4.0, 1.0 / prior[:, 1, None, None], size=(1, R, C)))
    mode = np.zeros((1, R, C))
    chol = np.zeros((1, R, C, C))
    scale = np.full((1, 2), 0.5)
    agg = np.empty((1, 1, R, C))
    keep = np.full(1, -1, dtype=np.int64)
    qbuf = np.empty((1, 1, U, R, C), dtype=np.float32)
    acc = np.zeros(4)
    collapse = bool(np.median(N) <= COLLAPSE_MAX_MEDIAN_UNIT)  # as fit_md decides
    mix = np.array(K.RIDGE_MIX[collapse])
    K.run_seeded(1, warm, 0, warm, 10**9, 0, 1, Xf, x, np.ascontiguousarray(T), Xf.sum(0), zm,
                 beta, phi, mode, chol, scale, prior, max(R, C) + 2, 3 * R * C, agg,
                 np.zeros((U, R, C)), np.zeros((R, C)), qbuf, keep, acc, collapse, mix)  # fmt: skip
    return dict(X=Xf, x=x, T=np.ascontiguousarray(T), zm=zm, b=beta[0], phi=phi[0],
                mode=mode[0], chol=chol[0], scale=scale[0], prior=prior[0], U=U, R=R, C=C,
                collapse=collapse, acc=acc, mix=mix)  # fmt: skip


def report(name: str) -> None:
    """Print the table of CPU µs per call of each step on set ``name``."""
    s = state(name)
    U, R, C = s["U"], s["R"], s["C"]
    x, b, zm, phi = s["x"], s["b"], s["zm"], s["phi"]
    l1, l2 = s["prior"][0], s["prior"][1]
    Ur = (x > 0).sum(0).astype(float)
    n = np.zeros((U, R, C))
    p = np.empty(R)
    g = np.empty(C)
    S = np.empty((R, C))
    S2 = np.empty((R, C))
    alpha = np.exp(phi)
    work = np.empty((C + 4, C))
    prop = np.empty(C)
    no_n, no_N = np.empty((0, C)), np.empty(0)
    new4 = np.empty((U, 4))
    mode2, props, chol2 = np.empty((2, C)), np.empty((2, C)), np.empty((2, C, C))
    acc = np.zeros(4)
    K.augment(x, s["T"], b, n, p)
    K.log_beta_sums(x, b, zm, S)
    rows = {}
    rows["augment"] = per_call(lambda: K.augment(x, s["T"], b, n, p), 200)
    if s["collapse"]:
        nr, Nr, chol_dm, mode_dm = np.empty((U, C)), np.empty(U), np.empty((C, C)), phi.copy()
        rows["collapsed_alpha (step 1b)"] = per_call(
            lambda: K.collapsed_alpha(n, S, l1, l2, zm, phi, alpha, mode_dm, nr, Nr, chol_dm,
                                      work, prop), 200)  # fmt: skip
    rows["draw_beta"] = per_call(lambda: K.draw_beta(alpha, n, zm, b, g), 200)
    rows["ridge_moves"] = per_call(
        lambda: K.ridge_moves(x, zm, alpha, b, max(R, C) + 2, acc, s["mix"]), 200)
    rows["log_beta_sums"] = per_call(lambda: K.log_beta_sums(x, b, zm, S), 200)
    rows["alpha_step"] = per_call(
        lambda: K.alpha_step(S, Ur, l1, l2, zm, phi, s["mode"], s["chol"], work, no_n, no_N,
                             prop, acc), 200)  # fmt: skip
    rows["shift_move"] = per_call(
        lambda: _loop_shift(1000, x, zm, b, S, S2, Ur, l1, l2, phi, s["mode"], s["chol"],
                            s["scale"], new4, mode2, chol2, props, prop, work, no_n, no_N,
                            acc), 3) / 1000  # fmt: skip
    rows["  line_proposal (shift)"] = per_call(lambda: _loop_line(1000, x, b, new4, 0), 3) / 1000
    rows["  line_proposal (scale)"] = per_call(lambda: _loop_line(1000, x, b, new4, 1), 3) / 1000
    S2[:] = S
    S2[0, 0] += 0.5
    S2[0, 1] -= 0.5
    rows["  _laplace_row (one row, from the current mode)"] = per_call(
        lambda: _loop_laplace(1000, S2[0], Ur[0], no_n, no_N, l1, l2, zm[0], s["mode"][0],
                              mode2[0], chol2[0], work), 3) / 1000  # fmt: skip
    rows["  _t_draw + _lcp x2 + _t_logpdf x2 (one row)"] = per_call(
        lambda: _loop_rest(1000, mode2[0], chol2[0], prop, S2[0], S[0], Ur[0], l1, l2, zm[0],
                           phi[0], s["mode"][0], s["chol"][0]), 3) / 1000  # fmt: skip
    rows["store"] = per_call(lambda: K.store(s["X"], s["X"].sum(0), b, phi, l2, 0,
                                             np.empty((1, R, C)), np.zeros((U, R, C)),
                                             np.zeros((R, C)), np.empty((1, U, R, C),
                                             dtype=np.float32), np.full(1, -1), acc), 200)
    print(f"## {name} ({U} × {R} × {C}); per iteration: {3 * R * C} global moves, "
          f"{max(R, C) + 2} ridge moves per unit; accept shift {acc[2]:.0f}")
    print("| step | CPU µs per call |")
    print("|---|---:|")
    for k, v in rows.items():
        print(f"| {k} | {v:.1f} |")
    sm = rows["shift_move"] * 3 * R * C
    print(f"| global moves per iteration | {sm:.0f} |")


def main(argv: list[str]) -> int:
    for name in argv or ["congress2025_s1"]:
        report(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
