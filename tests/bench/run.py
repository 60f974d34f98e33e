"""`make bench`: benchmark figures, printed. Not tests: nothing here passes or fails on time.

Reads the benchmark corpora from ../shared/benchmarks/ (never copied into the repository). Figures from one
run on a noisy machine: compare ratios within a run, not absolute times across runs.
"""
import json, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent/"shared"/"benchmarks"


def texts(name: str) -> list[str]:
    path = BENCH/name
    if not path.exists(): sys.exit(f"{path}: benchmark corpus not found (it lives in ../shared/benchmarks/)")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main():
    print("== core: loading the spaCy pipeline (fresh process each)")
    code = "import time; t=time.perf_counter(); from syria_notes.core import load_nlp; load_nlp(); {}"
    cold = subprocess.run([sys.executable, "-c", code.format("print(time.perf_counter()-t)")],
                          capture_output=True, text=True, check=True)
    cold_s = float(cold.stdout)
    from syria_notes.core import load_nlp
    nlp = load_nlp()
    _, warm_s = timed(load_nlp)
    print(f"first load_nlp(): {cold_s:.2f} s; a later call: {warm_s * 1e6:.1f} µs "
          f"(shared, {cold_s / max(warm_s, 1e-9):,.0f}x cheaper)")

    for corpus in ["geowebnews.jsonl", "trnews.jsonl"]:
        docs = texts(corpus)
        list(nlp.pipe(docs[:5]))  # warm up
        parsed, secs = timed(lambda: list(nlp.pipe(docs, batch_size=32)))
        tokens = sum(len(d) for d in parsed)
        print(f"== bare spaCy nlp.pipe on {corpus}: {len(docs)} docs, {tokens:,} tokens in {secs:.1f} s: "
              f"{len(docs) / secs:.1f} docs/s, {tokens / secs:,.0f} tokens/s (1 process)")
    print("place recognition, resolution and corpus benchmarks: not built yet (04_places, 05_evaluate, 08_corpus)")


if __name__ == "__main__": main()
