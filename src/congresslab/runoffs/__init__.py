"""National transfer arithmetic for any two-round vote, of any party.

* :mod:`~congresslab.runoffs.engine` — :class:`Runoff` (any eliminated candidates, any pair
  of finalists), implied splits, scenario tables and tipping points, with the assumptions
  (loyalty, crossover, newcomers, endorsements) as explicit inputs;
* :mod:`~congresslab.runoffs.bounds` — Duncan–Davis bounds, and bounds under loyalty
  assumptions;
* :mod:`~congresslab.runoffs.sources` — a vote's :class:`Runoff` from the published figures,
  every version kept and conflicts refused rather than resolved silently;
* :mod:`~congresslab.runoffs.compare` — several runoffs side by side;
* :mod:`~congresslab.runoffs.federations` — federations that published both rounds
  (Reims 2008) as real units, with Duncan–Davis bounds;
* :mod:`~congresslab.runoffs.plots` — needed-versus-received and range figures.
"""

from congresslab.runoffs import bounds as _bounds
from congresslab.runoffs import engine as _engine
from congresslab.runoffs.bounds import *  # noqa: F403 - the engine and bounds are the API
from congresslab.runoffs.engine import *  # noqa: F403

__all__ = [*_engine.__all__, *_bounds.__all__]
