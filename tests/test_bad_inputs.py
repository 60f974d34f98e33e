"""The catalogue of bad inputs (#14): what users actually feed a tool like this, each with the exit status and the
one line it must get. Status 1: refused before any work, one line on standard error, nothing written. Status 4:
the documents that could not be read or worked are listed one line each, the rest is written, and the last line
says how many failed. Status 2: wrong usage. Never a traceback.

Each case builds its input in a temporary folder and runs the installed `syria-notes`, as a user would."""
import bz2, gzip, http.server, json, os, stat, subprocess, threading
from pathlib import Path

import pytest

from conftest import ROOT, default_signals

SEED = ROOT/"seeds"/"000_3df7b93e844493a0.txt"
ARTICLE = "Shelling hit Aleppo and Homs on Friday, residents said, as talks opened in Astana.\n"


def jsonl(*rows) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows).encode("utf-8")

def parquet(path: Path, **columns):
    import pyarrow as pa, pyarrow.parquet as pq
    pq.write_table(pa.table(columns), path)

def write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp/name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path

def run(cli, args, cwd, stdin=None, env=None):
    env = {**os.environ, "SYRIA_NOTES_ONLINE": "0", **(env or {})}
    return subprocess.run([cli, *map(str, args)], cwd=cwd, input=stdin, env=env, capture_output=True, timeout=300)


# Each case: (name, build(tmp) -> (argv, stdin bytes or None), expected status, a fragment of standard error)
def file_case(name, data, *extra):
    return lambda tmp: (["places", write(tmp, name, data), *extra], None)

def corpus_case(name, data, command="places"):
    return lambda tmp: ([command, write(tmp, name, data)], None)

def _sparse(tmp):
    path = tmp/"huge.txt"
    with open(path, "wb") as f: f.truncate(50 * 1024 * 1024)
    return ["places", path], None

def _symlink_loop(tmp):
    (tmp/"loop.txt").symlink_to(tmp/"loop.txt")
    return ["places", tmp/"loop.txt"], None

def _broken_link(tmp):
    (tmp/"gone.txt").symlink_to(tmp/"nowhere.txt")
    return ["places", tmp/"gone.txt"], None

def _folder_with_loop(tmp):
    write(tmp, "f/a.txt", ARTICLE)
    (tmp/"f"/"back").symlink_to(tmp/"f")
    return ["places", tmp/"f"], None

def _folder_with_unreadable(tmp):
    write(tmp, "f/a.txt", ARTICLE)
    (tmp/"f"/"b.txt").symlink_to("/proc/self/mem")  # a file that exists and cannot be read, even by root
    return ["places", tmp/"f"], None

def _folder_with_mode_000(tmp):
    write(tmp, "f/a.txt", ARTICLE)
    os.chmod(write(tmp, "f/secret.txt", ARTICLE.replace("Aleppo", "Idlib")), 0)
    if os.geteuid() == 0: pytest.skip("root reads files whatever their mode (the /proc/self/mem case covers root)")
    return ["places", tmp/"f"], None

def _fifo(tmp):
    os.mkfifo(tmp/"pipe.txt")
    return ["places", tmp/"pipe.txt"], None

def _folder_with_fifo(tmp):
    write(tmp, "f/a.txt", ARTICLE)
    os.mkfifo(tmp/"f"/"pipe.txt")
    return ["places", tmp/"f"], None

def _empty_folder(tmp):
    (tmp/"empty").mkdir()
    write(tmp, "empty/.hidden.txt", ARTICLE)
    write(tmp, "empty/photo.jpg", b"\xff\xd8\xff")
    return ["places", tmp/"empty"], None

def _newline_name(tmp):
    return ["places", write(tmp, "bad\nname.txt", b"\x00\x01binary")], None

def _dash_name(tmp):
    write(tmp, "-x.txt", ARTICLE)
    return ["places", "--", "-x.txt"], None

def _ids_outside(tmp):
    corpus = write(tmp, "c.jsonl", jsonl({"id": "../../escape", "text": ARTICLE}, {"id": "/etc/passwd", "text": ARTICLE}))
    (tmp/"out").mkdir()
    return ["report", corpus, "-o", tmp/"out"/"report"], None

