"""Train the candidate ranker (syria_notes/assets/ranker.json) on the shared benchmark corpora: `make train`.

Prints the honest figures first: top-1 accuracy within 161 km on gold spans with whole documents held out
(5-fold), and across corpora (train on one, test on the other), beside the hand-written rules; then trains on
both corpora and writes the model as plain numbers. LightGBM runs deterministic on one thread with a fixed
seed, so the file comes out the same bit for bit.

    python tools/train_ranker.py [--benchmarks DIR] [--out FILE] [--compare]
"""
import argparse, hashlib, json, sys, time
from pathlib import Path

import numpy as np

from syria_notes.evaluate import read_corpus
from syria_notes.ranker import FEATURES, Ranker
from syria_notes.training import (PARAMS, cross_validate, export_model, fit_forest, top1_accuracy,
                                  training_rows)

CORPORA = ("geowebnews", "trnews")

def hgb(X, y, seed):
    "scikit-learn's histogram gradient boosting with the same budget, for the comparison (--compare)."
    from sklearn.ensemble import HistGradientBoostingClassifier
    return HistGradientBoostingClassifier(max_iter=PARAMS["n_estimators"], learning_rate=PARAMS["learning_rate"],
                                          max_leaf_nodes=PARAMS["num_leaves"], min_samples_leaf=PARAMS["min_child_samples"],
                                          l2_regularization=PARAMS["reg_lambda"], early_stopping=False, random_state=seed).fit(X, y)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--benchmarks", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"))
    p.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "syria_notes" / "assets" / "ranker.json"))
    p.add_argument("--compare", action="store_true", help="also cross-validate scikit-learn's HistGradientBoosting")
    args = p.parse_args(argv)
    data, digests = {}, {}
    for name in CORPORA:
        path = Path(args.benchmarks) / f"{name}.jsonl"
        if not path.exists(): sys.exit(f"train_ranker: {path} is missing (the shared benchmarks are needed to train)")
        digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        data[name] = training_rows(read_corpus(path), progress=False)
        d = data[name]
        print(f"{name}: {len(d['span_doc'])} gold spans in {len(set(d['span_doc'].tolist()))} documents, {len(d['y'])} candidates;"
              f" a candidate within 161 km for {len(set(d['mention'][d['near']].tolist())) / len(d['span_doc']):.3f} of spans")
    figures = {}  # kept in the model file; the comparison (--compare) is printed only, so the file is the same either way
    for name, d in data.items():
        t = time.perf_counter()
        figures[name] = {"rules": round(top1_accuracy(d, d["rules"]), 3), "lightgbm_cv5": round(cross_validate(d), 3)}
        line = f"{name}: rules {figures[name]['rules']}, LightGBM 5-fold by document {figures[name]['lightgbm_cv5']} ({time.perf_counter() - t:.1f} s)"
        if args.compare:
            t = time.perf_counter()
            line += f", HistGradientBoosting {cross_validate(d, fit=hgb):.3f} ({time.perf_counter() - t:.1f} s)"
        print(line)
    for train, test in (CORPORA, CORPORA[::-1]):
        model = fit_forest(data[train]["X"], data[train]["y"])
        acc = top1_accuracy(data[test], model.predict_proba(data[test]["X"])[:, 1])
        figures[f"{train}->{test}"] = round(acc, 3)
        print(f"trained on {train}, tested on {test}: {acc:.3f} (rules on {test}: {figures[test]['rules']})")
    X = np.concatenate([data[n]["X"] for n in CORPORA]); y = np.concatenate([data[n]["y"] for n in CORPORA])
    model = fit_forest(X, y)
    import lightgbm
    exported = export_model(model, trained_on={n: {"sha256": digests[n], "gold_spans": len(data[n]["span_doc"])} for n in CORPORA},
                            lightgbm=lightgbm.__version__, params=PARAMS, figures=figures)
    mine, theirs = Ranker(exported).score(X), model.booster_.predict(X, raw_score=True)
    assert np.allclose(mine, theirs, atol=1e-9), float(np.abs(mine - theirs).max())
    text = json.dumps(exported, separators=(",", ":"))
    Path(args.out).write_text(text + "\n")
    print(f"wrote {args.out}: {len(exported['roots'])} trees, {len(exported['nodes']['value'])} nodes, {len(text) / 1024:.0f} KiB, "
          f"sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")

if __name__ == "__main__":
    main()
