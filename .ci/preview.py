"""An offline preview of the Quarto site: one HTML page per notebook listed in _quarto.yml, with outputs.

Quarto is what publishes the site (`make docs` runs nbdev_docs where it is installed). This preview is for
machines without it: nbconvert's `basic` template (no require.js or MathJax from a CDN), figures embedded,
pages in the sidebar order of _quarto.yml, links relative so the folder works from disk.
Usage: python .ci/preview.py NBS_DIR OUT_DIR
"""
import configparser, html, shutil, sys
from pathlib import Path

import yaml
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme import visible_notebook  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} – {site}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="styles.css">
<style>body{{font-family:system-ui,sans-serif;margin:0;display:flex}} nav{{min-width:14em;padding:1em;background:#f4f4f4}}
nav a{{display:block;padding:.2em 0}} main{{padding:1em 2em;max-width:60em;overflow-x:auto}}
pre{{background:#f8f8f8;padding:.5em;overflow-x:auto}} table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.2em .5em}}</style>
</head><body><nav><strong>{site}</strong>{links}</nav><main>{body}</main></body></html>
"""


def sidebar_pages(config: dict) -> list:
    "The notebooks of the sidebar, in order, sections flattened."
    def walk(items):
        for item in items:
            if isinstance(item, str): yield item
            elif "href" in item: yield item["href"]
            if isinstance(item, dict) and "contents" in item: yield from walk(item["contents"])
    return list(dict.fromkeys(walk(config["website"]["sidebar"]["contents"])))


def main(nbs: Path, out: Path):
    config = yaml.safe_load((ROOT/"_quarto.yml").read_text(encoding="utf-8"))
    settings = configparser.ConfigParser(delimiters=["="])
    settings.read(ROOT/"settings.ini", encoding="utf-8")
    site = config["website"].get("title") or settings["DEFAULT"]["title"]  # nbdev puts it in nbdev.yml
    pages = sidebar_pages(config)
    html_name = lambda page: Path(page).with_suffix(".html").name
    links = "".join(f'<a href="{html_name(p)}">{html.escape(Path(p).stem)}</a>' for p in pages)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy(nbs/"styles.css", out/"styles.css")
    exporter = HTMLExporter(template_name="basic")
    for page in pages:
        body, _ = exporter.from_notebook_node(visible_notebook(nbs/page))
        (out/html_name(page)).write_text(PAGE.format(title=html.escape(Path(page).stem), site=site, links=links, body=body),
                                         encoding="utf-8")
    print(f"wrote {len(pages)} pages to {out}/ (open {out}/index.html)")


if __name__ == "__main__": main(Path(sys.argv[1]), Path(sys.argv[2]))
