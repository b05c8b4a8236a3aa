"""The documentation tools without a browser: the link checker on small fake sites, the
manifest → data page generator, the report pages, and the README as a front page."""

from __future__ import annotations

import doctest
import hashlib
import json
import re
import sys

import pytest

from congresslab import paths

sys.path.insert(0, str(paths.ROOT / "scripts"))
import docs_check  # noqa: E402
import docs_pages  # noqa: E402


@pytest.mark.parametrize("module", [docs_check, docs_pages])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------------------------------
# link checker


def _site(tmp_path, pages: dict[str, str]):
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return tmp_path


def test_link_checker_accepts_a_sound_site(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<a href="sub/page.html#part">p</a><a href="#top" id="top">t</a>'
                      '<a href="https://example.org/source">a source</a>'
                      '<link rel="stylesheet" href="_static/s.css"><img src="img/f.png">',
        "sub/page.html": '<h2 id="part">Part</h2><a href="../index.html">up</a>'
                         '<a href="./">folder index</a>',
        "sub/index.html": "<p>folder</p>",
        "_static/s.css": "body { background: url(bg.png); }",
        "img/f.png": "png",
    })
    problems, n_pages, n_links = docs_check.check_site(site)
    assert problems == []
    assert n_pages == 3 and n_links == 6


def test_link_checker_finds_broken_links_anchors_and_network_loads(tmp_path):
    site = _site(tmp_path, {
        "index.html": '<a href="missing.html">x</a><a href="page.html#nowhere">y</a>'
                      '<script src="https://cdn.example.org/require.js"></script>'
                      '<link rel="stylesheet" href="//fonts.example.org/f.css">'
                      '<img src="http://example.org/i.png"><a href="../outside.html">o</a>',
        "page.html": '<h1 id="here">h</h1><style>@import "https://example.org/x.css";</style>',
        "_static/theme.css": "@font-face { src: url('https://example.org/font.woff2'); }",
        "_static/template.html": "<a href=\"{{ pathto('x') }}\">not a page</a>",
    })
    problems, n_pages, _ = docs_check.check_site(site)
    assert n_pages == 2       # _static/ holds theme files, not pages
    found = sorted((p.kind, p.page) for p in problems)
    assert found == [("broken-anchor", "index.html"), ("broken-link", "index.html"),
                     ("broken-link", "index.html"), ("network-load", "_static/theme.css"),
                     ("network-load", "index.html"), ("network-load", "index.html"),
                     ("network-load", "index.html"), ("network-load", "page.html")]
    messages = " ".join(str(p) for p in problems)
    assert "no id 'nowhere' in page.html" in messages
    assert "missing.html → no such file" in messages and "leaves the site" in messages
    assert "<script> loads https://cdn.example.org/require.js" in messages


def test_docs_check_exit_codes(tmp_path, capsys):
    assert docs_check.main([str(tmp_path), "--no-browser"]) == 2
    assert "run `make docs` first" in capsys.readouterr().err
    _site(tmp_path, {"index.html": '<a href="gone.html">x</a>'})
    assert docs_check.main([str(tmp_path), "--no-browser"]) == 1
    out = capsys.readouterr().out
    assert "FAIL broken-link: index.html: gone.html → no such file" in out
    (tmp_path / "gone.html").write_text("<p>back</p>", encoding="utf-8")
    assert docs_check.main([str(tmp_path), "--no-browser"]) == 0
    assert "docs-check passed: 0 problems" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------
# manifest → data page


def _raw(tmp_path, rows: str, fields: list[str], **extra) -> object:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_text(rows, encoding="utf-8")
    resource = {"path": "t.csv", "title": "A table", "description": "What | it holds",
                "sha256": hashlib.sha256(rows.encode()).hexdigest(), "bytes": len(rows),
                "format": "csv", "encoding": "utf-8", "provenance": "copied",
                "schema": {"fields": [{"name": f, "description": f"meaning of {f}"}
                                      for f in fields]}} | extra
    (raw / "datapackage.json").write_text(json.dumps({"description": "Raw.",
                                                      "resources": [resource]}))
    return raw


def test_data_page_lists_columns_statuses_and_sources(tmp_path):
    raw = _raw(tmp_path, "year,value,status,source_url\n"
                         "2023,1,official,https://a.example/x\n"
                         "2023,2,provisional,https://a.example/x\n"
                         "2025,3,official,a note | with a pipe\n",
               ["year", "value", "status", "source_url"])
    page = docs_pages.data_files_page(raw)
    assert "## `t.csv`" in page and "**A table.** What \\| it holds" in page
    assert "| `value` | meaning of value |" in page
    assert "- rows: 3" in page
    assert "Statuses (rows): official: 2; provisional: 1" in page
    assert "- <https://a.example/x> (2)" in page          # URLs become links, counted
    assert "- a note \\| with a pipe (1)" in page          # text is escaped for Markdown
    assert "No conflict between sources is recorded." in page


