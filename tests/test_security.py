"""Article text is data, never markup. Hostile articles go through `syria-notes report`: a title, a photo caption,
a quote and a file name that decode to tags (the reader strips literal tags and decodes entities, so
`&lt;img/src="x"/onerror=...&gt;` and `<<script>script>` come out as live-looking markup), attribute and
JavaScript-string breakers, a `$\\pwned$` for matplotlib's mathtext and a file named `javascript:...`.
Every output must show that text as text: map.html in Chromium (every popup and tooltip opened, the layer
control read), its raw HTML and JavaScript, summary.md through a CommonMark renderer, articles.json as JSON."""
import html, json, os, re, subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import ROOT
from test_site import CHROMIUM, FLAGS

ARTIFACTS = ROOT/"test-artifacts"

# What the articles say once read (the text a reader must see), and how each piece is written in the file.
TITLE_A = "<script>window.__pwned=1</script> $\\pwned$ Aleppo talks"
CAPTION = '<img/src="x"/onerror=window.__pwned=2> and " onerror="window.__pwned=3'
QUOTE = "</script><script>window.__pwned=4</script> and '; window.__pwned=5; '"
SVG, TEMPLATE = "<svg/onload=alert(6)>", "`${window.__pwned=7}`"
DOC_A = 'x"><img src=x onerror=window.__pwned=8>'  # a file name (and so a document id)
DOC_B = "javascript:window.__pwned=9,window"       # a file name that is a script URL when linked as written
TITLE_B = "'; window.__pwned=10; ' <svg/onload=window.__pwned=11> Homs"
ARTICLE_A = f"""<<script>script>window.__pwned=1<</script>/script> $\\pwned$ Aleppo talks

By Jane Doe, Reuters

Aleppo, Syria (Reuters) Fighting resumed in Aleppo on Friday, residents said, as the ceasefire brokered by Russia and Turkey came under strain across the north of Syria.

A man walks past a wall in Aleppo painted with &lt;img/src="x"/onerror=window.__pwned=2&gt; and " onerror="window.__pwned=3 on December 29, 2016. (AFP / Getty)

"We wrote <</script>/script><<script>script>window.__pwned=4<</script>/script> and '; window.__pwned=5; ' on the walls of Aleppo," said one resident, who also wrote &#60;svg/onload=alert(6)&#62; and {TEMPLATE} in Damascus.
"""
ARTICLE_B = """'; window.__pwned=10; ' &lt;svg/onload=window.__pwned=11&gt; Homs

Fighting resumed in Homs and Aleppo on Friday, residents said, as the ceasefire brokered by Russia and Turkey came under strain across the north of Syria.
"""
SHOWN = [TITLE_A, CAPTION, QUOTE, SVG, TEMPLATE, TITLE_B]  # each must be on screen, as written
# Live forms: none may appear in map.html (as HTML, or as JavaScript source, escaped or not)
LIVE = ["<script>window.__pwned", "<img/src=", "<img src=x", "<svg/onload", '" onerror="window',
        '\\" onerror=\\"window', "'; window.__pwned", "${window.__pwned", 'href="javascript:', 'href=\\"javascript:']


@pytest.fixture(scope="module")
def hostile(cli, tmp_path_factory):
    "The report of two hostile articles, written beside them (so a relative link to one is its bare file name)."
    out = tmp_path_factory.mktemp("hostile")
    (out/"in").mkdir()
    (out/"in"/f"{DOC_A}.txt").write_text(ARTICLE_A, encoding="utf-8")
    (out/f"{DOC_B}.txt").write_text(ARTICLE_B, encoding="utf-8")
    result = subprocess.run([cli, "report", str(out/"in"), str(out/f"{DOC_B}.txt"), "-o", str(out)], capture_output=True,
                            text=True, env={**os.environ, "SYRIA_NOTES_ONLINE": "0"}, timeout=300)
    assert result.returncode == 0, result.stderr  # a `$\pwned$` title once stopped the static map (mathtext)
    return out


