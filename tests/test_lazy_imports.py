"""The command line and the package import heavy libraries only when a command needs them.

`congresslab --help` and an `lp` estimate must not pay for numba (the sampler), statsmodels
(Goodman) or matplotlib (plots): issue 18 measured 2.9 s before any work. Timings are not
asserted (they depend on the machine); which modules get imported is.
"""

import subprocess
import sys

import pytest

HEAVY = ("numba", "statsmodels", "matplotlib")


def _imported_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.splitlines()[-1].split())


def test_help_imports_no_heavy_library():
    mods = _imported_after(
        "from congresslab.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "congresslab.cli" in mods
    for heavy in (*HEAVY, "scipy.optimize", "scipy.stats"):
        assert heavy not in mods, heavy


def test_lp_estimate_imports_neither_numba_nor_statsmodels(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("unit,a,b,x,y\nu1,60,40,55,45\nu2,30,70,40,60\nu3,50,50,50,50\n")
    mods = _imported_after(
        "from congresslab.cli import main\n"
        f"main(['estimate', {str(f)!r}, '--unit', 'unit', '--origin', 'a,b',"
        " '--destination', 'x,y', '--method', 'lp', '--quiet'])"
    )
    assert "congresslab.transfers.models.lp" in mods  # the estimate did run
    for heavy in HEAVY:
        assert heavy not in mods, heavy


@pytest.mark.parametrize(
    "name, module",
    [("Goodman", "congresslab.transfers.models.goodman"),
     ("LinearProgram", "congresslab.transfers.models.lp")],
)
def test_lazy_names_resolve(name, module):
    import congresslab.transfers as tr

    cls = getattr(tr, name)
    assert cls.__module__ == module and name in dir(tr) and name in tr.__all__
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        tr.nope  # noqa: B018