def _ids_outside_corpus(tmp):
    corpus = write(tmp, "c.jsonl", jsonl({"id": "../../escape", "text": ARTICLE}))
    (tmp/"out").mkdir()
    return ["corpus", corpus, "-o", tmp/"out"/"corpus"], None

def _output_missing_folder(tmp):
    return ["places", SEED, "-o", tmp/"missing"/"places.jsonl"], None

def _output_read_only(tmp):
    if os.geteuid() == 0:
        if os.access("/sys", os.W_OK) and not _read_only_fs("/sys"): pytest.skip("no read-only folder to try as root")
        return ["places", SEED, "-o", "/sys/places.jsonl"], None
    (tmp/"ro").mkdir(); os.chmod(tmp/"ro", 0o555)
    return ["places", SEED, "-o", tmp/"ro"/"places.jsonl"], None

def _read_only_fs(path):
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)

def _output_is_folder(tmp):
    (tmp/"out").mkdir()
    return ["places", SEED, "-o", tmp/"out"], None

def _report_onto_file(tmp):
    return ["report", SEED, "-o", write(tmp, "out", "x")], None

def _errors_missing_folder(tmp):
    return ["places", SEED, "--errors", tmp/"missing"/"errors.jsonl"], None

def _stdin(data):
    return lambda tmp: (["places", "-"], data)

def _glob_nothing(tmp):
    return ["places", str(tmp/"*.txt")], None

def _two_gold(tmp):
    gold = write(tmp, "g.jsonl", jsonl({"id": "a", "text": "Aleppo", "toponyms": []}))
    return ["evaluate", gold, gold], None

def _budget(tmp):
    return ["places", SEED, "--budget", "0.01"], None

def _html_without_text(tmp):
    return ["places", write(tmp, "blank.html", "<!doctype html><html><head><title>Page</title><script>var a = 1;</script></head>"
                                                "<body><script>track()</script></body></html>")], None

def _duplicate_across_inputs(tmp):
    return ["places", write(tmp, "a/x.txt", ARTICLE), write(tmp, "b/x.txt", ARTICLE)], None

def _csv_latin1(tmp):
    return ["places", write(tmp, "c.csv", "id,text\n1,Alep est la deuxième ville\n".encode("latin-1"))], None

def _same_name_two_kinds(tmp):
    write(tmp, "f/x.txt", ARTICLE); write(tmp, "f/x.html", "<!doctype html><p>" + ARTICLE + "</p>")
    return ["places", tmp/"f"], None