def test_the_hostile_text_is_in_the_articles(hostile):
    "The test is not vacuous: the reader turns the files into live-looking markup, in the places the map shows."
    articles = {a["id"]: a for a in json.loads((hostile/"articles.json").read_text(encoding="utf-8"))}  # JSON: safe by construction
    assert set(articles) == {DOC_A, DOC_B}
    a, b = articles[DOC_A], articles[DOC_B]
    assert a["title"]["text"] == TITLE_A and b["title"]["text"] == TITLE_B
    assert CAPTION in a["captions"][0]["text"] and a["captions"][0]["credit"] == "AFP / Getty"
    assert any(QUOTE in q["text"] for q in a["quotes"])
    assert SVG in json.dumps(a, ensure_ascii=False) and TEMPLATE in json.dumps(a, ensure_ascii=False)
    for name in ("map.png", "map.svg", "map.html", "places.csv", "places.geojson", "summary.md"): assert (hostile/name).is_file(), name


def test_map_html_holds_no_live_markup(hostile):
    "No live markup in the page, nor in any string of the map's script once JavaScript decodes it (`\\u003c` is `<`)."
    page = (hostile/"map.html").read_text(encoding="utf-8")
    class Page(HTMLParser):
        def __init__(self): super().__init__(); self.tags, self.scripts = [], []
        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, attrs))
            if tag == "script": self.scripts.append("")
        def handle_data(self, data):
            if self.tags and self.tags[-1][0] == "script": self.scripts[-1] += data
    parsed = Page(); parsed.feed(page)
    assert {t for t, _ in parsed.tags} <= {"html", "head", "body", "meta", "script", "style", "div"}  # no <img>, <svg>, <a> outside the JS
    assert len(parsed.scripts) == 3  # Leaflet + markercluster, folium's touch settings, the map: nothing injected
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k, _ in attrs)
    strings = []  # the map script's string literals (popups, tooltips, layer names), decoded as JavaScript would
    for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"', parsed.scripts[-1]):
        try: strings.append(json.loads(literal))
        except ValueError: pass
    assert sum("__pwned" in s for s in strings) >= 8, strings  # the popups, tooltips and layer names are among them
    for text in [page, *strings]:
        for live in LIVE: assert live not in text, (live, text[:300])
    assert "javascript:" not in page and "onerror=window" in page  # links percent-encode file names; the text is there
    assert json.dumps(html.escape(TITLE_A))[1:-1] in page and "&lt;svg/onload=alert(6)&gt;" in page  # shown, as text


