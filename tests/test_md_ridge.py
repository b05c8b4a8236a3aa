"""Step 3 of the multinomial-Dirichlet sampler, the within-unit ridge moves.

On a 2 x 2 unit the ridge is one segment, and with alpha fixed the moves must leave the
Dirichlet prior restricted to that segment invariant. Each proposal kind (uniform, logit random
walk on three scales, Beta independence) is checked alone and in the default mix against the
exact density, integrated numerically (logic of the compiled code, run as Python).
"""

import numpy as np
import pytest
from scipy import integrate

from congresslab.transfers._md.kernels import RIDGE_MIX, ridge_moves

ALPHA = np.array([[0.3, 2.0], [0.2, 1.5]])  # spikes at both ends of the segment
X = np.array([[0.6, 0.4]])
B0 = np.array([[[0.5, 0.5], [0.2, 0.8]]])


def exact_moments(alpha):
    """Mean of beta_00 and P(beta_00 < 0.2) under the Dirichlet prior on the segment.

    The segment moves t voters' shares into cells (0, 0), (1, 1) and out of (0, 1), (1, 0);
    its ends are where cell (0, 0) (low end) and cell (1, 0) (high end) reach zero, whose
    power singularities quad integrates as algebraic weights.
    """
    z = B0[0] * X[0][:, None]  # voters' shares in the four cells
    lo, hi = -z[0, 0], z[1, 0]
    assert lo == -min(z[0, 0], z[1, 1]) and hi == min(z[0, 1], z[1, 0])
    w = dict(weight="alg", wvar=(alpha[0, 0] - 1.0, alpha[1, 0] - 1.0))

    def smooth(t):
        return (z[0, 1] - t) ** (alpha[0, 1] - 1.0) * (z[1, 1] + t) ** (alpha[1, 1] - 1.0)

    cut = 0.2 * X[0, 0] - z[0, 0]  # t where beta_00 = 0.2
    mass = integrate.quad(smooth, lo, hi, **w)[0]
    mean = integrate.quad(lambda t: (z[0, 0] + t) / X[0, 0] * smooth(t), lo, hi, **w)[0]
    w_below = dict(weight="alg", wvar=(alpha[0, 0] - 1.0, 0.0))
    below = integrate.quad(lambda t: smooth(t) * (hi - t) ** (alpha[1, 0] - 1.0), lo, cut,
                           **w_below)[0]  # fmt: skip
    return mean / mass, below / mass


@pytest.mark.parametrize(
    "mix",
    [RIDGE_MIX[False], RIDGE_MIX[True], (1.0, 0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 1.0, 4.0, 16.0),
     (0.0, 0.0, 1.0, 1.0, 1.0)],
    ids=["default", "collapsed", "uniform", "random_walk", "beta"],
)
def test_ridge_moves_keep_the_prior_on_the_segment(mix):
    np.random.seed(5)  # noqa: NPY002 - the kernels use the legacy generator
    b = B0.copy()
    acc = np.zeros(4)
    zm = np.zeros((2, 2))
    draws = np.empty(30000)
    for k in range(draws.size):
        ridge_moves.py_func(X, zm, ALPHA, b, 1, acc, np.array(mix))
        draws[k] = b[0, 0, 0]
    theta = X[0] @ b[0]
    np.testing.assert_allclose(theta, X[0] @ B0[0], atol=1e-12)  # the data fit is kept
    mean, below = exact_moments(ALPHA)
    assert draws.mean() == pytest.approx(mean, abs=0.015)
    assert np.mean(draws < 0.2) == pytest.approx(below, abs=0.02)
    assert 0.05 < acc[0] / draws.size < 1.0