CASES = [
    # files
    ("empty file", file_case("empty.txt", b""), 1, "empty.txt: empty: no text to read"),
    ("white space only", file_case("blank.txt", " \n\t\n  \n"), 1, "blank.txt: empty: only white space"),
    ("binary file", file_case("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 1, "photo.txt: binary data (NUL byte at offset 8)"),
    ("NUL bytes inside text", file_case("nul.txt", ARTICLE.encode() + b"\x00\x00" + ARTICLE.encode()), 1, f"binary data (NUL byte at offset {len(ARTICLE.encode())})"),
    ("Latin-1 text", file_case("latin1.txt", "Alep, deuxième ville".encode("latin-1")), 1, "not valid UTF-8 (byte 0xe8 at offset 11); convert it first"),
    ("Windows-1252 quotes", file_case("cp1252.txt", "\u201cAleppo\u201d he said".encode("cp1252")), 1, "not valid UTF-8 (byte 0x93 at offset 0)"),
    ("UTF-16 without a BOM", file_case("u16.txt", ARTICLE.encode("utf-16-le")), 1, "looks like UTF-16 without a byte-order mark"),
    ("UTF-16 with a BOM is read", file_case("u16bom.txt", ARTICLE.encode("utf-16")), 0, "mentions"),
    ("UTF-8 with a BOM is read", file_case("bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode()), 0, "mentions"),
    ("UTF-32 with a BOM is read", file_case("u32.txt", ARTICLE.encode("utf-32")), 0, "mentions"),
    ("a 50 MB file", _sparse, 1, "huge.txt: is 52.4 MB, more than the 5.0 MB an article may be"),
    ("a one-million-character line", file_case("line.txt", "The army shelled Aleppo, residents said. " * 25_000), 4,
     "more than the 1,000,000 the places pipeline reads at once"),
    ("a missing path", lambda tmp: (["places", tmp/"nope.txt"], None), 1, "nope.txt: no such file or folder"),
    ("a broken symlink", _broken_link, 1, "gone.txt: a link to a file that does not exist"),
    ("a symlink loop", _symlink_loop, 1, "loop.txt: a loop of symbolic links"),
    ("a folder with a link back into itself", _folder_with_loop, 0, "a link back into a folder already read; not followed"),
    ("a folder holding an unreadable file", _folder_with_unreadable, 4, "b.txt: cannot read (input/output error) [read]"),
    ("a folder holding a file of mode 000", _folder_with_mode_000, 4, "secret.txt: cannot read (permission denied) [read]"),
    ("a named pipe", _fifo, 1, "pipe.txt: is not a regular file (a device, pipe or socket)"),
    ("a folder holding a named pipe", _folder_with_fifo, 4, "is not a regular file (a device, pipe or socket) [read]"),
    ("a device", lambda tmp: (["places", "/dev/zero"], None), 1, "/dev/zero: is not a regular file"),
    ("a folder with nothing to read", _empty_folder, 1, "holds no articles (.txt, .html, .md) or corpora"),
    ("a name with spaces", file_case("my article (copy).txt", ARTICLE), 0, "mentions"),
    ("a name with a line break, refused in one line", _newline_name, 1, "bad\\nname.txt: binary data"),
    ("a name that starts with a dash, after --", _dash_name, 0, "mentions"),
    ("a name in Arabic script", file_case("حلب.txt", ARTICLE), 0, "mentions"),
    ("a PDF", file_case("report.pdf", b"%PDF-1.4\n%\xe2\xe3"), 1, "a PDF document: convert it to text first (pdftotext FILE.pdf)"),
    ("a Word document", file_case("article.docx", b"PK\x03\x04"), 1, "a word-processor document: save it as text or HTML first"),
    ("a JSON file", file_case("corpus.json", json.dumps([{"id": "a", "text": ARTICLE}])), 1, "a corpus is JSON Lines (.jsonl)"),
    ("a gzip file", file_case("corpus.jsonl.gz", gzip.compress(jsonl({"id": "a", "text": ARTICLE}))), 1, "compressed: unpack it first"),
    ("a bzip2 file", file_case("a.txt.bz2", bz2.compress(ARTICLE.encode())), 1, "compressed: unpack it first"),
    ("a spreadsheet", file_case("news.xlsx", b"PK\x03\x04"), 1, "a spreadsheet: save it as CSV"),
    ("a table saved as .txt", file_case("table.txt", "id,name,lat\n1,Aleppo,36.2\n2,Homs,34.7\n3,Idlib,35.9\n"), 1, "looks like a table (3 columns separated by ',')"),
    ("a corpus saved as .txt", file_case("corpus.txt", jsonl({"id": "a", "text": ARTICLE})), 1, "looks like a JSON Lines corpus, not an article: name it .jsonl"),
    ("an HTML page with no article in it", _html_without_text, 4, "blank.html: trafilatura found no article text in this page [segment]"),
    ("the same id from two folders", _duplicate_across_inputs, 1, "the id 'x' is used twice"),
    ("the same name as .txt and .html in a folder", _same_name_two_kinds, 1, "the id 'x' is used twice"),
    # JSON Lines
    ("an invalid JSON line, named by its number", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, '{"id": "b", "text": ', {"id": "c", "text": ARTICLE})),
     4, "c.jsonl line 2: not JSON (Expecting value at column 21) [read]"),
    ("no valid line at all", corpus_case("c.jsonl", b"{not json\n[1, 2]\n"), 1, "c.jsonl: no line holds a document: line 1: not JSON"),
    ("a row without text", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "body": ARTICLE})), 4, 'b (c.jsonl line 2): has no "text" [read]'),
    ("a row whose text is a number", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": 42})), 4, 'its "text" is a int, not a string'),
    ("a row whose text is null", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": None})), 4, 'has no "text"'),
    ("a row whose text is empty", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": "  "})), 4, "b (c.jsonl line 2): the text is empty [read]"),
    ("a row that is not an object", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, [1, 2])), 4, 'c.jsonl line 2: not an object with a "text"'),
    ("an id that is a list", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": ["b"], "text": ARTICLE})), 4, "the id must be a string or a number, not list"),
    ("duplicate ids, naming both lines", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": ARTICLE}, {"id": "a", "text": ARTICLE})),
     1, "the id 'a' is used twice (c.jsonl line 1 and c.jsonl line 3)"),
    ("JSON nested too deeply", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, "[" * 100_000)), 4, "not JSON (nested too deeply)"),
    ("U+0085 and U+2028 inside a text", corpus_case("c.jsonl", jsonl({"id": "a", "text": "Shelling hit Aleppo\u0085 and\u2028Homs, residents said."})), 0, "1 documents"),
    ("Windows line endings", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}).replace(b"\n", b"\r\n")), 0, "1 documents"),
    ("a byte-order mark", corpus_case("c.jsonl", b"\xef\xbb\xbf" + jsonl({"id": "a", "text": ARTICLE})), 0, "1 documents"),
    ("invalid UTF-8 in one line", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}) + b'{"id": "b", "text": "Alep \xe9"}\n'), 4, "c.jsonl line 2: not valid UTF-8"),
    ("an empty .jsonl", corpus_case("c.jsonl", b""), 1, "c.jsonl: empty: no lines"),
    ("a .jsonl of blank lines", corpus_case("c.jsonl", b"\n\n  \n"), 1, "c.jsonl: holds only white space: no lines"),
    ("a text of more than five million characters", corpus_case("c.jsonl", jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": "Aleppo. " * 700_000})),
     4, "the text has 5,600,000 characters, more than an article may have"),
    ("ids that look like paths write nothing outside -o", _ids_outside, 0, "wrote"),
    ("ids that look like paths, corpus", _ids_outside_corpus, 0, "1 documents"),
    ("an id with a line break, said in one line", corpus_case("c.jsonl", jsonl({"id": "a\nb", "text": " "}, {"id": "c", "text": ARTICLE})), 4, "a\\nb (c.jsonl line 1): the text is empty [read]"),
    # CSV, TSV, Parquet
    ("a CSV without a text column", corpus_case("c.csv", "id,body\n1,Aleppo\n"), 1, "c.csv: has no text column (its columns: id, body)"),
    ("a CSV row with too few fields", corpus_case("c.csv", f"id,text,source\n1,\"{ARTICLE.strip()}\",BBC\n2,Homs\n"), 4, "c.csv row 2: 2 fields, but the header has 3"),
    ("a CSV with a header only", corpus_case("c.csv", "id,text\n"), 1, "c.csv: has a header but no rows"),
    ("a CSV repeating a column", corpus_case("c.csv", "id,text,text\n1,a,b\n"), 1, "repeats a column name (text)"),
    ("a CSV in Latin-1", _csv_latin1, 1, "c.csv: not valid UTF-8 (byte 0xe8); save it as UTF-8 CSV"),
    ("a NUL character inside a CSV text is kept", corpus_case("c.csv", f'id,text\n1,"Alep\x00po. {ARTICLE.strip()}"\n'.encode()), 0, "1 documents"),
    ("a CSV with an article over several lines", corpus_case("c.csv", f'id,text\n1,"{ARTICLE}\nMore from Aleppo."\n'), 0, "1 documents"),
    ("a TSV", corpus_case("c.tsv", f"id\ttext\n1\t{ARTICLE}"), 0, "1 documents"),
    ("a Parquet file without a text column", lambda tmp: (parquet(tmp/"c.parquet", id=["a"], body=[ARTICLE]), (["places", tmp/"c.parquet"], None))[1], 1, "c.parquet: has no text column"),
    ("a Parquet file whose text is numbers", lambda tmp: (parquet(tmp/"c.parquet", id=["a"], text=[1]), (["places", tmp/"c.parquet"], None))[1], 1, "its text column holds int64, not strings"),
    ("a Parquet file with a null text", lambda tmp: (parquet(tmp/"c.parquet", id=["a", "b"], text=[ARTICLE, None]), (["places", tmp/"c.parquet"], None))[1], 4, 'b (c.parquet row 2): has no "text"'),
    ("a file named .parquet that is not Parquet", corpus_case("c.parquet", b"PAR1 this is not"), 1, "c.parquet: not a readable Parquet file"),
    # standard input
    ("an article on standard input", _stdin(ARTICLE.encode()), 0, "1 documents"),
    ("a corpus on standard input", _stdin(jsonl({"id": "a", "text": ARTICLE}, {"id": "b", "text": ARTICLE})), 0, "2 documents"),
    ("nothing on standard input", _stdin(b""), 1, "standard input: empty"),
    ("binary on standard input", _stdin(b"\x00\x01\x02"), 1, "standard input: binary data"),
    ("standard input twice", lambda tmp: (["places", "-", "-"], ARTICLE.encode()), 1, "standard input can be read only once"),
    # addresses
    ("a URL without --fetch", lambda tmp: (["places", "https://www.bbc.com/news/world-middle-east-38460014"], None), 1,
     "is a web address: syria-notes reads files and uses the network only when asked; add --fetch"),
    ("an ftp address with --fetch", lambda tmp: (["places", "--fetch", "ftp://example.org/a.txt"], None), 1, "only http:// and https:// addresses can be fetched"),
    # outputs
    ("-o into a missing folder", _output_missing_folder, 1, "cannot write: the folder"),
    ("-o into a read-only folder", _output_read_only, 1, "cannot write into"),
    ("-o naming a folder", _output_is_folder, 1, "is a folder; give a file name"),
    ("report -o onto a file", _report_onto_file, 1, "exists and is not a folder"),
    ("--errors into a missing folder", _errors_missing_folder, 1, "errors.jsonl: cannot write: the folder"),
    # usage
    ("a negative budget", lambda tmp: (["places", SEED, "--budget", "-1"], None), 2, "must be 0 (no limit) or more"),
    ("a budget that is not a number", lambda tmp: (["places", SEED, "--budget", "soon"], None), 2, "'soon' is not a number of seconds"),
    ("no input", lambda tmp: (["places"], None), 2, "the following arguments are required: INPUT"),
    ("zero workers", lambda tmp: (["places", SEED, "--workers", "0"], None), 1, "--workers: must be 1 or more"),
    ("a glob that matches nothing", _glob_nothing, 1, "matches no files"),
    ("two gold corpora to evaluate", _two_gold, 1, "give one corpus with gold toponyms"),
    ("gold offsets that do not point at their names", corpus_case("g.jsonl", jsonl(
        {"id": "a", "text": ARTICLE, "toponyms": [{"start": 13, "end": 19, "name": "Aleppo", "lat": 36.2, "lon": 37.16}]},
        {"id": "b", "text": ARTICLE, "toponyms": [{"start": 0, "end": 3, "name": "Aleppo", "lat": 36.2, "lon": 37.16}]}), "resolve"),
     4, "b (g.jsonl line 2): toponym 'Aleppo' is not at 0:3 (the text there is 'She') [gold]"),
    ("a place added with latitude 200", lambda tmp: (["gazetteer", "add", write(tmp, "mine.csv", "name,lat,lon\nTell X,36.1,37.1\nTell Y,200,37.1\n")], None),
     1, "mine.csv: line 3: lat 200.0, lon 37.1 is not a point on the Earth"),
    ("a place added with a longitude that is not finite", lambda tmp: (["gazetteer", "add", write(tmp, "mine.csv", "name,lat,lon\nTell Y,36.1,inf\n")], None),
     1, "mine.csv: line 2: lat 36.1, lon inf is not a point on the Earth"),
    ("a GeoNames dump row with latitude NaN", lambda tmp: (["gazetteer", "add", write(tmp, "SY.txt", "\t".join(
        ["1", "Tell Y", "Tell Y", "", "nan", "37.1", "P", "PPL", "SY", "", "09", "", "", "", "0", "", "300", "Asia/Damascus", "2020-01-01"]) + "\n")], None),
     1, "SY.txt: line 1: lat nan, lon 37.1 is not a point on the Earth"),
    ("a document slower than --budget", _budget, 4, "000_3df7b93e844493a0.txt: took longer than the time budget of 0.01 s"),
]


