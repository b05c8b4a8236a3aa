"""Generate the documentation pages that must follow the repository, not be copied by hand.

``docs/conf.py`` calls :func:`generate` at every ``make docs``. It writes into
``docs/_generated/`` (ignored by git, rebuilt each time):

* ``fragments/data-files.md`` — one section per file of ``data/raw/``, from ``datapackage.json``
  (title, description, provenance, size, sha256, the meaning of every column), with the
  statuses and the sources found in the file itself, and the conflicts between sources;
* ``reports/<name>.md`` — one page per ``reports/*.md``, which includes that report
  (the measured numbers are never retyped into the docs), and
  ``fragments/<section>-reports.md``, the table of contents of each section's reports
  (``data_coverage.md`` goes to the data section, benchmarks and coverage to the methods);
* ``fragments/explorer.html`` — the kernel-free scenario explorer of every two-round
  congress (``congresslab.explorer``), its Vega JavaScript inlined once;
* ``case-studies/NN-name.ipynb`` — copies of the executed notebooks, rendered from their
  stored outputs (the docs build never executes them).

Run by hand: ``python scripts/docs_pages.py`` prints what it wrote.
"""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "ROOT",
    "ManifestError",
    "REPORT_SECTIONS",
    "report_section",
    "md_escape",
    "md_table",
    "figures_table",
    "data_files_page",
    "isolate_script",
    "explorer_fragment",
    "copy_notebooks",
    "report_pages",
    "generate",
]

ROOT = Path(__file__).resolve().parents[1]

#: where a report is shown, by the start of its file name: the methods section (accuracy,
#: coverage, speed), the data section; every other report is a study.
REPORT_SECTIONS = {"benchmarks": "methods", "coverage_study": "methods",
                   "data_coverage": "data"}

#: columns that name where a row comes from, in the order they are looked for
SOURCE_COLUMNS = ("source_url", "source")


class ManifestError(ValueError):
    """The manifest ``datapackage.json`` cannot describe the raw files."""


def report_section(name: str) -> str:
    """Return ``"methods"``, ``"data"`` or ``"studies"``: where report ``name`` is shown.

    Examples
    --------
    >>> report_section("benchmarks"), report_section("coverage_study_bayes")
    ('methods', 'methods')
    >>> report_section("data_coverage"), report_section("power_study")
    ('data', 'studies')
    """
    for prefix, section in REPORT_SECTIONS.items():
        if name.startswith(prefix):
            return section
    return "studies"


