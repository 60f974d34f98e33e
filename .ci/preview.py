"""An offline preview of the Quarto site: one HTML page per notebook listed in _quarto.yml, with outputs.

Quarto is what publishes the site (`make docs` runs nbdev_docs where it is installed). This preview is for
machines without it: nbconvert's `basic` template (no require.js or MathJax from a CDN), figures embedded,
pages in the sidebar order of _quarto.yml, links relative so the folder works from disk.
Usage: python .ci/preview.py NBS_DIR OUT_DIR
"""
import configparser, html, re, shutil, sys
from pathlib import Path

import yaml
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme import visible_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} – {site}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="styles.css">
<style>body{{font-family:system-ui,sans-serif;margin:0}} header{{background:#2c3e50;padding:.6em 1em;display:flex;gap:1.2em;align-items:baseline}}
header a{{color:#fff;text-decoration:none}} header .site{{font-weight:bold;font-size:1.1em}} header .repo{{margin-left:auto}}
.preview-note{{background:#fff8dc;padding:.3em 1em;font-size:.85em;border-bottom:1px solid #eee}}
.layout{{display:flex}} nav.sidebar{{min-width:14em;padding:1em;background:#f4f4f4}} nav.sidebar a{{display:block;padding:.2em 0}}
nav.sidebar .section{{margin-top:.8em;font-weight:bold;color:#555}} nav.sidebar a.current{{font-weight:bold}}
main{{padding:1em 2em;max-width:62em;overflow-x:auto}} main img{{max-width:100%;height:auto}}
pre{{background:#f8f8f8;padding:.5em;overflow-x:auto}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.2em .5em}}</style>
</head><body><header><a class="site" href="index.html">{site}</a>{navbar}<a class="repo" href="{repo}">repository</a></header>
<div class="preview-note">Offline preview (nbconvert) of the Quarto site; the published site is built by <code>nbdev_docs</code> where Quarto is installed.</div>
<div class="layout"><nav class="sidebar">{sidebar}</nav><main>{body}</main></div></body></html>
"""


def sidebar_pages(config: dict) -> list:
    "The notebooks of the sidebar, in order, sections flattened."
    def walk(items):
        for item in items:
            if isinstance(item, str): yield item
            elif "href" in item: yield item["href"]
            if isinstance(item, dict) and "contents" in item: yield from walk(item["contents"])
    return list(dict.fromkeys(walk(config["website"]["sidebar"]["contents"])))


WIDGET = "application/vnd.jupyter.widget-view+json"
NOTEBOOK_LINK = re.compile(r'href="([\w.-]+)\.ipynb(#[^"]*)?"')


def static_notebook(nb):
    "The notebook without live widgets (tqdm bars): their HTML needs require.js and a kernel; keep the text."
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET, None)
    return nb


def html_name(page: str) -> str: return Path(page).with_suffix(".html").name


def page_title(page: str) -> str: return Path(page).stem


def sidebar_html(items, current: str) -> str:
    "The sidebar of _quarto.yml as links, sections as headings, the current page marked."
    parts = []
    for item in items:
        href = item if isinstance(item, str) else item.get("href")
        if href:
            mark = ' class="current" aria-current="page"' if href == current else ""
            parts.append(f'<a href="{html_name(href)}"{mark}>{html.escape(page_title(href))}</a>')
        if isinstance(item, dict) and "contents" in item:
            parts.append(f'<div class="section">{html.escape(item.get("section", ""))}</div>')
            parts.append(sidebar_html(item["contents"], current))
    return "".join(parts)


def main(nbs: Path, out: Path):
    config = yaml.safe_load((ROOT/"_quarto.yml").read_text(encoding="utf-8"))
    settings = configparser.ConfigParser(delimiters=["="])
    settings.read(ROOT/"settings.ini", encoding="utf-8")
    site = config["website"].get("title") or settings["DEFAULT"]["title"]  # nbdev puts it in nbdev.yml
    pages = sidebar_pages(config)
    navbar = "".join(f'<a href="{html_name(item["href"])}">{html.escape(item.get("text", page_title(item["href"])))}</a>'
                     for item in config["website"]["navbar"].get("left", []) if "href" in item)
    pages += [item["href"] for item in config["website"]["navbar"].get("left", []) if "href" in item and item["href"] not in pages]
    repo = settings["DEFAULT"]["git_url"]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(nbs/"styles.css", out/"styles.css")
    for pattern in config["project"].get("resources", []):  # files the pages show, as Quarto copies them
        for f in nbs.glob(pattern): shutil.copy(f, out/f.name)
    exporter = HTMLExporter(template_name="basic")
    for page in pages:
        body, _ = exporter.from_notebook_node(static_notebook(visible_notebook(nbs/page)))
        body = NOTEBOOK_LINK.sub(r'href="\1.html\2"', body)  # as Quarto does: a link to a notebook goes to its page
        sidebar = sidebar_html(config["website"]["sidebar"]["contents"], page)
        (out/html_name(page)).write_text(PAGE.format(title=html.escape(page_title(page)), site=html.escape(site), navbar=navbar,
                                                     repo=html.escape(repo, quote=True), sidebar=sidebar, body=body), encoding="utf-8")
    print(f"wrote {len(pages)} pages to {out}/ (open {out}/index.html)")


if __name__ == "__main__": main(Path(sys.argv[1]), Path(sys.argv[2]))
