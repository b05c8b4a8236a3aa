"""Calibrated defaults of the congress simulator (no imports: the CLI reads them at start)."""

__all__ = ["DEFAULT_DISPERSION", "DEFAULT_SIZE_LEAN"]

#: Default heterogeneity, calibrated (with :data:`DEFAULT_SIZE_LEAN`) so that a congress
#: simulated like 2025 gives Faure about 58 federations won and Mayer-Rossignol about 41 in
#: the runoff, as published: over seeds 0-49, 59.7 ± 5.0 and 41.4 ± 5.2 of 102 federations
#: (0.9 ties); see ``reports/simulation_realism.md``.
DEFAULT_DISPERSION: float = 0.6
#: Default size gradient of the winner's lean (see :func:`simulate_congress`), calibrated
#: jointly with :data:`DEFAULT_DISPERSION`.
DEFAULT_SIZE_LEAN: float = 0.12
