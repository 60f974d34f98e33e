"""Corpus benchmark (part of `make bench`): the same documents through `process_corpus` in 1 process, in 2 local
processes and on a 2-worker Dask LocalCluster, each beside bare spaCy `nlp.pipe` run the same way on the same
texts in the same run; peak memory and time to first result per worker; and a crash test (a worker killed
mid-run, the run resumed, the output compared with a clean run's).

The corpus is built here from ../shared/benchmarks/ texts, repeated to BENCH_DOCS documents (default 5,000) with
unique ids; it is written to a temporary folder, never into the repository.
"""
import json, os, shutil, signal, tempfile, threading, time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3]/"shared"/"benchmarks"


def build_corpus(folder: Path, n: int) -> Path:
    rows = [json.loads(l) for name in ("geowebnews.jsonl", "trnews.jsonl")
            for l in (BENCH/name).read_text(encoding="utf-8").splitlines() if l.strip()]
    path = folder/"corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            row = rows[i % len(rows)]
            f.write(json.dumps({"id": f"{row['id']}#{i // len(rows)}", "text": row["text"]}, ensure_ascii=False) + "\n")
    return path


def _texts(path: Path) -> list[str]:
    return [json.loads(l)["text"] for l in path.read_text(encoding="utf-8").splitlines()]


def bare_partition(part) -> int:
    "Bare spaCy over one partition's texts, on a Dask worker (the model loaded once per worker)."
    from syria_notes.core import load_nlp
    from syria_notes.corpus import read_partition
    nlp = load_nlp()  # cached in the worker process: loaded once
    texts = [text for _, text, problem in read_partition(part) if not problem]
    return sum(1 for _ in nlp.pipe(texts, batch_size=16))


def _rate(n: int, seconds: float) -> float: return n / seconds if seconds else float("nan")


def _workers_report(out: Path) -> str:
    marks = [json.loads(p.read_text()) for p in sorted((out/"_done").glob("*.json"))]
    by = {}
    for m in marks: by.setdefault(m["worker"], []).append(m)
    return "; ".join(f"worker {i + 1}: {len(ms)} partitions, peak {max(m['peak_rss_mb'] for m in ms):.0f} MB, "
                     f"model+gazetteer load {ms[0]['load_seconds']:.1f} s" for i, ms in enumerate(by.values()))


def main(n: int = int(os.environ.get("BENCH_DOCS", "5000"))):
    from distributed import Client
    from syria_notes.core import load_nlp
    from syria_notes.corpus import local_cluster, plan_corpus, process_corpus, read_output, TABLES
    tmp = Path(tempfile.mkdtemp(prefix="syria-notes-bench-"))
    try:
        path = build_corpus(tmp, n)
        texts = _texts(path)
        print(f"== corpus: {n:,} documents (GeoWebNews + TR-News texts repeated, ids unique), "
              f"{path.stat().st_size / 1e6:.1f} MB of JSON Lines; partitions of 100")
        nlp = load_nlp()
        results = {}

        t = time.perf_counter(); sum(1 for _ in nlp.pipe(texts, batch_size=16)); bare1 = time.perf_counter() - t
        t = time.perf_counter(); one = process_corpus(path, tmp/"one", progress=False); run1 = time.perf_counter() - t
        results["1 process"] = (bare1, run1)
        print(f"1 process: bare spaCy {_rate(n, bare1):.1f} docs/s; pipeline {one['docs_per_second']:.1f} docs/s "
              f"({_rate(n, run1) / _rate(n, bare1):.2f}x bare); {_workers_report(tmp/'one')}")

        t = time.perf_counter(); sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=2)); bare2 = time.perf_counter() - t
        t = time.perf_counter(); process_corpus(path, tmp/"two", workers=2, progress=False); run2 = time.perf_counter() - t
        results["2 local processes"] = (bare2, run2)
        print(f"2 local processes: bare spaCy (n_process=2) {_rate(n, bare2):.1f} docs/s; pipeline {_rate(n, run2):.1f} docs/s "
              f"({_rate(n, run2) / _rate(n, bare2):.2f}x bare); {_workers_report(tmp/'two')}")

        with local_cluster(2, dashboard_address=None) as cluster, \
             Client(cluster) as client:
            parts = plan_corpus(path)
            client.gather(client.map(bare_partition, parts[:2], pure=False))  # load the bare model on both workers first
            t = time.perf_counter(); client.gather(client.map(bare_partition, parts, pure=False)); bare3 = time.perf_counter() - t
            client.restart()  # fresh workers: the pipeline run pays its own loading, as a real run does
            t = time.perf_counter(); process_corpus(path, tmp/"dask", client=client, progress=False); run3 = time.perf_counter() - t
        results["2-worker LocalCluster"] = (bare3, run3)
        print(f"2-worker LocalCluster: bare spaCy {_rate(n, bare3):.1f} docs/s; pipeline {_rate(n, run3):.1f} docs/s "
              f"({_rate(n, run3) / _rate(n, bare3):.2f}x bare); {_workers_report(tmp/'dask')}")
        print(f"scaling: 2 local processes {run1 / run2:.2f}x one process; 2-worker LocalCluster {run1 / run3:.2f}x "
              f"(target >= 1.7x); pipeline per core vs bare spaCy: {bare1 / run1:.2f}x, {bare2 / run2:.2f}x, "
              f"{bare3 / run3:.2f}x (target >= 0.8x)")
        print(f"cost: {1000 * run1 / n:.0f} s per thousand documents on one core; {1000 * run3 / n:.0f} s on two workers")
        first = min(json.loads(p.read_text())["seconds"] for p in (tmp/"dask"/"_done").glob("*.json"))
        print(f"time to first result on a fresh worker: model + gazetteer load "
              f"{max(json.loads(p.read_text())['load_seconds'] for p in (tmp/'dask'/'_done').glob('*.json')):.1f} s, "
              f"then {first:.1f} s for its first 100-document partition")

        print("== crash test: a worker killed mid-run on a 2-worker LocalCluster, the run resumed")
        with local_cluster(2, dashboard_address=None) as cluster, \
             Client(cluster) as client:
            killed = {}
            after = max(1, len(parts) // 5)
            def kill_one():
                while len(list((tmp/"crash"/"_done").glob("*.json"))) < after: time.sleep(0.05)
                try:
                    pid = next(iter(client.run(os.getpid).values()))
                    os.kill(pid, signal.SIGKILL); killed["pid"] = pid
                except Exception as e: killed["pid"] = f"none ({type(e).__name__}: the run ended first)"
            threading.Thread(target=kill_one, daemon=True).start()
            try: process_corpus(path, tmp/"crash", client=client, progress=False); note = "Dask rescheduled its tasks"
            except Exception as e: note = f"the run failed ({type(e).__name__})"
        done = len(list((tmp/"crash"/"_done").glob("*.json")))
        again = process_corpus(path, tmp/"crash", progress=False)
        same = all(read_output(tmp/"crash", t).equals(read_output(tmp/"one", t)) for t in TABLES)
        print(f"killed worker pid {killed.get('pid')} after {after} partitions; {note}; {done} of {len(parts)} partitions done "
              f"after the first run; the rerun did {again['ran']}; output identical to the 1-process run: {same}")
        same_all = all(read_output(tmp/m, t).equals(read_output(tmp/"one", t)) for m in ("two", "dask") for t in TABLES)
        print(f"same records in all three modes: {same_all}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__": main()
