"""The offline preview of the site and the interactive map, as a reader sees them: Debian's chromium driven
by Playwright, every page opened over HTTP from 127.0.0.1, console errors, failed requests, broken links
and missing figures fail the test. Screenshots go to test-artifacts/ (not in git)."""
import functools, http.server, os, subprocess, sys, threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("SYRIA_NOTES_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT/"test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "The preview site as `make docs` builds it without Quarto, served on 127.0.0.1."
    out = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, str(ROOT/".ci"/"preview.py"), str(ROOT/"nbs"), str(out)], check=True, capture_output=True)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    handler = functools.partial(Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


class Watched:
    "A page with its console errors, uncaught exceptions and failed requests recorded."
    def __init__(self, browser, viewport=(1280, 900)):
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.problems = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)


def test_every_page_of_the_preview_loads_cleanly(browser, site):
    out, base = site
    pages = sorted(p.name for p in out.glob("*.html"))
    assert "index.html" in pages and "10_ceasefire.html" in pages and len(pages) >= 13
    ARTIFACTS.mkdir(exist_ok=True)
    for name in pages:
        w = Watched(browser)
        w.page.goto(urljoin(base, name), wait_until="load")
        links = w.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in links:
            target = urlparse(urljoin(base + name, href))
            if target.netloc == urlparse(base).netloc:  # a page of the site: it must exist
                assert (out/target.path.lstrip("/")).is_file(), f"{name}: broken link {href}"
        images = w.page.eval_on_selector_all("img", "els => els.map(e => [e.currentSrc.slice(0, 40), e.complete, e.naturalWidth])")
        assert all(done and width > 0 for _, done, width in images), f"{name}: an image did not load: {images}"
        assert not w.problems, f"{name}: {w.problems}"
        if name == "10_ceasefire.html":  # the report: the map and the timeline are figures; the interactive map an iframe
            assert sum(width >= 800 for _, _, width in images) >= 2, images
            assert w.page.locator("iframe").count() >= 1
            w.page.screenshot(path=str(ARTIFACTS/"site-report.png"), full_page=False)
            w.page.locator("img").first.scroll_into_view_if_needed()
            w.page.screenshot(path=str(ARTIFACTS/"site-report-map.png"))
        if name == "index.html":
            nav = w.page.eval_on_selector_all("header a", "els => els.map(e => e.textContent)")
            assert nav[1].startswith("Report"), nav  # the navbar opens on the report, as _quarto.yml says
        w.page.close()


@pytest.fixture(scope="module")
def report(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    seeds = sorted((ROOT/"seeds").glob("*.txt"))
    result = subprocess.run([cli, "report", *map(str, seeds), "-o", str(out)], capture_output=True, text=True,
                            env={**os.environ, "SYRIA_NOTES_ONLINE": "0"})
    assert result.returncode == 0, result.stderr
    return out


def test_interactive_map_markers_and_popups(browser, report):
    w = Watched(browser, viewport=(1200, 800))
    w.page.goto((report/"map.html").as_uri(), wait_until="load")
    w.page.wait_for_selector("path.leaflet-interactive")
    w.page.wait_for_timeout(500)  # Leaflet draws the markers on the frame after fitting the view
    visible = w.page.evaluate("""() => Object.keys(window).filter(k => k.startsWith('circle_marker_') && window[k]._map)
        .map(k => { const m = window[k]; const p = m._map.latLngToContainerPoint(m.getLatLng());
                    const top = document.elementFromPoint(p.x, p.y);  // what a click there would hit
                    return [k, p.x, p.y, !!top && top.tagName === 'path' && top.classList.contains('leaflet-interactive')]; })""")
    clusters = w.page.locator(".marker-cluster").count()
    assert len(visible) >= 5 and clusters >= 1, (visible, clusters)  # markers, and Aleppo's crowd clustered
    labels = w.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert len(labels) == 3 and labels[-1].strip().startswith("Events ("), labels  # a layer per article, and the events
    assert w.page.locator("path:not(.leaflet-interactive)").count() >= 1  # the offline coastline-and-border outline
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS/"map.png"))
    _, x, y, _ = next(v for v in visible if v[3])  # a marker not hidden under the layer control
    w.page.mouse.click(x, y)
    popup = w.page.wait_for_selector(".leaflet-popup-content", timeout=5000).inner_text()
    assert "mention" in popup and "“" in popup and "characters" in popup, popup  # each mention with its sentence
    w.page.wait_for_timeout(500)  # the map pans to show the whole popup
    w.page.screenshot(path=str(ARTIFACTS/"map-popup.png"))
    w.page.locator(".marker-cluster").first.dispatch_event("click")  # a cluster opens (zooms or spiderfies) on click (the events layer may cover it)
    w.page.wait_for_timeout(600)
    assert not w.problems, w.problems


def test_report_notebook_on_unseen_articles_renders_cleanly(browser, cli, tmp_path):
    "Issue 17: `report --notebook` on a folder the report has never seen: an executed notebook and an HTML page Chromium shows with no console errors."
    import json
    bench = ROOT.parent/"shared"/"benchmarks"/"trnews.jsonl"
    if not bench.exists(): pytest.skip(f"{bench} is absent (the shared benchmarks are not beside this clone)")
    folder = tmp_path/"articles"; folder.mkdir()
    for line in bench.read_text(encoding="utf-8").splitlines()[20:25]:
        row = json.loads(line)
        (folder/f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    out = tmp_path/"report"
    result = subprocess.run([cli, "report", str(folder), "-o", str(out), "--notebook", "--title", "Five TR-News stories", "-q"],
                            capture_output=True, text=True, env={**os.environ, "SYRIA_NOTES_ONLINE": "0"}, timeout=900)
    assert result.returncode == 0, result.stderr
    executed = json.loads((out/"report.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors and "".join(executed["cells"][0]["source"]).startswith("# Five TR-News stories"), errors
    w = Watched(browser)
    w.page.goto((out/"report.html").as_uri(), wait_until="load")
    assert "Five TR-News stories" in w.page.title() + w.page.inner_text("h1")
    images = w.page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert images and all(done and width > 0 for done, width in images), images
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS/"report-notebook.png"), full_page=False)
    assert not w.problems, w.problems
    w.page.close()
