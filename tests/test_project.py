"""Project plumbing: environment.yml agrees with pyproject, the CLI, figures with provenance."""

from __future__ import annotations

import json
import tomllib

import pytest
from PIL import Image

import congresslab
from congresslab import cli, paths
from congresslab.figures import plot_congress, save_figure


def test_environment_yml_installs_the_package_with_pyproject_extras():
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(pyproject["project"]["optional-dependencies"])
    env = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    pip_lines = [line.strip()[2:].strip() for line in env.splitlines()
                 if line.strip().startswith("- -e ")]
    assert len(pip_lines) == 1, "environment.yml must install the package with pip -e"
    spec = pip_lines[0][len("-e "):].strip()
    assert spec.startswith(".[") and spec.endswith("]")
    assert set(spec[2:-1].split(",")) == extras
    # environment.yml lists no dependency of its own: pyproject.toml is the single list
    conda_deps = [line.strip()[2:] for line in env.split("dependencies:")[1].splitlines()
                  if line.startswith("  - ")]
    assert {dep.split(">")[0].split("=")[0] for dep in conda_deps} <= {"python", "pip", "pip:"}


def test_readme_test_command_is_what_ci_runs():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in ci
    assert "make reproduce" in readme


def test_cli_info(capsys):
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert "Marseille" in out and "38815" in out


def test_cli_build_data(capsys):
    assert cli.main(["build-data"]) == 0
    assert "results" in capsys.readouterr().out


def test_save_figure_records_provenance(tmp_path):
    fig = plot_congress(2025)
    path = save_figure(fig, "test", made_by="tests/test_project.py",
                       data=["data/processed/results.csv"], folder=tmp_path)
    info = Image.open(path).info
    assert info["Source"] == "tests/test_project.py"
    assert "results.csv" in info["Description"]
    index = (tmp_path / "index.csv").read_text(encoding="utf-8")
    assert "test.png" in index and "Nancy 2025" in index


def test_figure_index_keeps_every_line_when_written_in_parallel(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from congresslab.figures import _record

    index = tmp_path / "index.csv"

    def write(k):
        _record(index, {"figure": f"f{k:03d}.png", "title": "t", "made_by": "m", "data": "d"})

    with ThreadPoolExecutor(4) as pool:  # as notebooks of make test in parallel workers
        list(pool.map(write, range(100)))
    lines = index.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "figure,title,made_by,data"
    assert lines[1:] == [f"f{k:03d}.png,t,m,d" for k in range(100)]


def test_figure_bars_are_the_published_shares():
    fig = plot_congress(2025)
    heights = sorted(round(p.get_height(), 2) for p in fig.axes[1].patches)
    assert heights == sorted([50.9, 49.1, 51.15, 48.85])


@pytest.mark.parametrize("year", [2018, 2021, 2023, 2025])
def test_compare_statuses_changes(year):
    table = congresslab.compare_statuses(year, 1)
    expected = (table["share_official"] - table["share_provisional"]).round(2)
    assert table["share_change"].equals(expected)


def test_readme_python_examples_run():
    """Every ```python block of the README and of the docs' getting-started page runs, in
    order, each file in one namespace."""
    import re

    import matplotlib

    matplotlib.use("Agg")
    for name in ("README.md", "docs/getting-started.md"):
        text = (paths.ROOT / name).read_text(encoding="utf-8")
        blocks = re.findall(r"```python\n(.*?)```", text, re.S)
        assert len(blocks) >= 2, name
        namespace: dict = {}
        for block in blocks:
            exec(compile(block, name, "exec"), namespace)  # noqa: S102
        assert namespace["res"].simulated and namespace["res"].transfer.shape == (6, 5), name


def test_notebook_markdown_is_not_commented_out():
    # markdown cells written as "# text" lines render as a column of level-1 headings
    for nb in sorted((paths.ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        for i, cell in enumerate(cells):
            lines = "".join(cell["source"]).splitlines()
            if cell["cell_type"] == "markdown" and len(lines) > 1:
                heads = sum(line.startswith("# ") or line == "#" for line in lines)
                assert heads <= 1, f"{nb.name}, cell {i}: {heads} lines start with '# '"


def test_figure_axis_says_when_the_base_is_not_stated():
    # 2018's runoff share (Faure 86 %, sole candidate) has no stated base
    assert plot_congress(2018).axes[1].get_ylabel() == "% (base not stated)"
    assert plot_congress(2025).axes[1].get_ylabel() == "% of expressed votes"
