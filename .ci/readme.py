"""Write README.md from nbs/index.ipynb (nbdev's convention), with nbconvert's Markdown exporter.

nbdev_readme needs Quarto; this does the same job without it: cells marked `#| hide` are left out and
`#|` directive lines removed, as nbdev does. `--check` exits 1 if README.md is out of date.
"""
import re, sys
from pathlib import Path

import nbformat
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK, README = ROOT/"nbs"/"index.ipynb", ROOT/"README.md"


def visible_notebook(notebook: Path):
    "`notebook` as readers see it: `#| hide` cells left out, `#|` directive lines removed (as nbdev does)."
    nb = nbformat.read(notebook, as_version=4)
    cells = []
    for cell in nb.cells:
        lines = cell.source.splitlines()
        directives = [l.replace(" ", "") for l in lines if l.startswith("#|")]
        if cell.cell_type == "code" and "#|hide" in directives: continue
        if cell.cell_type == "code": cell.source = "\n".join(l for l in lines if not l.startswith("#|")).strip("\n")
        cells.append(cell)
    nb.cells = cells
    nb.metadata["language_info"] = {"name": "python"}  # nbdev_clean drops it; it names the code fences
    return nb


def readme_markdown(notebook: Path = NOTEBOOK) -> tuple[str, dict]:
    "The README's Markdown and its supporting files (figures) from `notebook`."
    nb = visible_notebook(notebook)
    body, resources = MarkdownExporter().from_notebook_node(nb, resources={"output_files_dir": "README_files"})
    body = "\n".join(line.rstrip() for line in body.strip().splitlines()) + "\n"
    body = re.sub(r"\n{3,}", "\n\n", body)
    return body, resources.get("outputs", {})


def main(argv):
    body, files = readme_markdown()
    if "--check" in argv:
        stale = README.read_text(encoding="utf-8") != body if README.exists() else True
        stale = stale or any(not (ROOT/name).exists() or (ROOT/name).read_bytes() != data for name, data in files.items())
        if stale: sys.exit("README.md is out of date with nbs/index.ipynb: run `make readme` and commit it")
        return print("README.md is up to date with nbs/index.ipynb")
    README.write_text(body, encoding="utf-8")
    for name, data in files.items():
        (ROOT/name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT/name).write_bytes(data)
    print(f"wrote {README.relative_to(ROOT)} from {NOTEBOOK.relative_to(ROOT)}" + (f" and {len(files)} figure(s)" if files else ""))


if __name__ == "__main__": main(sys.argv[1:])
