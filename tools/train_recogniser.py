"""Train the recogniser (syria_notes/assets/recogniser.json) on the shared benchmark corpora: `make train`.

Prints the honest figures first: recognition precision/recall/F1 (a prediction counts where it overlaps a gold
span; neutral gold neither credited nor counted) with whole documents held out (5 folds of every corpus), and
across corpora (trained on two, tested on the third); then trains on all three and writes the two forests as
plain numbers. LightGBM runs deterministic on one thread with fixed seeds, so the file comes out the same bit
for bit.

    python tools/train_recogniser.py [--benchmarks DIR] [--out FILE] [--no-figures]
"""
import argparse, hashlib, json, sys, time
from pathlib import Path

import numpy as np

from syria_notes.evaluate import read_corpus
from syria_notes.recognise import THRESHOLD, Recogniser
from syria_notes.training import (RECOGNISER_PARAMS, cross_corpus, cross_validate_recogniser, export_recogniser,
                                  fit_recogniser, recogniser_rows, second_look)

CORPORA = ("geowebnews", "trnews", "syria-dev")

def line(name, m): return f"{name}: P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}"

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"))
    p.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "syria_notes" / "assets" / "recogniser.json"))
    p.add_argument("--no-figures", action="store_true", help="skip the cross-validated and cross-corpus figures (the file keeps none)")
    args = p.parse_args(argv)
    corpora, digests = {}, {}
    for name in CORPORA:
        path = Path(args.benchmarks) / f"{name}.jsonl"
        if not path.exists(): sys.exit(f"train_recogniser: {path} is missing (the shared benchmarks are needed to train)")
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        t = time.perf_counter()
        corpora[name] = recogniser_rows(read_corpus(path), progress=False)
        docs = corpora[name]
        print(f"{name}: {len(docs)} documents, {sum(len(d['cands']) for d in docs):,} candidates, "
              f"{sum(int((d['y'] == 1).sum()) for d in docs):,} of them gold places ({time.perf_counter() - t:.0f} s)", flush=True)
    figures = {}
    if not args.no_figures:
        t = time.perf_counter()
        cv = cross_validate_recogniser(corpora)
        print(f"5-fold cross-validation by document, threshold {THRESHOLD} ({time.perf_counter() - t:.0f} s):")
        for name, m in cv.items(): print("  " + line(name, m))
        t = time.perf_counter()
        cross = cross_corpus(corpora)
        print(f"cross-corpus, trained on the other two ({time.perf_counter() - t:.0f} s):")
        for name, m in cross.items(): print("  " + line(name, m))
        figures = {"cv5": cv, "cross_corpus": cross}
    models = fit_recogniser([d for docs in corpora.values() for d in docs])
    import lightgbm
    exported = export_recogniser(models, trained_on={n: {"sha256": digests[n], "documents": len(corpora[n])} for n in CORPORA},
                                 lightgbm=lightgbm.__version__, params=RECOGNISER_PARAMS, figures=figures)
    recogniser = Recogniser(exported)
    X = np.concatenate([d["X"] for docs in corpora.values() for d in docs])
    first = models[0].booster_.predict(X, raw_score=True)
    assert np.allclose(recogniser.first.score(X), first, atol=1e-9)
    text = json.dumps(exported, separators=(",", ":"))
    Path(args.out).write_text(text + "\n")
    print(f"wrote {args.out}: {len(recogniser.first.roots)} + {len(recogniser.second.roots)} trees, {len(text) / 1024:.0f} KiB, "
          f"sha256 {hashlib.sha256((text + chr(10)).encode()).hexdigest()[:16]}")

if __name__ == "__main__":
    main()
