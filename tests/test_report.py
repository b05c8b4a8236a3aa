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
