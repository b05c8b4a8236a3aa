"""Scenario explorer: move the assumptions of the national arithmetic and watch the result.

The national totals of a two-round congress do not identify where the eliminated motion's
voters went (see :mod:`congresslab.scenarios`); what they give is an *implied split* under
stated assumptions. This module lets a reader move those assumptions:

* :func:`explorer_widget` — ipywidgets sliders for JupyterLab (loyalty of the finalists'
  voters, crossover, how the runoff's newcomers split, the round-1 blank/null rate), updating
  the implied split of the eliminated motion's voters and the tipping point;
* :func:`explorer_html` — the same explorer for a web page *without* a Python kernel: a
  Vega-Lite chart (built with Altair) over a :func:`precompute_grid` of scenarios, with the
  Vega, Vega-Lite and vega-embed JavaScript inlined from the ``vl-convert-python`` package,
  so that nothing is fetched from the network;
* :func:`write_explorers` — ``reports/html/explorer-<year>.html`` for every two-round
  congress (``congresslab explorer``, run by ``make reproduce``).

The explorer takes its congress as a *source*: a year, a
:class:`~congresslab.scenarios.NationalTable`, or a function ``r1_blank_rate -> table``;
and the scenario functions as arguments (default :func:`~congresslab.scenarios.implied_split`
and :func:`~congresslab.scenarios.tipping_point`). A new congress or party plugs in by
passing its table or its table function; nothing here names a congress.

Stable HTML structure (used by browser tests; ``Y`` is the congress year)::

    div#explorer-Y.cl-explorer[data-year=Y]
      input#explorer-Y-<param>.cl-explorer-slider[type=range][data-param=<param>]
          (<param>: loyalty, crossover, newcomers, blank; the slider's value is an index
          into the grid values; ``blank`` is disabled where the round-1 rate is published)
      output#explorer-Y-<param>-value.cl-explorer-param   (the slider's value, e.g. "95 %")
      output#explorer-Y-split.cl-explorer-split            (implied split, e.g. "51.5 %")
      output#explorer-Y-tipping.cl-explorer-tipping        (tipping point, e.g. "55.3 %")
      output#explorer-Y-status.cl-explorer-status          ("feasible" / "infeasible" ...)
      div#explorer-Y-chart.cl-explorer-chart               (the Vega-Lite chart)

The root gets ``data-ready="true"`` once the chart is drawn. Everything shown is a
*scenario* computed from national totals, never an estimate.

Examples
--------
>>> model = ScenarioModel.from_source(2025)
>>> r = model.evaluate(loyalty=1.0, crossover=0.0, newcomers=0.5)
>>> round(r["split"], 1), round(r["tipping"], 1), r["feasible"]
(51.5, 55.3, True)
>>> model.blank_rate_applies, ScenarioModel.from_source(2023).blank_rate_applies
(True, False)
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from congresslab import paths
from congresslab.scenarios import (
    NationalTable,
    implied_split,
    national_table,
    scenario_arrays,
    tipping_point,
)

__all__ = [
    "ScenarioModel",
    "PARAMS",
    "DEFAULT_GRID",
    "two_round_congresses",
    "precompute_grid",
    "explorer_widget",
    "ScenarioWidget",
    "explorer_chart",
    "explorer_html",
    "vega_script",
    "write_explorers",
]

#: The four assumptions a reader moves, in slider order: name -> label.
PARAMS: dict[str, str] = {
    "loyalty": "loyalty of the finalists' round-1 voters",
    "crossover": "crossover of the finalists' voters to the other finalist",
    "newcomers": "runoff newcomers voting for the round-1 leader",
    "blank": "round-1 blank/null rate",
}

#: Grid of the precomputed HTML explorer (shares, not %). ``blank`` gets the congress's own
#: default rate added, and is reduced to that rate where the round-1 rate is published.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {
    "loyalty": tuple(np.round(np.linspace(0.80, 1.00, 21), 2)),
    "crossover": tuple(np.round(np.linspace(0.0, 0.10, 6), 2)),
    "newcomers": tuple(np.round(np.linspace(0.0, 1.0, 11), 2)),
    "blank": tuple(np.round(np.linspace(0.0, 0.04, 9), 3)),
}

TableSource = int | NationalTable | Callable[..., NationalTable]


def _surname(name: str) -> str:
    return name.split(" ", 1)[-1] if " " in name else name


@dataclass
class ScenarioModel:
    """One congress's scenario arithmetic, with its assumptions as plain arguments.

    Attributes
    ----------
    table_for : callable
        ``table_for(r1_blank_rate=rate)`` returns the national table (``rate=None``: the
        table's own default). Needs ``leader``, ``runner_up``, ``third``, ``year``,
        ``r1_voters``, ``r1_expressed`` and ``assumptions``, like
        :class:`~congresslab.scenarios.NationalTable`.
    split : callable
        ``split(table, loyalty=, crossover=, newcomers_to_leader=)`` returning a dict with
        ``third_to_leader_pct``, ``newcomers`` and ``feasible``
        (:func:`~congresslab.scenarios.implied_split`).
    tipping : callable
        ``tipping(table, loyalty=, crossover=, newcomers_to_leader=)`` returning the share
        (%) the runner-up needed (:func:`~congresslab.scenarios.tipping_point`).
    """

    table_for: Callable[..., Any]
    split: Callable[..., Mapping[str, Any]] = implied_split
    tipping: Callable[..., float] = tipping_point
    _cache: dict[float | None, Any] = field(default_factory=dict, repr=False)
    _flags: dict[str, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def from_source(cls, source: TableSource, *,
                    split: Callable[..., Mapping[str, Any]] = implied_split,
                    tipping: Callable[..., float] = tipping_point) -> ScenarioModel:
        """Build from a year, a national table, or a function ``r1_blank_rate -> table``.

        Examples
        --------
        >>> ScenarioModel.from_source(national_table(2023)).table().third
        'Hélène Geoffroy'
        """
        if isinstance(source, bool):
            raise TypeError("source must be a congress year, a NationalTable or a function")
        if isinstance(source, int | np.integer):
            year = int(source)

            def table_for(r1_blank_rate: float | None = None) -> NationalTable:
                return national_table(year, r1_blank_rate=r1_blank_rate)
        elif callable(source):
            table_for = source
        else:
            fixed = source

            def table_for(r1_blank_rate: float | None = None) -> Any:
                return fixed
        return cls(table_for, split, tipping)

    def table(self, blank_rate: float | None = None) -> Any:
        """The national table for a round-1 blank/null rate (``None``: the default)."""
        key = None if blank_rate is None else round(float(blank_rate), 10)
        if key not in self._cache:
            self._cache[key] = self.table_for(r1_blank_rate=key)
        return self._cache[key]

    @property
    def default_blank_rate(self) -> float:
        """Round-1 blank/null share of voters in the default table (published or assumed)."""
        t = self.table()
        return float(1 - t.r1_expressed / t.r1_voters) if t.r1_voters else 0.0

    @property
    def blank_rate_applies(self) -> bool:
        """Whether the round-1 blank/null rate is an assumption (it changes the table)."""
        if "applies" not in self._flags:
            base = float(self.table().r1_expressed)
            self._flags["applies"] = any(
                not np.isclose(float(self.table(r).r1_expressed), base, rtol=0, atol=1e-9)
                for r in (0.0, 0.03))
        return self._flags["applies"]

    def evaluate(self, loyalty: float, crossover: float, newcomers: float,
                 blank: float | None = None) -> dict[str, Any]:
        """The implied split and the tipping point under one scenario.

        Parameters
        ----------
        loyalty, crossover, newcomers
            Shares (0–1): see :func:`~congresslab.scenarios.implied_split`
            (``newcomers`` is its ``newcomers_to_leader``).
        blank
            Round-1 blank/null share of voters; ``None``: the table's default. Ignored
            where the round-1 rate is published.

        Returns
        -------
        dict
            ``split`` (% of the third-placed voters who chose a finalist going to the leader),
            ``tipping`` (% the runner-up needed), ``feasible``, ``newcomers_count``.
        """
        table = self.table(blank if self.blank_rate_applies else None)
        kw = {"loyalty": loyalty, "crossover": crossover, "newcomers_to_leader": newcomers}
        s = self.split(table, **kw)
        return {"split": float(s["third_to_leader_pct"]),
                "tipping": float(self.tipping(table, **kw)),
                "feasible": bool(s["feasible"]), "newcomers_count": float(s["newcomers"])}

    def evaluate_many(self, loyalty: Sequence[float], crossover: Sequence[float],
                      newcomers: Sequence[float], blank: float | None = None
                      ) -> dict[str, np.ndarray]:
        """:meth:`evaluate` for many scenarios with one blank/null rate, as arrays.

        With the default scenario functions and a
        :class:`~congresslab.scenarios.NationalTable`, one vectorised evaluation
        (:func:`~congresslab.scenarios.scenario_arrays`, the same floats as :meth:`evaluate`);
        otherwise :meth:`evaluate` scenario by scenario.

        Parameters
        ----------
        loyalty, crossover, newcomers
            One element per scenario (shares), as in :meth:`evaluate`.
        blank
            As in :meth:`evaluate`, for every scenario.

        Returns
        -------
        dict of numpy.ndarray
            ``split``, ``tipping``, ``feasible``, ``newcomers_count``, one element per
            scenario.

        Examples
        --------
        >>> r = ScenarioModel.from_source(2025).evaluate_many([1.0, 0.9], [0.0, 0.1], [0.5, 0.5])
        >>> r["split"].round(1).tolist(), r["feasible"].tolist()
        ([51.5, 52.5], [True, True])
        """
        table = self.table(blank if self.blank_rate_applies else None)
        if self.split is implied_split and self.tipping is tipping_point and isinstance(
                table, NationalTable):
            a = scenario_arrays(table, loyalty=loyalty, crossover=crossover,
                                newcomers_to_leader=newcomers)
            return {"split": a["third_to_leader_pct"], "tipping": a["tipping_point"],
                    "feasible": a["feasible"], "newcomers_count": a["newcomers"]}
        rows = [self.evaluate(lo, cr, nl, blank)
                for lo, cr, nl in zip(loyalty, crossover, newcomers, strict=True)]
        return {k: np.array([r[k] for r in rows], dtype=bool if k == "feasible" else float)
                for k in ("split", "tipping", "feasible", "newcomers_count")}

    def grid_values(self, grid: Mapping[str, Iterable[float]] | None = None
                    ) -> dict[str, list[float]]:
        """The values of each slider: ``grid`` (default :data:`DEFAULT_GRID`) plus defaults."""
        grid = {**DEFAULT_GRID, **(grid or {})}
        values = {k: sorted({round(float(v), 10) for v in grid[k]}) for k in PARAMS}
        for k, default in (("loyalty", 1.0), ("crossover", 0.0), ("newcomers", 0.5)):
            values[k] = sorted(set(values[k]) | {default})
        rate = round(self.default_blank_rate, 10)
        values["blank"] = sorted(set(values["blank"]) | {rate}) if self.blank_rate_applies \
            else [rate]
        return values


def _model(source: TableSource | ScenarioModel) -> ScenarioModel:
    return source if isinstance(source, ScenarioModel) else ScenarioModel.from_source(source)


def two_round_congresses() -> list[int]:
    """Congress years whose national table works: a runoff between the first two motions.

    Examples
    --------
    >>> two_round_congresses()
    [2023, 2025]
    """
    from congresslab.data.load import congresses

    years = []
    for year in sorted(set(int(y) for y in congresses()["congress_year"])):
        try:
            national_table(year)
        except ValueError:
            continue
        years.append(year)
    return years


def precompute_grid(source: TableSource | ScenarioModel,
                    grid: Mapping[str, Iterable[float]] | None = None) -> pd.DataFrame:
    """Every scenario of the grid, for the kernel-free explorer.

    The scenarios of each blank/null rate are evaluated together
    (:meth:`ScenarioModel.evaluate_many`).

    Parameters
    ----------
    source
        Year, national table, table function or :class:`ScenarioModel`.
    grid
        Values per parameter (shares); missing ones from :data:`DEFAULT_GRID`.

    Returns
    -------
    pandas.DataFrame
        One row per combination with ``loyalty + crossover ≤ 1``: ``loyalty``,
        ``crossover``, ``newcomers``, ``blank`` (in %, as shown), ``split``, ``tipping``
        (in %, rounded to 0.1 like :func:`~congresslab.scenarios.scenario_table`),
        ``feasible``.

    Examples
    --------
    >>> g = precompute_grid(2023, {"loyalty": [1.0], "crossover": [0.0],
    ...                           "newcomers": [0.5]})
    >>> g[["loyalty", "split", "tipping", "feasible"]].values.tolist()
    [[100.0, 9.7, 95.8, True]]
    """
    model = _model(source)
    values = model.grid_values(grid)
    combos = [c for c in product(values["loyalty"], values["crossover"], values["newcomers"])
              if not c[0] + c[1] > 1 + 1e-12]  # never empty: loyalty 1, crossover 0 are in
    lo, cr, nl = (list(v) for v in zip(*combos, strict=True))
    pct = {k: [round(100 * v, 3) for v in vs]
           for k, vs in (("loyalty", lo), ("crossover", cr), ("newcomers", nl))}
    cols: dict[str, list] = {k: [] for k in (*PARAMS, "split", "tipping", "feasible")}
    for b in values["blank"]:  # rows in the order blank, loyalty, crossover, newcomers
        r = model.evaluate_many(lo, cr, nl, b)
        for k, v in pct.items():
            cols[k] += v
        cols["blank"] += [round(100 * b, 3)] * len(combos)
        cols["split"] += [round(v, 1) for v in r["split"].tolist()]
        cols["tipping"] += [round(v, 1) for v in r["tipping"].tolist()]
        cols["feasible"] += [bool(v) for v in r["feasible"].tolist()]
    return pd.DataFrame(cols)


# ----------------------------------------------------------------------------- JupyterLab
@dataclass
class ScenarioWidget:
    """The ipywidgets explorer: sliders, a read-out, and the callback that links them.

    Attributes
    ----------
    model : ScenarioModel
    sliders : dict
        ``loyalty``, ``crossover``, ``newcomers``, ``blank`` -> ``FloatSlider`` (in %).
    readout : ipywidgets.HTML
        The implied split, the tipping point and the assumptions.
    box : ipywidgets.VBox
        Everything, ready to display.
    """

    model: ScenarioModel
    sliders: dict[str, Any]
    readout: Any
    box: Any
    last: dict[str, Any] = field(default_factory=dict)

    def update(self, change: Any = None) -> dict[str, Any]:
        """Recompute from the sliders and refresh the read-out; returns the scenario."""
        v = {k: s.value / 100 for k, s in self.sliders.items()}
        if v["loyalty"] + v["crossover"] > 1 + 1e-12:
            self.last = {"split": float("nan"), "tipping": float("nan"), "feasible": False,
                         "newcomers_count": float("nan"), "impossible": True}
            self.readout.value = ("<p><b>impossible</b>: loyalty + crossover exceed 100 % "
                                  "of the finalists' voters.</p>")
            return self.last
        if abs(v["blank"] - self.model.default_blank_rate) < 0.5e-4:  # the slider's rounding
            v["blank"] = self.model.default_blank_rate
        self.last = self.model.evaluate(v["loyalty"], v["crossover"], v["newcomers"],
                                        v["blank"])
        self.readout.value = _readout_html(self.model, self.last)
        return self.last

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The sliders in JupyterLab; in static HTML (no widget state), the read-out."""
        bundle = dict(self.box._repr_mimebundle_(**kwargs) or {})
        year = html.escape(str(self.model.table().year))
        bundle["text/html"] = (self.readout.value + "<p><small>Sliders need a running "
                               f"kernel; without one, open explorer-{year}.html (written by "
                               "<code>congresslab explorer</code>).</small></p>")
        return bundle


def _readout_text(model: ScenarioModel, r: Mapping[str, Any]) -> dict[str, str]:
    t = model.table()
    split = r["split"]
    ok = np.isfinite(split)
    return {
        "split": f"{split:.1f} %" if ok else "undefined",
        "other": f"{100 - split:.1f} %" if ok else "undefined",
        "tipping": f"{r['tipping']:.1f} %",
        "status": "feasible" if r["feasible"] else
        "infeasible: the totals cannot be reached under these assumptions",
        "leader": t.leader, "runner_up": t.runner_up, "third": t.third,
    }


def _readout_html(model: ScenarioModel, r: Mapping[str, Any]) -> str:
    x = {k: html.escape(v) for k, v in _readout_text(model, r).items()}
    return (f"<p><b>{x['third']}</b> voters who chose a finalist → {x['leader']}: "
            f"<b>{x['split']}</b> (→ {x['runner_up']}: {x['other']}).<br>"
            f"{x['runner_up']} needed more than <b>{x['tipping']}</b> of them to win. "
            f"Scenario: <i>{x['status']}</i>.</p>")


def explorer_widget(source: TableSource | ScenarioModel) -> ScenarioWidget:
    """ipywidgets sliders over the scenario functions, for JupyterLab.

    Parameters
    ----------
    source
        Year, national table, table function (``r1_blank_rate -> table``) or
        :class:`ScenarioModel` (to pass other ``split`` / ``tipping`` functions).

    Returns
    -------
    ScenarioWidget
        Display it (last expression of a cell); moving a slider calls
        :meth:`ScenarioWidget.update`.

    Examples
    --------
    >>> w = explorer_widget(2025)
    >>> w.sliders["loyalty"].value = 95.0
    >>> round(w.last["split"], 1)
    51.8
    """
    import ipywidgets as widgets

    model = _model(source)
    style = {"description_width": "22em"}
    layout = widgets.Layout(width="42em")
    applies = model.blank_rate_applies
    specs = {
        "loyalty": (80.0, 100.0, 0.5, 100.0),
        "crossover": (0.0, 10.0, 0.5, 0.0),
        "newcomers": (0.0, 100.0, 1.0, 50.0),
        "blank": (0.0, 5.0, 0.05, round(100 * model.default_blank_rate, 2)),
    }
    sliders = {}
    for name, (lo, hi, step, value) in specs.items():
        label = PARAMS[name] + (" (%)" if applies or name != "blank" else " (%, published)")
        sliders[name] = widgets.FloatSlider(
            value=value, min=lo, max=hi, step=step, description=label, style=style,
            layout=layout, continuous_update=True, readout_format=".2f" if name == "blank"
            else ".1f", disabled=(name == "blank" and not applies))
    readout = widgets.HTML()
    t = model.table()
    notes = widgets.HTML("<small>National totals of " + html.escape(str(t.year)) +
                         "; assumptions: " + html.escape("; ".join(t.assumptions) or "none") +
                         ". Scenarios, not estimates.</small>")
    box = widgets.VBox([*sliders.values(), readout, notes])
    w = ScenarioWidget(model, sliders, readout, box)
    for s in sliders.values():
        s.observe(w.update, names="value")
    w.update()
    return w


# ----------------------------------------------------------------------------- HTML
def explorer_chart(source: TableSource | ScenarioModel, grid: pd.DataFrame | None = None,
                   *, initial: Mapping[str, float] | None = None) -> Any:
    """The Vega-Lite chart (an Altair ``LayerChart``) over a precomputed grid.

    The chart has four variable parameters, ``loyalty``, ``crossover``, ``newcomers`` and
    ``blank`` (values as in the grid's columns, in %), which the page's sliders set. It
    draws the implied split against loyalty for the chosen other assumptions, the line
    below which the runner-up wins, and the chosen scenario as a point.
    """
    import altair as alt

    model = _model(source)
    grid = precompute_grid(model) if grid is None else grid
    t = model.table()
    init = {"loyalty": 100.0, "crossover": 0.0, "newcomers": 50.0,
            "blank": round(100 * model.default_blank_rate, 3), **(initial or {})}
    data = grid.rename(columns={"loyalty": "l", "crossover": "c", "newcomers": "n",
                                "blank": "b", "split": "s", "tipping": "t", "feasible": "f"})
    data["f"] = data["f"].astype(int)
    lo_x, hi_x = float(data["l"].min()), float(data["l"].max())
    split_label = f"{_surname(t.third)} voters → {_surname(t.leader)} (implied)"
    tip_label = f"below this line {_surname(t.runner_up)} wins"
    base = alt.Chart(data).transform_filter(
        "datum.c == crossover && datum.n == newcomers && datum.b == blank")
    lines = base.transform_calculate(th="100 - datum.t").transform_fold(
        ["s", "th"], as_=["series", "pct"]).transform_calculate(
        what=f"datum.series == 's' ? {json.dumps(split_label)} : {json.dumps(tip_label)}"
    ).mark_line(clip=True, strokeWidth=2).encode(
        x=alt.X("l:Q", title="loyalty of both finalists' round-1 voters (%)",
                scale=alt.Scale(domain=[lo_x - 0.5, hi_x + 0.5], nice=False)),
        y=alt.Y("pct:Q", title=f"{_surname(t.third)} voters → {_surname(t.leader)} (%)",
                scale=alt.Scale(domain=[0, 100])),
        strokeDash=alt.StrokeDash("what:N", title=None,
                                  legend=alt.Legend(orient="bottom", direction="vertical",
                                                    labelLimit=400)),
        color=alt.value("#333333"))
    point = base.transform_filter("datum.l == loyalty").mark_point(
        filled=True, size=140, clip=True, color="#e4007c").encode(
        x="l:Q", y=alt.Y("s:Q", scale=alt.Scale(domain=[0, 100])),
        tooltip=[alt.Tooltip("s:Q", title="implied split (%)"),
                 alt.Tooltip("t:Q", title=f"{_surname(t.runner_up)} needed (%)")])
    params = [alt.param(name=k, value=float(v)) for k, v in init.items()]
    return alt.layer(lines, point).add_params(*params).properties(
        width=520, height=300,
        title=f"{t.year}: implied split of {t.third}'s voters (national scenarios, "
              "not estimates)")


def vega_script() -> str:
    """``<script>`` with the Vega, Vega-Lite and vega-embed JavaScript inlined.

    The bundle comes from the ``vl-convert-python`` package (no network); it defines
    ``window.vegaEmbed``. Include it once per page, before any explorer fragment.
    """
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    bundle = vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())
    if "</script" in bundle.lower():  # would end the inline script early
        raise RuntimeError("the vega bundle contains '</script': cannot be inlined")
    return ('<script type="text/javascript">\n// Vega ' + vlc.get_vega_version() +
            ", vega-embed " + vlc.get_vega_embed_version() + " (from vl-convert-python)\n" +
            bundle + "\n</script>")