def md_escape(text: object) -> str:
    """Make ``text`` safe inside a Markdown table cell (pipes, newlines, markup).

    Examples
    --------
    >>> md_escape("a | b\\nc*d")
    'a \\\\| b c\\\\*d'
    """
    out = " ".join(str(text).split())
    for char in "\\|*_`<>[]":
        out = out.replace(char, "\\" + char)
    return out


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Return a Markdown (GFM) table; cells are escaped with :func:`md_escape`.

    Examples
    --------
    >>> print(md_table(["a", "b"], [[1, "x|y"]]))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "---|" * len(header)]
    for row in rows:
        cells = ["" if cell is None else md_escape(cell) for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _load_manifest(manifest: Path) -> dict:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{manifest}: no such file") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{manifest}: not valid JSON (line {exc.lineno}, "
                            f"column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise ManifestError(f"{manifest}: no 'resources' list")
    for i, res in enumerate(data["resources"]):
        if not isinstance(res, dict) or "path" not in res:
            raise ManifestError(f"{manifest}: resources[{i}] has no 'path'")
        fields = res.get("schema", {}).get("fields")
        if not isinstance(fields, list) or not all(isinstance(f, dict) and "name" in f
                                                   for f in fields):
            raise ManifestError(f"{manifest}: resources[{i}] ({res['path']}): "
                                "schema.fields must be a list of {name, description}")
    return data


def _read_rows(path: Path, encoding: str) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _source_cell(text: str) -> str:
    """A source as Markdown: URLs become links (followed only when clicked), the rest text."""
    text = " ".join(text.split())
    if text.startswith(("http://", "https://")) and " " not in text:
        return f"<{text}>"
    return md_escape(text)


def _conflict_lines(conflicts) -> list[str]:
    if conflicts is None or len(conflicts) == 0:
        return ["No conflict between sources is recorded."]
    cols = [c for c in ("congress_year", "round", "status", "metric", "value_used",
                        "alternative", "alternative_source") if c in conflicts.columns]
    rows = [[_cell(v) for v in row] for row in conflicts[cols].itertuples(False)]
    return [md_table(cols, rows)]


def _cell(value: object) -> object:
    """A table cell: missing values (None, NaN, pandas.NA) as "–", whole floats as integers."""
    if value is None or str(value) in {"<NA>", "nan", "NaT"}:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def figures_table(results) -> str:
    """Markdown table of the published national figures, one row per congress, round, status.

    Parameters
    ----------
    results : pandas.DataFrame
        ``congresslab.load_results(round=None, status=None)``: columns ``congress_year,
        congress_city, round, status, candidate, votes, share_pct, votes_method`` (and
        ``note``, shown once per row of the table).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"congress_year": [2025, 2025], "congress_city": ["Nancy"] * 2,
    ...     "round": [2, 2], "status": ["official"] * 2, "candidate": ["A B", "C D"],
    ...     "votes": pd.array([12689, None], dtype="Int64"), "share_pct": [51.15, 48.85],
    ...     "votes_method": ["published", None]})
    >>> print(figures_table(r).splitlines()[-1])
    | 2025 Nancy | 2 | official | A B 51.15 % (12,689); C D 48.85 % |  |
    """
    rows = []
    keys = ["congress_year", "congress_city", "round", "status"]
    for (year, city, rnd, status), grp in results.groupby(keys, sort=False):
        parts = []
        for r in grp.itertuples(index=False):
            text = f"{r.candidate} {r.share_pct:g} %"
            if str(r.votes) not in {"<NA>", "nan", "None"}:
                derived = " derived" if r.votes_method == "derived" else ""
                text += f" ({int(r.votes):,}{derived})"
            parts.append(text)
        notes = [] if "note" not in grp else \
            sorted({str(n) for n in grp["note"] if str(n) not in {"<NA>", "nan", "None"}})
        rows.append([f"{year} {city}", rnd, status, "; ".join(parts), "; ".join(notes)])
    return md_table(["congress", "round", "status", "share of expressed votes (count)",
                     "note"], rows)


def data_files_page(raw_dir: Path, conflicts=None, overview=None, results=None) -> str:
    """Return the Markdown of the "raw files" page, generated from ``raw_dir/datapackage.json``.

    Parameters
    ----------
    raw_dir : Path
        Folder holding ``datapackage.json`` and the files it lists.
    conflicts : pandas.DataFrame, optional
        Conflicts between sources (``congresslab.load_turnout_conflicts()``), shown as a table.
    overview : pandas.DataFrame, optional
        What is published per congress, round and status (``congresslab.congresses()``).
    results : pandas.DataFrame, optional
        The national figures (``congresslab.load_results(round=None, status=None)``),
        shown with :func:`figures_table`.

    Returns
    -------
    str
        Markdown (MyST) text.

    Raises
    ------
    ManifestError
        When the manifest is missing or malformed, or lists a file that does not exist,
        or a file's header differs from the columns the manifest describes; the message
        names the manifest, the file and the column.
    """
    raw_dir = Path(raw_dir)
    manifest = raw_dir / "datapackage.json"
    data = _load_manifest(manifest)
    out = [f"Generated at build time from `data/raw/datapackage.json` "
           f"({len(data['resources'])} files). {md_escape(data.get('description', ''))}", ""]
    if overview is not None:
        out += ["## What is published, per congress and round", "",
                "From the processed tables (`congresslab.congresses()`): per status, the "
                "number of options, the leader, whether counts are published, derived or "
                "absent (shares only), and the turnout figures when published.", "",
                md_table(list(overview.columns),
                         [[_cell(v) for v in row] for row in overview.itertuples(False)]),
                "", ]
    if results is not None:
        out += ["## The published national figures", "",
                "Every option's published share, with its count when one is published "
                "(\"derived\": share × published expressed votes, see the note). Generated "
                "from `congresslab.load_results(round=None, status=None)`.",
                "", figures_table(results), ""]
    out += ["## Conflicts between sources", "",
            "Kept visible, never silently resolved (`congresslab.load_turnout_conflicts()`; "
            "the `conflict` column of `load_turnout`):", ""]
    out += _conflict_lines(conflicts) + [""]
    for res in data["resources"]:
        path = raw_dir / res["path"]
        if not path.is_file():
            raise ManifestError(f"{manifest}: lists {res['path']}, which is not in {raw_dir}")
        fields = res["schema"]["fields"]
        header, rows = _read_rows(path, res.get("encoding", "utf-8"))
        described = [f["name"] for f in fields]
        if header != described:
            missing = [c for c in described if c not in header]
            extra = [c for c in header if c not in described]
            raise ManifestError(f"{manifest}: {res['path']}: columns differ from the header "
                                f"(described but absent: {missing}; present but not "
                                f"described: {extra})")
        out += [f"## `{res['path']}`", "", f"**{md_escape(res.get('title', ''))}.** "
                f"{md_escape(res.get('description', ''))}", ""]
        facts = [("rows", len(rows)), ("bytes", res.get("bytes", "–")),
                 ("format", f"{res.get('format', '–')}, {res.get('encoding', 'utf-8')}"),
                 ("sha256", f"`{res.get('sha256', '–')}`"),
                 ("provenance", md_escape(res.get("provenance", "–")))]
        out += [f"- {k}: {v}" for k, v in facts] + [""]
        out += ["| column | meaning |", "|---|---|"]
        out += [f"| `{f['name']}` | {md_escape(f.get('description', ''))} |" for f in fields]
        out.append("")
        if "status" in header:
            counts = Counter(r["status"] for r in rows)
            out += ["Statuses (rows): " + "; ".join(f"{md_escape(s or '(empty)')}: {n}"
                                                    for s, n in sorted(counts.items())), ""]
        source_col = next((c for c in SOURCE_COLUMNS if c in header), None)
        if source_col is not None:
            counts = Counter(" ".join(r[source_col].split()) for r in rows)
            out += [f"Sources (column `{source_col}`, {len(counts)} distinct, with the number "
                    "of rows citing each):", ""]
            out += [f"- {_source_cell(s) if s else '(empty)'} ({n})"
                    for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
            out.append("")
    return "\n".join(out)


def isolate_script(script: str) -> str:
    r"""Wrap the JavaScript of a ``<script>`` element in a function scope.

    The Vega bundle declares minified top-level constants (``const _=…``); in a classic
    script they share the page's global scope, where Sphinx's ``doctools.js`` already
    declares ``const _``, so the bundle would stop with "Identifier '_' has already been
    declared". Inside a function they are local; the bundle still publishes
    ``window.vegaEmbed``.

    Examples
    --------
    >>> isolate_script('<script type="text/javascript">const _=1;window.x=_;</script>')
    '<script type="text/javascript">(function () {\nconst _=1;window.x=_;\n})();</script>'
    """
    start = script.index(">") + 1
    end = script.rindex("</script>")
    return script[:start] + "(function () {\n" + script[start:end].strip("\n") + \
        "\n})();" + script[end:]


def explorer_fragment() -> str:
    """HTML of the scenario explorers of every two-round congress, for the explorer page.

    The Vega, Vega-Lite and vega-embed JavaScript is inlined once (no CDN); each congress's
    explorer follows. Without ``congresslab.explorer`` the fragment says so, and
    ``make docs-check`` then fails on the explorer page.
    """
    try:
        from congresslab import explorer
    except ImportError as exc:
        return ("<p><b>The scenario explorer is not available in this tree</b> "
                f"(congresslab.explorer: {html.escape(str(exc))}).</p>")
    parts = [isolate_script(explorer.vega_script())]
    parts += [explorer.explorer_html(year, full_html=False, include_js=False)
              for year in explorer.two_round_congresses()]
    return "\n".join(parts)


def copy_notebooks(notebooks: Iterable[Path], dest: Path) -> list[Path]:
    """Copy the executed notebooks into ``dest`` (emptied of old copies); return the copies."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.ipynb"):
        old.unlink()
    copies = []
    for nb in sorted(Path(p) for p in notebooks):
        target = dest / nb.name
        shutil.copyfile(nb, target)
        copies.append(target)
    return copies


def report_pages(reports: Iterable[Path], dest: Path, docs_dir: Path) -> dict[str, list[str]]:
    """Write one page per report that includes it; return the page names per section."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.md"):
        old.unlink()
    sections: dict[str, list[str]] = {"methods": [], "data": [], "studies": []}
    for report in sorted(Path(p) for p in reports):
        rel = Path(os.path.relpath(report.resolve(), dest.resolve())).as_posix()
        shown = report.resolve().relative_to(docs_dir.resolve().parent).as_posix()
        first = report.read_text(encoding="utf-8").split("\n", 1)[0]
        # several reports share a title (the coverage study's variants): the page title
        # adds the file name, and the report's own first heading is skipped
        title, skip = ((first[2:].strip(), 1) if first.startswith("# ")
                       else (report.stem, 0))
        (dest / report.name).write_text(
            f"# {title} (`{report.name}`)\n\n"
            f"*This page includes `{shown}` as its script wrote it.*\n\n"
            f"```{{include}} {rel}\n:start-line: {skip}\n```\n", encoding="utf-8")
        sections[report_section(report.stem)].append(report.stem)
    return sections


def _toctree(entries: Sequence[str], caption: str | None = None) -> str:
    head = "```{toctree}\n:maxdepth: 1\n" + (f":caption: {caption}\n" if caption else "")
    return head + "\n" + "\n".join(entries) + "\n```\n"


def generate(root: Path = ROOT, docs_dir: Path | None = None) -> list[Path]:
    """Write every generated page under ``docs/_generated/``; return the files written."""
    docs_dir = root / "docs" if docs_dir is None else docs_dir
    gen = docs_dir / "_generated"
    gen.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        import congresslab as cl
        conflicts, overview = cl.load_turnout_conflicts(), cl.congresses()
        results = cl.load_results(round=None, status=None)
    except Exception as exc:  # noqa: BLE001 - the page says why the tables are missing
        print(f"docs_pages: processed tables unavailable ({exc}); run `make data`",
              file=sys.stderr)
        conflicts = overview = results = None
    frag = gen / "fragments"
    frag.mkdir(exist_ok=True)
    page = frag / "data-files.md"
    page.write_text(data_files_page(root / "data" / "raw", conflicts, overview, results)
                    + "\n", encoding="utf-8")
    written.append(page)
    page = frag / "explorer.html"
    page.write_text(explorer_fragment() + "\n", encoding="utf-8")
    written.append(page)
    sections = report_pages(sorted((root / "reports").glob("*.md")), gen / "reports",
                            docs_dir)
    for section, names in sections.items():
        page = frag / f"{section}-reports.md"
        page.write_text(_toctree([f"/_generated/reports/{n}" for n in names]),
                        encoding="utf-8")
        written.append(page)
    written += copy_notebooks(sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb")),
                              docs_dir / "case-studies" / "notebooks")
    return written


if __name__ == "__main__":
    for path in generate():
        print(path.relative_to(ROOT))
