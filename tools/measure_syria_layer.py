#!/usr/bin/env python3
"""Measure the gazetteer on Syrian places (measurement only: nothing here feeds a layer).

1. Coverage of the Syria-war development set: the share of non-neutral gold toponyms in Syria
   (`country == "SY"`) for which `default_gazetteer().lookup(name, limit=10)` has a candidate within
   40 km of the gold point (the benchmark's radius for Syrian towns and villages). The gold is read from
   ../shared/benchmarks/syria-dev.jsonl and never copied.
2. `syria-notes geocode --country SY` on a fixed list of names from Syria-war reporting.

Run it with the index of the code under test, e.g. from a worktree:

    PYTHONPATH=. SYRIA_NOTES_CACHE=/tmp/cache .venv/bin/python tools/measure_syria_layer.py
"""
import argparse, json, math, os, subprocess, sys
from pathlib import Path

QUERIES = ["Eastern Ghouta", "Ghouta", "Qalamoun", "Douma", "Baghouz", "Kafr Nabudah", "Tal Rifaat", "Sheikh Maqsoud",
           "Bustan al-Qasr", "Salaheddine", "Khan Shaykhun", "Jisr al-Shughur", "al-Tanf", "Kuweires", "Menagh", "Tabqa",
           "Abu al-Duhur", "Shayrat", "Hmeimim"]


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(h)))


def coverage(path, radius=40.0):
    from syria_notes.gazetteer import default_gazetteer
    g = default_gazetteer()
    n = hit = 0
    missed = []
    for line in open(path, encoding="utf-8"):
        for t in json.loads(line)["toponyms"]:
            if t.get("neutral") or t.get("country") != "SY": continue
            n += 1
            found = any(km((c.lat, c.lon), (t["lat"], t["lon"])) <= radius for c in g.lookup(t["name"], limit=10))
            hit += found
            if not found: missed.append(t["name"])
    return dict(toponyms=n, covered=hit, share=round(hit / n, 3) if n else None, missed_distinct=len(set(missed)))


def geocode():
    exe = Path(sys.executable).parent/"syria-notes"
    out = subprocess.run([str(exe), "geocode", *QUERIES, "--country", "SY"], capture_output=True, text=True,
                         env=os.environ, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(Path(__file__).resolve().parents[2]/"shared"/"benchmarks"/"syria-dev.jsonl"))
    a = ap.parse_args(argv)
    print(json.dumps({"syria_dev_40km": coverage(a.gold)}))
    for r in geocode():
        print(json.dumps({k: r.get(k) for k in ("query", "name", "lat", "lon", "feature", "geonameid", "source")},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
