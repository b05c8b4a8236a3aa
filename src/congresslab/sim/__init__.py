"""SIMULATED two-round congresses with a known truth, at federation level.

One module per job: :mod:`~congresslab.sim.totals` (national totals to reproduce),
:mod:`~congresslab.sim.members` (federation sizes), :mod:`~congresslab.sim.congress` (the
generator and :class:`SimulatedCongress`), :mod:`~congresslab.sim.realism` (comparison with
the published facts), :mod:`~congresslab.sim.plots`; published anchors are read from data by
:mod:`~congresslab.sim.anchors`. The command line is :mod:`congresslab.cli.simulate`.
"""

from congresslab._lazy import lazy_attributes

_WHERE = {
    "CongressTotals": "congresslab.sim.totals",
    "congress_totals": "congresslab.sim.totals",
    "SimulatedCongress": "congresslab.sim.congress",
    "simulate_congress": "congresslab.sim.congress",
    "DEFAULT_DISPERSION": "congresslab.sim.defaults",
    "DEFAULT_SIZE_LEAN": "congresslab.sim.defaults",
    "simulate_members": "congresslab.sim.members",
    "realism_report": "congresslab.sim.realism",
    "realism_over_seeds": "congresslab.sim.realism",
    "plot_simulated": "congresslab.sim.plots",
}

__all__ = list(_WHERE)

__getattr__, __dir__ = lazy_attributes(__name__, _WHERE)
