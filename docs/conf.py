"""Sphinx configuration of the congresslab documentation (``make docs``).

Why Sphinx + MyST-NB rather than Jupyter Book: Jupyter Book 2 is built on the MyST
JavaScript tool chain (Node.js), which fetches its site template from the network at build
time; the site must build offline. Sphinx with MyST-NB reads the same Markdown and notebooks,
installs from PyPI alone, and autodoc builds the API reference from the docstrings.

Nothing here loads from the network: the notebooks are rendered from their stored outputs
(never executed), no intersphinx, no CDN scripts (require.js for widgets is disabled, no
page uses math), and the theme ships its fonts and scripts.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "scripts"))

import docs_pages  # noqa: E402  (scripts/docs_pages.py: pages generated from the repository)

import congresslab  # noqa: E402

docs_pages.generate(ROOT, DOCS)

project = "congresslab"
author = "congresslab developers"
copyright = "congresslab developers, BSD-3-Clause"  # noqa: A001
version = release = congresslab.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

# pages and notebooks
exclude_patterns = ["_build", "_generated/fragments", "**.ipynb_checkpoints", "Thumbs.db",
                    ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "off"          # rendered from the outputs stored in the notebooks
nb_ipywidgets_js = {}              # would add require.js and the widget manager from a CDN
# without a widget manager a widget view renders as nothing: show the HTML read-out that the
# notebook stores beside it (notebook 12); the kernel-free explorer is the explorer page
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_merge_streams = True
# "ref.python": a bare name in a docstring type (e.g. origin) matching attributes of two classes
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "ref.python"]

# API reference: numpydoc-style docstrings read by napoleon
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True           # "Attributes" as fields: no duplicate of the autodoc members

# HTML: a theme that ships its assets (fonts, icons, scripts); no analytics, no CDN
html_theme = "pydata_sphinx_theme"
html_title = f"congresslab {release}"
html_static_path = ["_static"]
html_css_files = ["congresslab.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
# pages without sub-pages: no empty "Section Navigation" column
html_sidebars = {"index": [], "getting-started": [], "explorer": [], "teaching": [],
                 "changelog": [],
                 "data/index": []}   # its one sub-page is linked in the text: room for tables
html_context = {"default_mode": "auto"}   # else the theme logs a console error on first visit
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "secondary_sidebar_items": ["page-toc"],
    "use_edit_page_button": False,
}
