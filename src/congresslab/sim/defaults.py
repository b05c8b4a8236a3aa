"""Calibrated defaults of the congress simulator (no imports: the CLI reads them at start)."""

__all__ = ["DEFAULT_DISPERSION", "DEFAULT_SIZE_LEAN"]

#: Default heterogeneity, calibrated (with :data:`DEFAULT_SIZE_LEAN`) so that a congress
#: simulated like 2025 reproduces the published numbers of federations won by each finalist
#: in the runoff; the calibration over seeds is in ``reports/simulation_realism.md``.
DEFAULT_DISPERSION: float = 0.6
#: Default size gradient of the winner's lean (see :func:`simulate_congress`), calibrated
#: jointly with :data:`DEFAULT_DISPERSION`.
DEFAULT_SIZE_LEAN: float = 0.12