@pytest.mark.parametrize("name, build, status, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input(cli, tmp_path, name, build, status, fragment):
    args, stdin = build(tmp_path)
    result = run(cli, args, tmp_path, stdin)
    err, out = result.stderr.decode("utf-8", "replace"), result.stdout.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert result.returncode == status, (result.returncode, err)
    assert fragment in err, err
    if status in (1, 2):
        assert err.count("\n") == 1 and out == "", (err, out)  # one line, and nothing half-written
    if status == 4:
        assert "documents failed" in err.splitlines()[-1], err
        assert all(line.startswith("syria-notes ") for line in err.splitlines()), err  # every line is a message of ours
    if name.startswith("ids that look like paths"):
        assert sorted(p.name for p in tmp_path.rglob("*") if "escape" in p.name or p.name == "passwd") == []


def test_the_catalogue_is_long_enough():
    assert len(CASES) >= 50


def test_an_interrupted_run_leaves_the_output_as_it_was(cli, tmp_path):
    "Ctrl-C (or kill) mid-run: status 130, the file given with -o keeps its old content, no temporary file is left."
    import signal, time
    out = tmp_path/"places.jsonl"
    out.write_text("old\n")
    corpus = write(tmp_path, "c.jsonl", jsonl(*({"id": f"d{i}", "text": SEED.read_text()} for i in range(200))))
    proc = subprocess.Popen([cli, "places", corpus, "-o", out], stderr=subprocess.PIPE, env={**os.environ, "SYRIA_NOTES_ONLINE": "0"},
                            preexec_fn=default_signals)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".places.jsonl.*.tmp")) and time.monotonic() < deadline: time.sleep(0.05)
    time.sleep(3)  # into the work
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode().strip().endswith("interrupted") and b"Traceback" not in err
    assert out.read_text() == "old\n" and not list(tmp_path.glob(".*.tmp"))


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/article.html":
            body = (b"<!doctype html><html><head><title>Talks open in Astana</title></head><body><article><h1>Talks open in Astana</h1>"
                    b"<p>Delegations from Russia, Turkey and Iran met in Astana on Monday to discuss the ceasefire in Syria, officials said.</p>"
                    b"<p>Fighting continued near Aleppo and in the countryside of Idlib, residents said.</p></article></body></html>")
            self.send_response(200); self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        else: self.send_error(404)
    def log_message(self, *args): pass


