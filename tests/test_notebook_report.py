"""The report notebook as a user runs it on their own articles: `run_report_notebook` on a folder of five
GeoWebNews texts, with the packaged notebook (syria_notes/assets/report.ipynb), in step with nbs/10_ceasefire.ipynb."""
import json

import nbformat
import pytest

from conftest import ROOT, SHARED
from syria_notes.core import SyriaNotesError
from syria_notes.notebook_report import REPORT_SOURCE, report_template, run_report_notebook, stripped_report

BENCHMARK = SHARED/"benchmarks"/"geowebnews.jsonl"


def test_packaged_report_is_in_step_with_the_notebook():
    assert report_template().read_text(encoding="utf-8") == stripped_report(ROOT/"nbs"/REPORT_SOURCE), \
        "syria_notes/assets/report.ipynb is out of date with nbs/10_ceasefire.ipynb: run `make report-notebook` and commit it"


@pytest.mark.skipif(not BENCHMARK.is_file(), reason="../shared/benchmarks is not beside this checkout")
def test_report_notebook_runs_on_a_folder_of_benchmark_texts(tmp_path):
    rows = [json.loads(line) for line in BENCHMARK.open(encoding="utf-8")][:5]
    folder = tmp_path/"articles"
    folder.mkdir()
    for r in rows: (folder/f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    ipynb, html = run_report_notebook(folder, tmp_path/"out", title="Five GeoWebNews articles")
    ran = nbformat.read(ipynb, as_version=4)
    errors = [(n, o.get("ename"), o.get("evalue")) for n, c in enumerate(ran.cells, 1) for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    assert ran.cells[0].source.startswith("# Five GeoWebNews articles")
    printed = "".join(o.get("text", "") for c in ran.cells for o in c.get("outputs", []))
    assert "5 articles read, 0 failed" in printed
    page = html.read_text(encoding="utf-8")
    assert html.stat().st_size > 10_000 and "<script" not in page and "Five GeoWebNews articles" in page
    assert (tmp_path/"out"/"report_map.html").is_file() and 'src="report_map.html"' in page


def test_a_failing_cell_is_one_line(tmp_path):
    with pytest.raises(SyriaNotesError, match=r"^the report notebook stopped: cell \d+ \('reading = read_places.*InputError: .*no-such-folder"):
        run_report_notebook(tmp_path/"no-such-folder", tmp_path/"out")
    assert (tmp_path/"out"/"report.ipynb").is_file()
