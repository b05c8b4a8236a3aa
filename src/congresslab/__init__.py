"""congresslab: sourced results of Parti socialiste congresses and vote-transfer estimation."""

__version__ = "0.1.0"

__all__ = ["__version__"]
