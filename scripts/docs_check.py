"""Check the built documentation site as a reader's browser sees it (``make docs-check``).

Two parts:

1. **Static** (no browser; :func:`check_site`): every internal link and anchor of every
   page resolves to a file and an ``id`` of the built site, and no page loads a script,
   stylesheet, image, frame or font from the network (``http(s)://`` or ``//`` sources,
   CSS ``url(http...)`` and ``@import``). Links a reader clicks to reach a source's web
   page (``<a href="https://...">``) are allowed: they load nothing by themselves.
2. **Browser** (headless Chromium driven over the DevTools protocol; :func:`browse`): every
   page is opened from ``file://``; JavaScript exceptions, ``console.error`` calls, failed
   loads and any request to the network are errors. Screenshots of the index, one case
   study, the scenario explorer and the API page are written to the screenshot folder. On
   the explorer, a slider is moved and the displayed values must change.

Usage::

    python scripts/docs_check.py docs/_build/html --screenshots docs/_build/screenshots

Exit code 0 when everything passes, 1 when a check fails (each failure is printed on one
line naming the page), 2 when the site or the browser cannot be found.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = [
    "Problem",
    "PageLinks",
    "parse_page",
    "site_pages",
    "check_site",
    "find_chromium",
    "Browser",
    "browse",
    "SCREENSHOTS",
    "main",
]

#: screenshots: file name → page (relative to the site root), in the order taken
SCREENSHOTS = {
    "index.png": "index.html",
    "case-study.png": "case-studies/notebooks/02-2025-nancy.html",
    "explorer.png": "explorer.html",
    "api.png": "api/transfers.html",
}

#: tags whose attribute *loads* something when the page opens (not a link to click)
_LOADING = {("script", "src"), ("img", "src"), ("iframe", "src"), ("embed", "src"),
            ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
            ("object", "data"), ("input", "src"), ("track", "src")}
_LINK_LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload",
                      "preconnect", "dns-prefetch", "manifest", "shortcut", "apple-touch-icon"}
_REMOTE = re.compile(r"^(https?:)?//", re.I)
_CSS_REMOTE = re.compile(r"""(url\(\s*['"]?\s*(https?:)?//|@import\s+['"](https?:)?//)""", re.I)


@dataclass(frozen=True)
class Problem:
    """One failed check: the page (relative to the site root), the kind and a message."""

    page: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.page}: {self.message}"


@dataclass
class PageLinks:
    """What one HTML page declares: its anchors, links and loaded resources."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)            # <a href>, <area href>
    loads: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) loaded on open
    inline_css: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.page.ids.add(a[key])
        if tag in {"a", "area"} and "href" in a:
            self.page.links.append(a["href"])
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if rels & _LINK_LOADING_RELS:
                self.page.loads.append(("link", a["href"]))
            else:
                self.page.links.append(a["href"])
        for t, attr in _LOADING:
            if tag == t and a.get(attr):
                self.page.loads.append((tag, a[attr]))
        if tag in {"img", "source"} and a.get("srcset"):
            for part in a["srcset"].split(","):
                if part.strip():
                    self.page.loads.append((tag, part.split()[0]))
        if a.get("style"):
            self.page.inline_css.append(a["style"])
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.page.inline_css.append(data)


def parse_page(text: str) -> PageLinks:
    """Return the anchors, links and loaded resources of an HTML page.

    Examples
    --------
    >>> p = parse_page('<h1 id="t">T</h1><a href="b.html#x">b</a><img src="i.png">')
    >>> sorted(p.ids), p.links, p.loads
    (['t'], ['b.html#x'], [('img', 'i.png')])
    """
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page


def site_pages(root: Path) -> list[Path]:
    """The pages of a built site: ``*.html`` outside ``_static/`` and ``_sources/``.

    ``_static/`` holds theme files, some of them unrendered templates
    (pydata-sphinx-theme's ``webpack-macros.html``): no reader opens them.
    """
    root = Path(root)
    return [p for p in sorted(root.rglob("*.html"))
            if p.relative_to(root).parts[0] not in {"_static", "_sources"}]


def _is_external(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return bool(scheme) and scheme not in {"file"}


def check_site(root: Path) -> tuple[list[Problem], int, int]:
    """Check every page of the site (:func:`site_pages`): internal links, anchors, network loads.

    Returns
    -------
    problems : list of Problem
        Broken links (``broken-link``), missing anchors (``broken-anchor``) and resources
        loaded from the network (``network-load``).
    pages, links : int
        The number of pages read and of internal links checked.
    """
    root = Path(root).resolve()
    pages = {p.resolve(): parse_page(p.read_text(encoding="utf-8", errors="replace"))
             for p in site_pages(root)}
    problems: list[Problem] = []
    checked = 0
    for path, page in pages.items():
        rel = path.relative_to(root).as_posix()
        for tag, url in page.loads:
            if _REMOTE.match(url.strip()):
                problems.append(Problem(rel, "network-load", f"<{tag}> loads {url}"))
        for css in page.inline_css:
            if _CSS_REMOTE.search(css):
                problems.append(Problem(rel, "network-load", "inline CSS loads a remote URL"))
        for url in page.links + [u for _, u in page.loads]:
            url = url.strip()
            if not url or _REMOTE.match(url) or _is_external(url):
                continue   # a link to another site: followed only when clicked
            checked += 1
            parts = urlsplit(url)
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(root)
            except ValueError:
                problems.append(Problem(rel, "broken-link", f"{url} leaves the site"))
                continue
            if not target.is_file():
                problems.append(Problem(rel, "broken-link", f"{url} → no such file"))
                continue
            frag = unquote(parts.fragment)
            if frag and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if frag not in ids:
                    problems.append(Problem(rel, "broken-anchor", f"{url}: no id {frag!r} "
                                            f"in {target.relative_to(root).as_posix()}"))
    for css in sorted(root.rglob("*.css")):
        if _CSS_REMOTE.search(css.read_text(encoding="utf-8", errors="replace")):
            problems.append(Problem(css.relative_to(root).as_posix(), "network-load",
                                    "stylesheet loads a remote URL (url(http...) or @import)"))
    return problems, len(pages), checked


# ---------------------------------------------------------------------------------------
# the browser


def find_chromium() -> str | None:
    """Path of a Chromium executable (Debian's ``chromium``), or ``None``."""
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """Headless Chromium with one tab, driven over the DevTools protocol (a websocket)."""

    def __init__(self, executable: str, width: int = 1280, height: int = 1000,
                 timeout: float = 30.0) -> None:
        import websocket  # websocket-client

        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="docs-check-chromium-")
        self._proc = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             "--allow-file-access-from-files", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile}", f"--window-size={width},{height}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not port_file.is_file() or not port_file.read_text().strip():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"{executable} did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            tabs = [t for t in json.load(r) if t.get("type") == "page"]
        self._ws = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"],
                                               timeout=timeout, suppress_origin=True)
        self._next = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # a page must load nothing from the network: such requests are blocked (never sent)
        # and still reported by errors()
        self.send("Network.setBlockedURLs", urls=["http://*", "https://*", "ws://*",
                                                   "wss://*", "ftp://*"])
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def send(self, method: str, **params: object) -> dict:
        """Call a DevTools method and return its result (events are kept in ``events``)."""
        self._next += 1
        my_id = self._next
        self._ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(f"{method}: no answer in {self.timeout} s")

    def evaluate(self, expression: str) -> object:
        """Evaluate JavaScript in the page (promises awaited) and return its value."""
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"JavaScript error: {res['exceptionDetails'].get('text')}")
        return res.get("result", {}).get("value")

    def open(self, url: str, settle: float = 0.3) -> None:
        """Navigate to ``url`` and wait for its load event, then ``settle`` seconds."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url}: not loaded in {self.timeout} s")
            self.send("Runtime.evaluate", expression="1")   # pumps the event queue
            time.sleep(0.05)
        time.sleep(settle)
        self.send("Runtime.evaluate", expression="1")

    def wait_for(self, expression: str, timeout: float = 15.0) -> bool:
        """Poll a JavaScript expression until it is truthy; return whether it became so."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.1)
        return False

    def errors(self) -> list[tuple[str, str]]:
        """(kind, message) of the console errors, exceptions, failed loads and network
        requests since ``open``; kind is ``console`` or ``network``."""
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                text = d.get("exception", {}).get("description") or d.get("text", "")
                out.append(("console",
                            f"exception: {text.splitlines()[0] if text else '?'}"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in {"error", "assert"}:
                args = " ".join(str(a.get("value", a.get("description", "")))
                                for a in p.get("args", []))
                out.append(("console", f"console.{p['type']}: {args}"))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                entry = p["entry"]
                out.append(("console",
                            f"log: {entry.get('text')} {entry.get('url', '')}".strip()))
            elif m == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "blob:", "about:")):
                    out.append(("network", f"request to {url}"))
            elif m == "Network.loadingFailed" and not p.get("canceled"):
                out.append(("console",
                            f"load failed: {p.get('blockedReason') or p.get('errorText')} "
                            f"({p.get('type', '')})"))
        return out

    def screenshot(self, path: Path) -> None:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """End the browser started by this object and remove its profile."""
        ws = getattr(self, "_ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_READ_EXPLORER = """(() => {
  const root = document.querySelector("div.cl-explorer");
  if (!root) return null;
  const text = sel => (root.querySelector(sel) || {}).textContent || null;
  const svg = root.querySelector(".cl-explorer-chart svg");
  return {id: root.id, ready: root.dataset.ready || null,
          param: text("output.cl-explorer-param[data-param=loyalty]"),
          split: text("output.cl-explorer-split"), tipping: text("output.cl-explorer-tipping"),
          chart: svg ? svg.innerHTML.length + ":" + svg.innerHTML.slice(-4000) : null};
})()"""

_MOVE_SLIDER = """(() => {
  const s = document.querySelector("div.cl-explorer input.cl-explorer-slider[data-param=loyalty]")
         || document.querySelector("div.cl-explorer input[type=range]:not([disabled])");
  if (!s) return null;
  const target = Math.max(+s.min, +s.value - Math.max(1, Math.round((+s.max - +s.min) / 2)));
  s.value = String(target === +s.value ? +s.max : target);
  s.dispatchEvent(new Event("input", {bubbles: true}));
  s.dispatchEvent(new Event("change", {bubbles: true}));
  return s.dataset.param || s.id;
})()"""


def check_explorer(browser: Browser) -> tuple[list[str], str]:
    """Move a slider of the explorer on the open page; return (failures, description)."""
    if not browser.wait_for("document.querySelector('div.cl-explorer') && "
                            "document.querySelector('div.cl-explorer').dataset.ready", 20):
        return ["no explorer (div.cl-explorer) drawn on the page"], ""
    before = browser.evaluate(_READ_EXPLORER)
    if before.get("ready") != "true":
        return [f"explorer not ready: data-ready={before.get('ready')!r}"], ""
    moved = browser.evaluate(_MOVE_SLIDER)
    if moved is None:
        return ["the explorer has no enabled slider"], ""
    time.sleep(0.5)
    after = browser.evaluate(_READ_EXPLORER)
    failures = [f"moving the {moved} slider did not change the {k} ({before[k]!r})"
                for k in ("param", "split", "chart") if before[k] == after[k]]
    desc = (f"slider {moved}: value {before['param']} → {after['param']}, implied split "
            f"{before['split']} → {after['split']}, tipping point {before['tipping']} → "
            f"{after['tipping']}, chart redrawn: {before['chart'] != after['chart']}")
    return failures, desc


def browse(root: Path, shots: Path, executable: str,
           pages: Sequence[str] | None = None) -> tuple[list[Problem], list[str], list[str]]:
    """Open pages in headless Chromium: console errors, network, screenshots, the slider.

    Returns
    -------
    problems : list of Problem
    screenshots : list of str
        File names written in ``shots``.
    notes : list of str
        What was observed (the slider's effect).
    """
    root = Path(root).resolve()
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    if pages is None:
        pages = [p.relative_to(root).as_posix() for p in site_pages(root)]
    problems: list[Problem] = []
    written: list[str] = []
    notes: list[str] = []
    wanted = {page: name for name, page in SCREENSHOTS.items()}
    for name, page in SCREENSHOTS.items():
        if not (root / page).is_file():
            problems.append(Problem(page, "missing-page", f"needed for screenshot {name}"))
    with Browser(executable) as browser:
        for page in pages:
            url = (root / page).as_uri()
            browser.open(url)
            if page == SCREENSHOTS["explorer.png"]:
                failures, desc = check_explorer(browser)
                problems += [Problem(page, "explorer", f) for f in failures]
                if desc:
                    notes.append(desc)
                # the view as a reader left it: scrolled to the first explorer
                browser.evaluate("document.querySelector('div.cl-explorer') && "
                                 "document.querySelector('div.cl-explorer').scrollIntoView()")
                time.sleep(0.3)
            problems += [Problem(page, kind, e) for kind, e in browser.errors()]
            if page in wanted:
                browser.screenshot(shots / wanted[page])
                written.append(wanted[page])
    return problems, written, notes


def main(argv: Sequence[str] | None = None) -> int:
    """Run the static and browser checks; print a report; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="built site (docs/_build/html)")
    ap.add_argument("--screenshots", type=Path, default=None,
                    help="folder for the screenshots (default: SITE/../screenshots)")
    ap.add_argument("--no-browser", action="store_true", help="static checks only")
    args = ap.parse_args(argv)
    site = args.site
    if not (site / "index.html").is_file():
        print(f"docs-check: {site}/index.html not found: run `make docs` first",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    problems, n_pages, n_links = check_site(site)
    print(f"static: {n_pages} pages, {n_links} internal links and resources checked, "
          f"{len(problems)} problems")
    shots_written: list[str] = []
    if not args.no_browser:
        exe = find_chromium()
        if exe is None:
            print("docs-check: no chromium found (Debian: apt-get install chromium); "
                  "use --no-browser for the static checks alone", file=sys.stderr)
            return 2
        shots = args.screenshots or site.parent / "screenshots"
        browser_problems, shots_written, notes = browse(site, shots, exe)
        problems += browser_problems
        print(f"browser: {n_pages} pages opened in {Path(exe).name}; screenshots in "
              f"{shots}: {', '.join(shots_written)}")
        for note in notes:
            print(f"explorer: {note}")
    for p in problems:
        print(f"FAIL {p}")
    elapsed = time.perf_counter() - start
    status = "FAILED" if problems else "passed"
    print(f"docs-check {status}: {len(problems)} problems in {elapsed:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