@pytest.mark.browser
def test_map_popups_tooltips_and_layers_show_the_text_and_run_nothing(hostile):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        problems, dialogs = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.goto((hostile/"map.html").as_uri(), wait_until="load")
        page.wait_for_selector("path.leaflet-interactive")
        page.wait_for_timeout(500)  # Leaflet fits the view on the frame after load
        layers = page.locator(".leaflet-control-layers-overlays").inner_text()
        markers = page.evaluate("() => Object.keys(window).filter(k => k.startsWith('circle_marker_'))")
        assert len(markers) >= 6, markers  # Aleppo, Damascus, Syria, Russia, Turkey, Homs...
        popups, tooltips, clicked = [], [], 0
        for name in markers:  # bring each marker to the screen (its point at full zoom, spiderfied if it shares it), click it
            x, y = page.evaluate("""name => new Promise(done => {
                const m = window[name], all = Object.keys(window).map(k => window[k]);
                const map = all.find(v => v instanceof L.Map), group = all.find(g => g instanceof L.MarkerClusterGroup && g.hasLayer(m));
                const at = () => { const p = map.latLngToContainerPoint(m.getLatLng()), r = map.getContainer().getBoundingClientRect();
                                   done([r.left + p.x, r.top + p.y]); };
                map.closePopup(); group.unspiderfy();
                map.setView(m.getLatLng(), map.getMaxZoom(), {animate: false});
                // markercluster's own way to bring a marker out of its cluster (spiderfied when it shares its point)
                setTimeout(() => group.zoomToShowLayer(m, () => setTimeout(at, 600)), 300);
                setTimeout(() => done([null, null]), 8000); })""", name)
            assert x is not None, f"{name} never came out of its cluster"
            page.mouse.move(x, y)
            page.mouse.click(x, y)
            if page.evaluate("name => window[name].isPopupOpen()", name): clicked += 1
            else: page.evaluate("name => { window[name].openPopup(); }", name)  # under another marker: open it directly
            page.evaluate("name => { window[name].openTooltip(); }", name)
            popups.append(page.evaluate("name => window[name].getPopup().getElement().innerText", name))
            tooltips.append(page.evaluate("name => window[name].getTooltip().getElement().innerText", name))
            hrefs = page.evaluate("name => [...window[name].getPopup().getElement().querySelectorAll('a')].map(a => a.href)", name)
            for href in hrefs:  # every link is the article's file, whatever its name
                assert urlparse(href).scheme == "file" and Path(unquote(urlparse(href).path)).is_file(), href
            if "Aleppo" in tooltips[-1] and CAPTION in popups[-1]:
                page.evaluate("""name => [...window[name].getPopup().getElement().querySelectorAll('li')]
                    .find(li => li.innerText.includes('onerror')).scrollIntoView({block: 'start'})""", name)
                page.wait_for_timeout(400)  # the map pans to show the whole popup
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS/"security-popup.png"))
        page.wait_for_timeout(300)  # an injected image would fail to load and fire onerror by now
        pwned = page.evaluate("() => [typeof window.__pwned, document.querySelectorAll('[onerror],[onload]').length, "
                              "document.querySelectorAll('.leaflet-pane img, .leaflet-control img, .leaflet-pane svg svg, "
                              ".leaflet-popup script, .leaflet-tooltip script, .leaflet-control script').length]")
        browser.close()
    assert dialogs == [] and pwned == ["undefined", 0, 0], (dialogs, pwned)
    assert not problems, problems
    assert clicked >= len(markers) // 2, (clicked, len(markers))  # most popups were opened by a real click
    shown = "\n".join(popups + tooltips + [layers])
    for text in SHOWN: assert text in shown, text  # what the articles said, on screen, as text
    assert TITLE_A in layers and TITLE_B in layers
    assert any("Aleppo" in t for t in tooltips)


def test_markdown_text_renders_as_the_text_itself():
    "Each hostile string, escaped by `markdown_text`, renders (CommonMark + tables) as exactly that text."
    from syria_notes.maps import markdown_text
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])  # raw HTML on, as CommonMark has it
    class Cells(HTMLParser):
        def __init__(self): super().__init__(); self.tags, self.cells = [], []
        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag in ("td", "th"): self.cells.append("")
        def handle_data(self, data):
            if self.cells: self.cells[-1] += data
    nasty = [*SHOWN, DOC_A, DOC_B, "[map](javascript:alert(1)) ![x](y) <https://example.com> *a* _b_ __c__ ~~d~~ `e` \\ &lt; AT&T | f",
             "two\nlines"]
    for s in nasty:
        table = Cells(); table.feed(md.render(f"| id | text |\n|---|---|\n| x | {markdown_text(s)} |\n"))
        assert set(table.tags) == {"table", "thead", "tr", "th", "tbody", "td"}, (s, table.tags)  # no markup from the text
        assert [c.strip() for c in table.cells] == ["id", "text", "x", " ".join(s.split())], (s, table.cells)  # all of it, in its cell


def test_summary_md_shows_article_text_as_text(hostile):
    "summary.md through a CommonMark renderer (raw HTML passes through): the hostile titles and ids stay text."
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render((hostile/"summary.md").read_text(encoding="utf-8"))
    tags = set(re.findall(r"<([a-z0-9]+)", rendered))
    assert tags <= {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "code"}, tags
    assert not re.search(r"<[^>]* on\w+=", rendered)  # no event handlers: nothing of the text became markup
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for s in (TITLE_A, TITLE_B, DOC_A, DOC_B): assert s in text, s