_INIT_JS = """
(function () {
  if (window.congresslabExplorer) { window.congresslabExplorer.initAll(); return; }
  function key(l, c, n, b) { return [l, c, n, b].join("|"); }
  function init(root) {
    if (root.dataset.initialised) { return; }
    root.dataset.initialised = "true";
    var cfg = JSON.parse(root.querySelector("script.cl-explorer-config").textContent);
    var spec = cfg.spec;
    var rows = Object.values(spec.datasets)[0];
    var index = new Map();
    rows.forEach(function (r) { index.set(key(r.l, r.c, r.n, r.b), r); });
    var sliders = root.querySelectorAll("input.cl-explorer-slider");
    var out = function (name) { return root.querySelector("output.cl-explorer-" + name); };
    var view = null;
    function current() {
      var v = {};
      sliders.forEach(function (s) { v[s.dataset.param] = cfg.values[s.dataset.param][+s.value]; });
      return v;
    }
    function update() {
      var v = current();
      sliders.forEach(function (s) {
        root.querySelector("output[data-param='" + s.dataset.param + "']").textContent =
          v[s.dataset.param].toFixed(s.dataset.param === "blank" ? 2 : 0) + " %";
      });
      var r = index.get(key(v.loyalty, v.crossover, v.newcomers, v.blank));
      if (!r) {
        out("split").textContent = "impossible";
        out("other").textContent = "impossible";
        out("tipping").textContent = "–";
        out("status").textContent = "impossible: loyalty + crossover exceed 100 %";
      } else {
        out("split").textContent = (r.s === null ? "undefined" : r.s.toFixed(1) + " %");
        out("other").textContent = (r.s === null ? "undefined" : (100 - r.s).toFixed(1) + " %");
        out("tipping").textContent = r.t.toFixed(1) + " %";
        out("status").textContent = r.f ? "feasible" :
          "infeasible: the totals cannot be reached under these assumptions";
      }
      root.dataset.state = r ? (r.f ? "feasible" : "infeasible") : "impossible";
      if (view) {
        Object.keys(v).forEach(function (k) { view.signal(k, v[k]); });
        view.runAsync();
      }
    }
    sliders.forEach(function (s) { s.addEventListener("input", update); });
    update();
    if (window.vegaEmbed) {
      window.vegaEmbed(root.querySelector(".cl-explorer-chart"), spec,
                       {actions: false, renderer: "svg"})
        .then(function (res) { view = res.view; update(); root.dataset.ready = "true"; })
        .catch(function (err) { console.error(err); root.dataset.ready = "error"; });
    } else {
      root.dataset.ready = "no-vega";
    }
  }
  function initAll() { document.querySelectorAll("div.cl-explorer").forEach(init); }
  window.congresslabExplorer = {init: init, initAll: initAll};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else { initAll(); }
})();
"""

