"""Lazy attributes for package ``__init__`` modules (PEP 562).

A package lists where each public name lives; the module is imported the first time the
name is used, so that ``import congresslab`` and ``congresslab --help`` stay fast while
``congresslab.estimate`` still works.

Examples
--------
>>> getattr_, dir_ = lazy_attributes("os", {"sqrt": "math", "path": "os.path"})
>>> getattr_("sqrt")(4.0), getattr_("path").__name__ in ("posixpath", "ntpath")
(2.0, True)
>>> dir_()
['path', 'sqrt']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, where: Mapping[str, str]
                    ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``__getattr__`` and ``__dir__`` for a package whose names live in submodules.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (for error messages).
    where : mapping
        Public name -> module that defines it (a module's own name maps to itself).
    """

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        imported = importlib.import_module(module)
        return imported if module == f"{package}.{name}" else getattr(imported, name)

    def __dir__() -> list[str]:
        return sorted(where)

    return __getattr__, __dir__