def test_figures_table_marks_derived_counts_and_keeps_notes():
    import pandas as pd

    results = pd.DataFrame({
        "congress_year": [2018, 2018, 2018], "congress_city": ["Aubervilliers"] * 3,
        "round": [1, 1, 2], "status": ["provisional", "provisional", "official"],
        "candidate": ["Olivier Faure", "Stéphane Le Foll", "Olivier Faure"],
        "votes": pd.array([17695, 9511, None], dtype="Int64"),
        "share_pct": [48.56, 26.1, 86.0], "votes_method": ["derived", "derived", None],
        "note": ["votes = share × expressed", "votes = share × expressed", "base not stated"]})
    table = docs_pages.figures_table(results).splitlines()
    assert table[2] == ("| 2018 Aubervilliers | 1 | provisional | Olivier Faure 48.56 % (17,695 "
                        "derived); Stéphane Le Foll 26.1 % (9,511 derived) | votes = share × "
                        "expressed |")
    assert table[3] == ("| 2018 Aubervilliers | 2 | official | Olivier Faure 86 % | "
                        "base not stated |")


def test_data_page_shows_conflicts_and_overview_tables(tmp_path):
    import pandas as pd

    raw = _raw(tmp_path, "a\n1\n", ["a"])
    conflicts = pd.DataFrame({"congress_year": [2025], "metric": ["registered"],
                              "value_used": pd.array([39815], dtype="Int64"),
                              "alternative": [38815.0], "alternative_source": ["a forum"]})
    overview = pd.DataFrame({"year": [2025], "voters": pd.array([None], dtype="Int64")})
    page = docs_pages.data_files_page(raw, conflicts=conflicts, overview=overview)
    assert "| 2025 | registered | 39815 | 38815 | a forum |" in page
    assert "| 2025 | – |" in page                                 # missing shown as –


@pytest.mark.parametrize(("fields", "message"), [
    (["a", "b", "extra"], r"described but absent: \['extra'\]"),
    (["a"], r"present but not described: \['b'\]"),
])
def test_data_page_refuses_a_manifest_that_disagrees_with_the_file(tmp_path, fields, message):
    raw = _raw(tmp_path, "a,b\n1,2\n", fields)
    expected = r"datapackage.json: t.csv: columns differ from the header \(.*" + message
    with pytest.raises(docs_pages.ManifestError, match=expected):
        docs_pages.data_files_page(raw)


def test_data_page_names_a_missing_file_and_bad_json(tmp_path):
    raw = _raw(tmp_path, "a\n1\n", ["a"], path="gone.csv")
    with pytest.raises(docs_pages.ManifestError, match="lists gone.csv, which is not in"):
        docs_pages.data_files_page(raw)
    (raw / "datapackage.json").write_text('{"resources": [}')
    with pytest.raises(docs_pages.ManifestError, match=r"not valid JSON \(line 1, column 16"):
        docs_pages.data_files_page(raw)
    (raw / "datapackage.json").write_text('{"resources": [{"path": "t.csv"}]}')
    with pytest.raises(docs_pages.ManifestError, match=r"resources\[0\] \(t.csv\): schema"):
        docs_pages.data_files_page(raw)


def test_data_page_of_the_real_manifest_covers_every_raw_file_and_column():
    page = docs_pages.data_files_page(paths.RAW)
    manifest = json.loads(paths.MANIFEST.read_text(encoding="utf-8"))
    for res in manifest["resources"]:
        assert f"## `{res['path']}`" in page
        for field in res["schema"]["fields"]:
            assert f"| `{field['name']}` |" in page
    raw_files = {p.name for p in paths.RAW.glob("*.csv")}
    assert raw_files == {res["path"] for res in manifest["resources"]}


# ---------------------------------------------------------------------------------------
# report pages, notebooks


def test_report_pages_include_each_report_under_its_section(tmp_path):
    root = tmp_path / "repo"
    (root / "reports").mkdir(parents=True)
    (root / "docs").mkdir()
    for name, title in [("benchmarks", "# Bench"), ("coverage_study_x", "# Cov"),
                        ("power_study", "# Power"), ("data_coverage", "no heading")]:
        (root / "reports" / f"{name}.md").write_text(f"{title}\n\nbody\n", encoding="utf-8")
    dest = root / "docs" / "_generated" / "reports"
    sections = docs_pages.report_pages(sorted((root / "reports").glob("*.md")), dest,
                                       root / "docs")
    assert sections == {"methods": ["benchmarks", "coverage_study_x"],
                        "data": ["data_coverage"], "studies": ["power_study"]}
    page = (dest / "power_study.md").read_text(encoding="utf-8")
    assert page.startswith("# Power (`power_study.md`)")
    assert "```{include} ../../../reports/power_study.md\n:start-line: 1\n```" in page
    assert (dest / "power_study.md").parent.joinpath(
        "../../../reports/power_study.md").resolve().is_file()
    assert ":start-line: 0" in (dest / "data_coverage.md").read_text(encoding="utf-8")


def test_copy_notebooks_replaces_stale_copies(tmp_path):
    src = tmp_path / "nb"
    src.mkdir()
    (src / "01-a.ipynb").write_text("{}")
    dest = tmp_path / "copies"
    dest.mkdir()
    (dest / "09-removed.ipynb").write_text("{}")
    copies = docs_pages.copy_notebooks([src / "01-a.ipynb"], dest)
    assert [p.name for p in copies] == ["01-a.ipynb"]
    assert sorted(p.name for p in dest.iterdir()) == ["01-a.ipynb"]


# ---------------------------------------------------------------------------------------
# the README as a front page


def test_readme_is_a_front_page():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme) < 6000, f"README.md has {len(readme)} characters (front page: < 6000)"
    assert "make reproduce" in readme and "make test" in readme and "make docs" in readme
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images, "the README shows one picture"
    for image in images:
        assert (paths.ROOT / image).is_file(), f"README picture {image} is not in the tree"