_CSS = """
.cl-explorer { font-family: sans-serif; max-width: 48em; }
.cl-explorer-controls { display: grid; grid-template-columns: 22em 14em 5em; gap: .3em .8em;
  align-items: center; margin: 1em 0; }
.cl-explorer-readout { font-size: 1.05em; }
.cl-explorer-note { color: #555; font-size: .9em; }
"""


def _json_for_html(obj: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped as ``\\u`` codes.

    Examples
    --------
    >>> _json_for_html({"a": "</script>"})
    '{"a": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def explorer_html(source: TableSource | ScenarioModel, *, full_html: bool = True,
                  include_js: bool = True,
                  grid: Mapping[str, Iterable[float]] | None = None) -> str:
    """The kernel-free explorer as HTML (a whole page, or a fragment for the docs).

    Parameters
    ----------
    source
        Year, national table, table function or :class:`ScenarioModel`.
    full_html
        A standalone page (``True``) or a ``<div>`` fragment to embed in another page.
    include_js
        Inline the Vega bundle (:func:`vega_script`, about 0.9 MB). For a page with several
        explorers include it once (``vega_script()``) and pass ``include_js=False`` to the
        fragments; the small explorer script may appear several times.
    grid
        Slider values per parameter (see :data:`DEFAULT_GRID`).

    Returns
    -------
    str
        HTML with no ``http(s)://`` script source: nothing is fetched from the network.
        Its identifiers are listed in the module docstring.
    """
    model = _model(source)
    values = model.grid_values(grid)
    table = precompute_grid(model, values)
    t = model.table()
    year = html.escape(str(t.year))
    pct = {k: [round(100 * v, 3) for v in vs] for k, vs in values.items()}
    start = {"loyalty": 100.0, "crossover": 0.0, "newcomers": 50.0,
             "blank": round(100 * model.default_blank_rate, 3)}
    import altair as alt

    with alt.data_transformers.disable_max_rows():  # the grid is the point: keep every row
        spec = explorer_chart(model, table, initial=start).to_dict()
    first = model.evaluate(1.0, 0.0, 0.5, model.default_blank_rate)
    text = {k: html.escape(v) for k, v in _readout_text(model, first).items()}
    controls = []
    for name, label in PARAMS.items():
        idx = pct[name].index(start[name])
        disabled = " disabled" if len(pct[name]) == 1 else ""
        note = "" if name != "blank" or not disabled else " (published)"
        digits = 2 if name == "blank" else 0
        sid = f"explorer-{year}-{name}"
        controls.append(
            f'<label for="{sid}">{html.escape(label)}{note}</label>'
            f'<input type="range" id="{sid}" class="cl-explorer-slider" data-param="{name}" '
            f'min="0" max="{len(pct[name]) - 1}" step="1" value="{idx}"{disabled}>'
            f'<output id="{sid}-value" class="cl-explorer-param" data-param="{name}" '
            f'for="{sid}">{start[name]:.{digits}f} %</output>')
    assumptions = "".join(f"<li>{html.escape(a)}</li>" for a in t.assumptions) or \
        "<li>none beyond the scenario's own</li>"
    config = _json_for_html({"spec": spec, "values": pct})
    fragment = f"""<div class="cl-explorer" id="explorer-{year}" data-year="{year}">
<style>{_CSS}</style>
<h2>{year}: where did {html.escape(t.third)}'s voters go? National scenarios</h2>
<p class="cl-explorer-note">Move the assumptions; the national totals then imply how the
voters of {html.escape(t.third)} (eliminated after round 1) who chose a finalist split between
{html.escape(t.leader)} and {html.escape(t.runner_up)}. These are <b>scenarios</b> computed from
published national totals, not estimates: federation tables are not public.</p>
<form class="cl-explorer-controls" onsubmit="return false">
{chr(10).join(controls)}
</form>
<p class="cl-explorer-readout">{html.escape(t.third)}'s voters who chose a finalist →
{html.escape(t.leader)}: <b><output id="explorer-{year}-split" class="cl-explorer-split">\
{text['split']}</output></b> (→ {html.escape(t.runner_up)}: <output id="explorer-{year}-other" \
class="cl-explorer-other">{text['other']}</output>).<br>
{html.escape(t.runner_up)} needed more than <b><output id="explorer-{year}-tipping" \
class="cl-explorer-tipping">{text['tipping']}</output></b> of them to win.
Scenario: <i><output id="explorer-{year}-status" class="cl-explorer-status">{text['status']}\
</output></i>.</p>
<div class="cl-explorer-chart" id="explorer-{year}-chart"></div>
<p class="cl-explorer-note">Assumptions of the national table:</p><ul class="cl-explorer-note">
{assumptions}</ul>
<p class="cl-explorer-note">Grid: {len(table):,} precomputed scenarios
(<code>congresslab.explorer.precompute_grid</code>); the same arithmetic as
<code>congresslab.scenarios.implied_split</code> and <code>tipping_point</code>.</p>
<script type="application/json" class="cl-explorer-config">{config}</script>
<script type="text/javascript">{_INIT_JS}</script>
</div>"""
    js = vega_script() if include_js else ""
    if not full_html:
        return js + "\n" + fragment
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>congresslab scenario explorer {year}</title>
{js}
</head>
<body style="margin: 2em auto; max-width: 50em">
{fragment}
</body></html>
"""


def write_explorers(out_dir: Path | None = None, years: Sequence[int] | None = None
                    ) -> list[Path]:
    """Write ``explorer-<year>.html`` for every two-round congress (or ``years``).

    Returns
    -------
    list of pathlib.Path
        The pages written (default folder ``reports/html/``).
    """
    out_dir = paths.HTML if out_dir is None else Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for year in (two_round_congresses() if years is None else years):
        path = out_dir / f"explorer-{year}.html"
        path.write_text(explorer_html(year), encoding="utf-8")
        written.append(path)
    return written
