"""Pinned draws of the multinomial-Dirichlet sampler.

Refactoring the sampler (moving or splitting its kernels) must not change a single draw: these
values were captured from the sampler before it was split into ``transfers/_md/`` and are
compared to full float precision. A change that is *meant* to change the draws (a new move, a
new start) updates them in a separate commit that says why. Regenerated (issue 18) when the
Newton search of the global moves got its start from the current mode plus its linear change:
the same converged modes up to the search's tolerance, so the draws differ from the last digits
on and the chains then drift apart. Regenerated again when the ridge moves got their Beta and
wide random-walk proposals (and, with step 1b, one more random number per walk move).
"""

import warnings

import numpy as np
import pytest

from congresslab.transfers._md.driver import fit_md
from congresslab.transfers.diagnostics import ConvergenceWarning

X = np.array([[58, 50, 0], [37, 39, 0], [28, 23, 16], [33, 39, 4], [13, 4, 25], [55, 44, 32],
              [29, 41, 58], [32, 27, 18], [47, 26, 25]])
T = np.array([[52, 46, 10], [22, 20, 34], [25, 20, 22], [36, 14, 26], [18, 15, 9], [89, 28, 14],
              [48, 54, 26], [29, 32, 16], [32, 20, 46]])
ZEROS = np.array([[0, 0, 0], [0, 0, 0], [0, 0, 1]], dtype=bool)
CASES = {
    "plain": dict(collapse=False),
    "collapsed": dict(collapse=True),
    "zero_fixed_rate_thin_extension": dict(collapse=False, lambda2=0.5, thin=2, check=True,
                                           max_extensions=1, structural_zeros=ZEROS),
}
# fmt: off
PINNED = {'collapsed': {'alpha': [4.016388038843043,
                         2.787783942326142,
                         2.242604626062804,
                         3.0683336133833925,
                         2.1575999282064267,
                         2.111386787729012,
                         3.5206294778147185,
                         3.110890765743283,
                         2.1446637311608323],
               'first': [0.5241063886462932,
                         0.1546028008773098,
                         0.3212908104763971,
                         0.29122861123895394,
                         0.3816303864152107,
                         0.3271410023458353,
                         0.48521438488931457,
                         0.3531370741714307,
                         0.1616485409392546],
               'last': [0.5433693246179022,
                        0.18429357051667392,
                        0.2723371048654239,
                        0.4394477903867727,
                        0.29319871861385693,
                        0.2673534909993704,
                        0.3694824009124549,
                        0.4807528722723588,
                        0.1497647268151864],
               'mean': [0.4751919485481014,
                        0.2851208926812865,
                        0.23968715877061209,
                        0.41132194045691967,
                        0.3068795710471756,
                        0.28179848849590483,
                        0.4131774166669344,
                        0.359664194226985,
                        0.22715838910608052],
               'rate': 1.5577939362744015,
               'shape': [2, 12, 3, 3],
               'unit0': [0.5144279858708695,
                         0.36568248594513025,
                         0.1198895281840003,
                         0.43691435265565454,
                         0.4556605585275375,
                         0.10742508881680794,
                         0.4166090546762284,
                         0.2805090054720196,
                         0.302881939851752],
               'unit_lo4': [0.12786928284913301,
                            0.08370230700820684,
                            0.0779028706252575,
                            0.06125746015459299,
                            0.04429180696606637,
                            0.01885912474244833,
                            0.21288290917873381,
                            0.19183133468031882,
                            0.10287503972649575]},
 'plain': {'alpha': [2.860264792090289,
                     1.7930902505789899,
                     1.872922716082231,
                     2.9612967202791993,
                     2.4226743798571357,
                     2.0150055857600524,
                     2.370857453126034,
                     2.2146720921620626,
                     1.4996119101578556],
           'first': [0.3175685419673645,
                     0.29363064884680323,
                     0.3888008091858323,
                     0.6452513749591542,
                     0.14963081364790712,
                     0.20511781139293875,
                     0.31947543624183034,
                     0.5222638833234113,
                     0.15826068043475838],
           'last': [0.4594594093561134,
                    0.3544973372133997,
                    0.18604325343048683,
                    0.48567173352130727,
                    0.2610950722568393,
                    0.25323319422185353,
                    0.3611732082030356,
                    0.3410443536831744,
                    0.2977824381137901],
           'mean': [0.46057622347596255,
                    0.2755899401029937,
                    0.2638338364210438,
                    0.4320036422749573,
                    0.31035987307888285,
                    0.25763648464616007,
                    0.3938862505428537,
                    0.38824696275807585,
                    0.21786678669907047],
           'rate': 1.8515123734720458,
           'shape': [2, 12, 3, 3],
           'unit0': [0.48832655574488243,
                     0.38072240642445326,
                     0.13095103783066422,
                     0.43606489422925065,
                     0.4594118751797871,
                     0.1045232305909622,
                     0.3649563529339243,
                     0.3973319201897027,
                     0.23771172687637301],
           'unit_lo4': [0.020055752713233232,
                        0.014932950865477326,
                        0.05061503602191806,
                        0.16954915151000022,
                        0.053499925043433906,
                        0.10767272897064686,
                        0.0804910158738494,
                        0.15345204547047614,
                        0.016121545690111816]},
 'zero_fixed_rate_thin_extension': {'alpha': [5.780763473857383,
                                              3.144596836121168,
                                              5.411719761968711,
                                              8.340571036327457,
                                              6.8296480376947954,
                                              6.0833059431206795,
                                              10.458498078264386,
                                              9.166955077295954,
                                              None],
                                    'first': [0.42455796217858,
                                              0.181209683518844,
                                              0.39423235430257597,
                                              0.4235548525743223,
                                              0.3501985443175375,
                                              0.22624660310814035,
                                              0.5943955789038542,
                                              0.4056044210961459,
                                              0.0],
                                    'last': [0.3823086981165676,
                                             0.21490943765755768,
                                             0.40278186422587464,
                                             0.39508941540730574,
                                             0.3311164112947009,
                                             0.2737941732979934,
                                             0.6433821700149478,
                                             0.3566178299850522,
                                             0.0],
                                    'mean': [0.4343374507096856,
                                             0.20378018858120614,
                                             0.36188236070910823,
                                             0.3876569509694428,
                                             0.337609129348317,
                                             0.2747339196822401,
                                             0.5266545438042168,
                                             0.4733454561957831,
                                             0.0],
                                    'rate': 0.5,
                                    'shape': [2, 18, 3, 3],
                                    'unit0': [0.5226485137317227,
                                              0.3183506111616172,
                                              0.15900087510666008,
                                              0.3993973048300719,
                                              0.4596987918986366,
                                              0.14090390327129146,
                                              0.5130712937012946,
                                              0.48692870629870555,
                                              0.0],
                                    'unit_lo4': [0.08758285325020551,
                                                 0.03380722380243242,
                                                 0.21798235662281512,
                                                 0.11046568732708692,
                                                 0.07328578848391772,
                                                 0.06067086160182953,
                                                 0.4245134018361568,
                                                 0.31404019221663476,
                                                 0.0]}}
# fmt: on


@pytest.mark.parametrize("name", list(CASES))
def test_pinned_draws(name):
    kw = dict(chains=2, draws=12, warmup=10, seed=7, progress=False, check=False)
    kw.update(CASES[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = fit_md(X, T, **kw)
    want = PINNED[name]
    assert list(fit.agg_draws.shape) == want["shape"]
    assert fit.agg_draws[0, 0].ravel().tolist() == want["first"]
    assert fit.agg_draws[1, -1].ravel().tolist() == want["last"]
    assert fit.agg_mean.ravel().tolist() == want["mean"]
    assert fit.unit_mean[0].ravel().tolist() == want["unit0"]
    assert fit.unit_lo[4].ravel().tolist() == want["unit_lo4"]
    alpha = [None if np.isnan(v) else v for v in fit.alpha_mean.ravel().tolist()]
    assert alpha == want["alpha"]
    assert fit.settings["rate_mean"] == want["rate"]
