"""Rendered notebook pages open offline, wherever they are written."""

from __future__ import annotations

import re

from congresslab import paths
from congresslab.report import render_notebooks


def test_rendered_page_loads_nothing_from_the_network(tmp_path, capsys):
    notebook = paths.NOTEBOOKS / "04-2018-aubervilliers.ipynb"
    timings = render_notebooks([notebook], out_dir=tmp_path)  # outside the project root
    page = (tmp_path / "04-2018-aubervilliers.html").read_text(encoding="utf-8")
    assert timings[0][0] == "04-2018-aubervilliers"
    assert "Aubervilliers" in page
    assert not re.search(r'<script[^>]*src="https?://', page)
    assert str(tmp_path) in capsys.readouterr().err


def test_notebook_kernels_run_without_the_plain_tcp_warning(tmp_path, capfd):
    import nbformat

    from congresslab.report import _execute

    notebook = tmp_path / "one-cell.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("6 * 7")]
    nbformat.write(nb, notebook)
    executed, _ = _execute(notebook, timeout=120)
    assert executed.cells[0].outputs[0]["data"]["text/plain"] == "42"
    # the kernel is a child process writing to the same stderr: one warning per notebook
    # ("Kernel is running over TCP without encryption") unless its transport is encrypted
    assert "without encryption" not in capfd.readouterr().err