@pytest.fixture
def pages():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_downloads_once_and_records_the_address(cli, tmp_path, pages):
    env = {"SYRIA_NOTES_CACHE": str(tmp_path/"cache"), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    url = f"{pages}/article.html"
    private = run(cli, ["parse", "--fetch", url], tmp_path, env=env)  # trafilatura's guard against fetching inside a network
    assert private.returncode == 1 and b"is not a public address; set SYRIA_NOTES_FETCH_LOCAL=1" in private.stderr, private.stderr
    env["SYRIA_NOTES_FETCH_LOCAL"] = "1"
    refused = run(cli, ["parse", url], tmp_path, env=env)
    assert refused.returncode == 1 and b"add --fetch" in refused.stderr
    result = run(cli, ["parse", "--fetch", url], tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["metadata"]["url"] == url and record["metadata"]["fetched"].endswith("+00:00") and record["format"] == "html"
    assert record["origin"] == url and "Astana" in record["title"]["text"]
    assert len(list((tmp_path/"cache"/"fetched").glob("*.html"))) == 1  # cached: the next run reads it from disk
    missing = run(cli, ["parse", "--fetch", f"{pages}/gone.html"], tmp_path, env=env)
    assert missing.returncode == 1 and b"could not be downloaded (HTTP status 404)" in missing.stderr, missing.stderr


def test_gold_toponyms_that_cannot_be_scored_are_refused_one_by_one(cli, tmp_path):
    "#25: offsets out of the text, reversed, or at other text, and points off the Earth: each toponym refused with its line, the rest scored."
    a, h = ARTICLE.index("Aleppo"), ARTICLE.index("Homs")
    gold = write(tmp_path, "g.jsonl", jsonl({"id": "a", "text": ARTICLE, "toponyms": [
        {"start": a, "end": a + 6, "name": "Aleppo", "lat": 36.2, "lon": 37.16},
        {"start": 500, "end": 506, "lat": 36.2, "lon": 37.16},               # beyond the text
        {"start": h + 4, "end": h, "lat": 34.7, "lon": 36.7},                 # reversed
        {"start": 0, "end": 4, "name": "Homs", "lat": 34.7, "lon": 36.7},     # at other text
        {"start": h, "end": h + 4, "name": "Homs", "lat": 200, "lon": 36.7}]}))  # no point on the Earth
    result = run(cli, ["evaluate", gold, "--format", "json"], tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and result.returncode == 4, err
    assert json.loads(result.stdout)["gold_toponyms"] == 1, err  # Aleppo alone is scored
    assert err.count("refused: a (g.jsonl line 1): ") == 4, err
    for said in ("500:506 is not a span of the text", f"{h + 4}:{h} is not a span of the text", "toponym 'Homs' is not at 0:4 (the text there is 'Shel')",
                 "toponym 'Homs' has a point out of range (lat 200, lon 36.7)"):
        assert said in err, (said, err)
    assert err.splitlines()[-1].endswith("0 of 1 documents failed, 4 gold toponyms refused (listed above)"), err

def test_resolve_places_gold_spans_that_have_no_points(cli, tmp_path):
    "#25: resolve needs only the spans; evaluate, which scores points, refuses the toponyms without one."
    a = ARTICLE.index("Aleppo")
    gold = write(tmp_path, "g.jsonl", jsonl({"id": "a", "text": ARTICLE, "toponyms": [{"start": a, "end": a + 6}]}))
    result = run(cli, ["resolve", gold], tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert (record["text"], record["country_code"]) == ("Aleppo", "SY")
    scored = run(cli, ["evaluate", gold, "--format", "json"], tmp_path)
    assert scored.returncode == 4 and b"has no lat and lon" in scored.stderr, scored.stderr


@pytest.mark.parametrize("command", ["resolve", "evaluate"])
def test_gold_whose_text_holds_unicode_line_separators_is_scored(cli, tmp_path, command):
    "#25: U+0085, U+2028 and U+2029 are legal inside a JSON string: the offsets are the file's, and every toponym is used."
    text = "Shelling hit Homs\u2028and Aleppo on Monday.\u0085Damascus\u2029too."
    gold = write(tmp_path, "g.jsonl", jsonl({"id": "u", "text": text, "toponyms": [
        {"start": text.index(n), "end": text.index(n) + len(n), "name": n, "lat": lat, "lon": lon}
        for n, lat, lon in [("Homs", 34.73, 36.72), ("Aleppo", 36.2, 37.16), ("Damascus", 33.51, 36.29)]]}))
    result = run(cli, [command, gold, *(["--format", "json"] if command == "evaluate" else [])], tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0 and "refused" not in err and "Traceback" not in err, err
    if command == "resolve":
        records = [json.loads(line) for line in result.stdout.decode().split("\n") if line]  # JSON Lines end lines at \n only
        assert [(r["text"], text[r["start"]:r["end"]], r["country_code"]) for r in records] == [
            ("Homs", "Homs", "SY"), ("Aleppo", "Aleppo", "SY"), ("Damascus", "Damascus", "SY")]
    else:
        measures = json.loads(result.stdout)
        assert measures["gold_toponyms"] == 3 and measures["resolution_gold_spans"]["accuracy_161km"] == 1.0, measures
