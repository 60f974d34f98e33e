"""`syria-notes corpus` as a user runs it: resumable after a crash, the same records in one process and on a
local Dask cluster, bad rows recorded instead of fatal (status 4: some documents failed), bad addresses refused in one line."""
import json, os, signal, subprocess, time
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, default_signals
from test_cli import assert_one_line_error, run

GWN = SHARED/"benchmarks"/"geowebnews.jsonl"


def tables(out: Path) -> dict:
    from syria_notes.corpus import TABLES, read_output
    return {t: read_output(out, t) for t in TABLES}


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[t].equals(b[t]) for t in a)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    "The first 40 GeoWebNews articles, plus a row that is not JSON: a corpus the tests can afford to run often."
    if not GWN.exists(): pytest.skip(f"{GWN} is not beside this checkout")
    folder = tmp_path_factory.mktemp("corpus")
    lines = GWN.read_text(encoding="utf-8").splitlines()[:40]
    path = folder/"small.jsonl"
    path.write_text("\n".join(lines[:20] + ['{"id": "broken", "text": '] + lines[20:]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean(cli, small, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")/"out"
    result = run(cli, "corpus", small, "-o", out, "--partition-size", "5", env={**os.environ, "SYRIA_NOTES_ONLINE": "0"})
    assert result.returncode == 4, result.stderr  # one row is not JSON: the run goes on, and says so in its status
    assert "40 documents" in result.stderr and "1 documents not processed" in result.stderr
    return out


def test_corpus_writes_parquet_tables_and_a_manifest(clean, small):
    t = tables(clean)
    assert len(t["articles"]) == 40 and len(t["places"]) > 200
    assert t["errors"].id.tolist() == ["small.jsonl line 21"] and "small.jsonl line 21: not JSON" in t["errors"].error[0]
    assert t["errors"].stage.tolist() == ["read"]
    texts = {json.loads(l)["id"]: json.loads(l)["text"] for l in small.read_text().splitlines() if l.endswith("}")}
    assert all(texts[r.doc][r.start:r.end] == r.text for r in t["places"].itertuples())
    manifest = json.loads((clean/"manifest.json").read_text())
    assert manifest["complete"] and manifest["partitions"] == 9 and manifest["totals"]["documents"] == 40


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_resumes_to_the_same_output(cli, small, clean, tmp_path, sig):
    out = tmp_path/"out"
    proc = subprocess.Popen([cli, "corpus", str(small), "-o", str(out), "--partition-size", "5"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=default_signals)
    def done(): return len(list((out/"_done").glob("*.json"))) if (out/"_done").exists() else 0
    deadline = time.monotonic() + 300
    while done() < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, sig)  # mid-run: partitions done, one perhaps half-written (SIGINT: Ctrl-C in a terminal)
    proc.wait(timeout=120)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and proc.stderr.read().decode().strip().endswith("interrupted")
    finished = done()
    assert 2 <= finished < 9, finished
    again = run(cli, "corpus", small, "-o", out, "--partition-size", "5")
    assert again.returncode == 4, again.stderr
    assert f"resuming: {finished} of 9 partitions already done" in again.stderr
    assert same(tables(out), tables(clean))  # nothing lost, nothing twice
    assert not list(out.rglob(".*.tmp"))  # no temporary file left behind in any table


def test_a_local_dask_cluster_gives_the_same_records(cli, small, clean, tmp_path):
    result = run(cli, "corpus", small, "-o", tmp_path/"out", "--partition-size", "5", "--workers", "2")
    assert result.returncode == 4, result.stderr
    assert "dashboard:" in result.stderr
    assert same(tables(tmp_path/"out"), tables(clean))


def test_corpus_refuses_in_one_line(cli, small, clean, tmp_path):
    assert_one_line_error(run(cli, "corpus", small, "-o", tmp_path/"o", "--scheduler", "tcp://127.0.0.1:9"), 1,
                          "tcp://127.0.0.1:9: no Dask scheduler answers there")
    assert_one_line_error(run(cli, "corpus", ROOT/"seeds", "-o", clean), 1, "holds the results of another corpus")
    assert_one_line_error(run(cli, "corpus", ROOT/"nbs"/"styles.css", "-o", tmp_path/"o"), 1, "not an article")
    assert_one_line_error(run(cli, "corpus", small, "-o", tmp_path/"o", "--workers", "0"), 1, "--workers: must be 1 or more")
