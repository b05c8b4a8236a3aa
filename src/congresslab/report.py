"""Execute the notebooks and render them to HTML for readers without Python.

``python -m congresslab.report notebooks/*.ipynb`` executes each notebook (in a copy: the
committed notebooks are not modified), which writes its figures under
``reports/figures/``, renders it to ``reports/html/<name>.html`` and writes
``reports/html/index.html`` linking every notebook and figure.
"""

from __future__ import annotations

import csv
import html
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from congresslab import __version__, paths

__all__ = ["render_notebooks", "store_outputs", "write_index", "offline_html"]

_REMOTE_SCRIPT = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)


def offline_html(body: str) -> str:
    """The page without the scripts nbconvert's template loads from a CDN.

    The template asks for require.js and MathJax from the network; the notebooks need
    neither (no widget state is kept, no formula is typeset), and a page must open offline.

    Examples
    --------
    >>> offline_html('<p>a</p><script src="https://cdn.x/require.js"></script><script>1</script>')
    '<p>a</p><script>1</script>'
    """
    return _REMOTE_SCRIPT.sub("", body)


def _kernel_config() -> object:
    """Kernel-manager settings: encrypt the kernel's transport where both sides can.

    Without keys, ipykernel (7.x) logs "Kernel is running over TCP without encryption" on
    the shared stderr once per notebook. A jupyter_client with the ``transport_encryption``
    setting (8.10 here) provisions CurveZMQ keys with ``"auto"`` when the kernelspec declares
    support for it (as ipykernel's does); older versions, or pyzmq without CurveZMQ, keep
    plain TCP and the warning.
    """
    import zmq
    from jupyter_client import KernelManager
    from traitlets.config import Config

    config = Config()
    if "transport_encryption" in KernelManager.class_trait_names() and zmq.has("curve"):
        config.KernelManager.transport_encryption = "auto"
    return config


def _execute(notebook: Path, timeout: int, record_timing: bool = True) -> tuple[object, float]:
    """Read and execute a notebook in its own folder; return the node and the seconds."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.read(notebook, as_version=4)
    start = time.perf_counter()
    ExecutePreprocessor(timeout=timeout, kernel_name="python3", record_timing=record_timing,
                        config=_kernel_config()).preprocess(
        nb, {"metadata": {"path": str(notebook.parent)}})
    return nb, time.perf_counter() - start


def render_notebooks(notebooks: Sequence[Path], out_dir: Path | None = None,
                     timeout: int = 600) -> list[tuple[str, float]]:
    """Execute notebooks and write their HTML; return (name, seconds) per notebook."""
    from nbconvert import HTMLExporter

    out_dir = paths.HTML if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings = []
    for notebook in map(Path, notebooks):
        nb, seconds = _execute(notebook, timeout)
        # no widget state: widgets (notebook 12) then show their HTML read-out instead of
        # loading the widget manager from a CDN
        nb.metadata.pop("widgets", None)
        body, _ = HTMLExporter().from_notebook_node(nb)
        page = out_dir / f"{notebook.stem}.html"
        page.write_text(offline_html(body), encoding="utf-8")
        timings.append((notebook.stem, seconds))
        shown = page.relative_to(paths.ROOT) if page.is_relative_to(paths.ROOT) else page
        print(f"{notebook.name:<40} executed in {seconds:5.1f} s → {shown}", file=sys.stderr)
    return timings


def store_outputs(notebook: Path, timeout: int = 600) -> float:
    """Execute a notebook in place, keeping outputs but no volatile metadata.

    This is how the committed notebooks get the outputs that nbval compares; execution
    timestamps are not recorded. Returns the seconds taken.
    """
    import nbformat

    notebook = Path(notebook)
    nb, seconds = _execute(notebook, timeout, record_timing=False)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)  # widget model ids change at every run
    nb.metadata.get("language_info", {}).pop("version", None)
    nbformat.write(nb, notebook)
    return seconds


def write_index(timings: Sequence[tuple[str, float]], out_dir: Path | None = None) -> Path:
    """Write ``index.html`` linking the rendered notebooks and the figures."""
    out_dir = paths.HTML if out_dir is None else Path(out_dir)
    items = "\n".join(f'<li><a href="{html.escape(name)}.html">{html.escape(name)}</a> '
                      f"({seconds:.1f} s)</li>" for name, seconds in timings)
    figures = []
    index = paths.FIGURES / "index.csv"
    if index.exists():
        with open(index, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                figures.append(
                    f'<li><a href="../figures/{html.escape(row["figure"])}">'
                    f'{html.escape(row["title"] or row["figure"])}</a> — made by '
                    f'{html.escape(row["made_by"])} from {html.escape(row["data"])}</li>')
    explorers = "\n".join(  # written by congresslab.explorer before the notebooks
        f'<li><a href="{p.name}">{p.stem}</a> (scenarios from national totals, no kernel '
        "needed)</li>" for p in sorted(out_dir.glob("explorer-*.html")))
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>congresslab case studies</title></head>
<body style="font-family: sans-serif; max-width: 60em; margin: 2em auto">
<h1>congresslab {__version__}: case studies</h1>
<p>Executed notebooks on the Parti socialiste congresses of 2018–2025. Real figures come
from <code>data/raw/</code> with their sources; anything labelled SIMULATED is not real.</p>
<h2>Notebooks</h2><ul>
{items}
</ul>
<h2>Scenario explorers</h2><ul>
{explorers}
</ul>
<h2>Figures</h2><ul>
{chr(10).join(figures)}
</ul></body></html>
"""
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    from congresslab.cli.report import main

    sys.exit(main())
