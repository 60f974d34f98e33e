"The `syria-notes` command as a user runs it: the installed entry point, in a subprocess."
import json, re, subprocess, sys

import pytest

from conftest import ROOT
from syria_notes import __version__

SEEDS = sorted((ROOT/"seeds").glob("*.txt"))


def run(cli, *args, cwd=ROOT, env=None):
    return subprocess.run([cli, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def assert_one_line_error(result, status, *fragments):
    assert result.returncode == status, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments: assert fragment in result.stderr, result.stderr


def test_version(cli):
    result = run(cli, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"syria-notes {__version__} (spaCy pipeline: en_core_web_sm")


def test_help_lists_every_command_of_the_contract(cli):
    result = run(cli, "--help")
    assert result.returncode == 0
    for command in ["parse", "geocode", "gazetteer", "places", "resolve", "evaluate", "corpus", "report"]:
        assert re.search(rf"\n    {command}\s", result.stdout), command
    assert "SYRIA_NOTES_ONLINE" in result.stdout


def test_help_does_not_load_spacy():
    "Settings and the parser stay cheap: spaCy is imported when a pipeline is loaded, not before."
    code = "import sys, syria_notes.cli as c; c.make_parser(); print('spacy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_unknown_command_is_one_line(cli):
    assert_one_line_error(run(cli, "frobnicate"), 2, "invalid choice: 'frobnicate'", "see syria-notes --help")


def test_no_command_is_one_line(cli):
    assert_one_line_error(run(cli), 2, "required: COMMAND")


def test_report_on_the_seeds(cli, tmp_path, offline_env):
    out = tmp_path/"report"
    result = run(cli, "report", *SEEDS, "-o", out, env=offline_env)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr and "drawing the maps" in result.stderr
    names = ["articles.json", "events.csv", "map.html", "map.png", "map.svg", "places.csv", "places.geojson", "summary.md", "timeline.png"]
    assert sorted(p.name for p in out.iterdir()) == names  # everything, and no temp files
    first = {name: (out/name).read_bytes() for name in names}
    assert run(cli, "report", *SEEDS, "-o", out, env=offline_env).returncode == 0
    assert {name: (out/name).read_bytes() for name in names} == first  # same inputs, same bytes
    summary = first["summary.md"].decode()
    for seed in SEEDS: assert f"| {seed.stem} |" in summary
    assert "| Aleppo | SY | city | gazetteer |" in summary and "GeoNames" in summary and "Not in this report" not in summary
    articles = json.loads(first["articles.json"])
    assert [a["id"] for a in articles] == [s.stem for s in SEEDS]


@pytest.mark.parametrize("name, data, problem", [
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary data (NUL byte at offset 8)"),
    ("latin1.txt", "Alep, deuxième ville".encode("latin-1"), "not valid UTF-8 (byte 0xe8 at offset 11)"),
    ("empty.txt", b"\n \n", "empty"),
])
def test_report_refuses_bad_files_in_one_line(cli, tmp_path, name, data, problem):
    bad = tmp_path/name
    bad.write_bytes(data)
    result = run(cli, "report", SEEDS[0], bad, "-o", tmp_path/"out")
    assert_one_line_error(result, 1, f"{bad}: {problem}")
    assert not (tmp_path/"out").exists()  # nothing half-written


def test_report_missing_input_and_bad_output(cli, tmp_path):
    assert_one_line_error(run(cli, "report", tmp_path/"nope.txt", "-o", tmp_path/"out"), 1, "no such file or folder")
    (tmp_path/"file").write_text("x")
    assert_one_line_error(run(cli, "report", SEEDS[0], "-o", tmp_path/"file"), 1, "exists and is not a folder")


def all_pieces(record):
    "Every text piece of a parsed article: (field, piece)."
    for key, value in record.items():
        for piece in value if isinstance(value, list) else [value]:
            if isinstance(piece, dict) and "start" in piece: yield key, piece
            if isinstance(piece, dict) and isinstance(piece.get("speaker_span"), dict): yield "speaker", piece["speaker_span"]


def test_parse_the_seeds_offsets_point_at_the_source(cli, offline_env):
    from syria_notes.articles import clean_markup
    result = run(cli, "parse", *SEEDS, env=offline_env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [s.stem for s in SEEDS]
    for seed, record in zip(SEEDS, records):
        text = seed.read_text(encoding="utf-8")
        pieces = list(all_pieces(record))
        assert len(pieces) > 20
        for key, piece in pieces: assert clean_markup(text[piece["start"]:piece["end"]]).text == piece["text"], (key, piece)
    cnn = records[1]
    assert cnn["source"] == "CNN" and cnn["updated"] == "2016-12-29T07:34:00-05:00"
    assert [a["text"] for a in cnn["authors"]] == ["Angela Dewan", "Onur Cakir"]
    assert {q["speaker"] for q in records[0]["quotes"]} >= {"Rami Abdel Rahman", "Ahmed Ramadan"}


def test_parse_writes_a_file_with_o(cli, tmp_path, offline_env):
    out = tmp_path/"articles.jsonl"
    result = run(cli, "parse", ROOT/"seeds", "-o", out, env=offline_env)
    assert result.returncode == 0 and result.stdout == ""
    assert len(out.read_text().splitlines()) == len(SEEDS)


@pytest.mark.parametrize("name, data, problem", [
    ("table.csv.txt", b"id,name,lat,lon\n1,Aleppo,36.2,37.15\n2,Idlib,35.93,36.63\n3,Homs,34.73,36.72\n",
     "looks like a table (4 columns separated by ',')"),
    ("cp1252.txt", "Aleppo \u2013 a city".encode("cp1252"), "not valid UTF-8 (byte 0x96 at offset 7)"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
])
def test_parse_refuses_what_is_not_an_article(cli, tmp_path, name, data, problem):
    bad = tmp_path/name
    bad.write_bytes(data)
    assert_one_line_error(run(cli, "parse", SEEDS[0], bad), 1, f"{bad}: {problem}")


def test_parse_refuses_a_50_mb_file_without_reading_it(cli, tmp_path):
    huge = tmp_path/"huge.txt"
    with open(huge, "wb") as f: f.truncate(50 * 1024 * 1024)
    assert_one_line_error(run(cli, "parse", huge), 1, "is 52.4 MB, more than the 5.0 MB an article may be")


def test_geocode_offline_answers_and_unknowns(cli, offline_env):
    result = run(cli, "geocode", "Aleppo", "Astana", "Palmyra", "Nowhere-at-all-ville", env=offline_env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["query"], r["name"], r["country_code"]) for r in records] == [
        ("Aleppo", "Aleppo", "SY"), ("Astana", "Astana", "KZ"), ("Palmyra", "Tadmur", "SY"),
        ("Nowhere-at-all-ville", None, None)]
    assert set(records[0]) == {"query", "name", "lat", "lon", "country_code", "geonameid", "feature", "population", "source"}
    us = json.loads(run(cli, "geocode", "Moscow", "--country", "US", env=offline_env).stdout)
    assert (us["country_code"], us["name"]) == ("US", "Moscow")


def test_geocode_online_needs_a_user_agent(cli, offline_env):
    env = {k: v for k, v in offline_env.items() if k != "SYRIA_NOTES_USER_AGENT"}
    assert_one_line_error(run(cli, "geocode", "Aleppo", "--online", env=env), 1, "needs a user agent that identifies you")


def test_gazetteer_info_and_a_bad_addition(cli, tmp_path, offline_env):
    info = json.loads(run(cli, "gazetteer", "info", env=offline_env).stdout)
    assert info["places"] > 230_000 and "CC BY 4.0" in info["attribution"]
    bad = tmp_path/"SY.txt"
    bad.write_text("170100\tSalah ad Din\t36.18\n")
    assert_one_line_error(run(cli, "gazetteer", "add", bad, env=offline_env), 1, f"{bad}: line 1: 3 tab-separated columns")


def test_places_on_the_seeds_as_records(cli, tmp_path, offline_env):
    out = tmp_path/"places.jsonl"
    result = run(cli, "places", *SEEDS, "-o", out, env=offline_env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    texts = {s.stem: s.read_text(encoding="utf-8") for s in SEEDS}
    for r in records: assert texts[r["doc"]][r["start"]:r["end"]] == r["text"], r
    assert {"Aleppo", "Damascus", "Astana", "Ankara", "Moscow", "Istanbul", "London", "Tadmur"} <= {r["name"] for r in records}
    assert {r["method"] for r in records} == {"gazetteer", "containment"}
    assert "mentions" in result.stderr and "GeoNames" in result.stderr


def test_places_on_a_corpus_with_two_workers_matches_one(cli, tmp_path, offline_env):
    corpus = tmp_path/"c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(
        ["Shelling hit Aleppo and Homs, residents said.", "Talks open in the Kazakh capital Astana.",
         "He flew from London to Moscow.", "Fighters from Iraq, Iran and Lebanon joined."])) + "\n")
    one = run(cli, "places", corpus, env=offline_env)
    two = run(cli, "places", corpus, "--workers", "2", env=offline_env)
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 9  # Aleppo, Homs, Kazakh, Astana, London, Moscow, Iraq, Iran, Lebanon


def test_places_csv_carries_each_article_s_date_title_and_outlet(cli, tmp_path, offline_env):
    "Issue 17: places --format csv on the seeds has date, title and source filled in for every row, and says where each came from."
    import csv
    out = tmp_path/"places.csv"
    result = run(cli, "places", *SEEDS, "--format", "csv", "-o", out, env=offline_env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and all(r["date"] and r["title"] and r["source"] for r in rows)
    by_doc = {r["doc"]: (r["date"][:10], r["date_from"], r["title_from"], r["source"]) for r in rows}
    assert by_doc == {"000_3df7b93e844493a0": ("2016-12-29", "text", "first sentence", "Times of Israel"),
                      "003_c593c7928c613438": ("2016-12-29", "updated", "headline", "CNN")}
    geojson = run(cli, "places", SEEDS[1], "--format", "geojson", env=offline_env)
    properties = json.loads(geojson.stdout)["features"][0]["properties"]
    assert properties["source"] == "CNN" and properties["title"].startswith("Syria ceasefire deal reached")


def test_a_corpus_date_column_is_carried_and_filtered(cli, tmp_path, offline_env):
    corpus = tmp_path/"c.csv"
    corpus.write_text("id,text,date,source,url\n"
                      "a,Shelling hit Aleppo and Homs on Wednesday night.,2016-12-28,Wire,https://example.org/a\n"
                      "b,Peace talks are to open in Astana next month.,30 December 2016,Wire,https://example.org/b\n"
                      "c,He flew from London to Moscow.,,Wire,\n", encoding="utf-8")
    every = run(cli, "places", corpus, env=offline_env)
    rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert {(r["doc"], r["date"], r["date_from"]) for r in rows} == {("a", "2016-12-28", "corpus"), ("b", "2016-12-30", "corpus"),
                                                                  ("c", None, None)}
    assert {r["url"] for r in rows if r["doc"] == "a"} == {"https://example.org/a"}
    kept = run(cli, "places", corpus, "--since", "2016-12-29", "--until", "2016-12-31", env=offline_env)
    assert kept.returncode == 0, kept.stderr
    assert {json.loads(line)["doc"] for line in kept.stdout.splitlines()} == {"b"}
    assert "2 articles dated outside --since/--until (or undated) left out" in kept.stderr
    assert_one_line_error(run(cli, "places", corpus, "--since", "29/12/2016", env=offline_env), 2, "YYYY-MM-DD")
    table = tmp_path/"corpus-out"
    done = run(cli, "corpus", corpus, "-o", table, "--until", "2016-12-29", "-q", env=offline_env)
    assert done.returncode == 0, done.stderr
    import pandas as pd
    articles = pd.concat(pd.read_parquet(f) for f in sorted((table/"articles").glob("*.parquet")))
    places = pd.concat(pd.read_parquet(f) for f in sorted((table/"places").glob("*.parquet")))
    assert list(articles["id"]) == ["a"] and set(places["date"]) == {"2016-12-28"} and set(places["source"]) == {"Wire"}
    again = run(cli, "corpus", corpus, "-o", table, "-q", env=offline_env)  # another period into the same folder
    assert_one_line_error(again, 1, "period")


def test_evaluate_and_resolve_a_small_corpus(cli, tmp_path, offline_env):
    corpus = tmp_path/"gold.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "Shelling hit Aleppo and Homs.", "toponyms": [
        {"start": 13, "end": 19, "name": "Aleppo", "lat": 36.2, "lon": 37.16},
        {"start": 24, "end": 28, "name": "Homs", "lat": 34.73, "lon": 36.72}]}) + "\n")
    metrics = json.loads(run(cli, "evaluate", corpus, env=offline_env).stdout)
    assert metrics["resolution_gold_spans"]["accuracy_161km"] == 1.0 and metrics["recognition"]["f1"] == 1.0
    placed = [json.loads(l) for l in run(cli, "resolve", corpus, env=offline_env).stdout.splitlines()]
    assert [p["name"] for p in placed] == ["Aleppo", "Homs"]
    (tmp_path/"broken.jsonl").write_text("{not json\n")
    assert_one_line_error(run(cli, "evaluate", tmp_path/"broken.jsonl"), 1, "line 1: not JSON")


def seed_gold_corpus(path):
    "Three paragraphs of a seed article with gold toponyms marked by hand: GeoNames' points and ids, GeoWebNews' types."
    text = (ROOT/"seeds"/"000_3df7b93e844493a0.txt").read_text(encoding="utf-8")
    def paragraph(opening): start = text.index(opening); return text[start:text.index("\n", start)]
    def gold(doc, name, lat, lon, geonameid, kind):
        start = doc.index(name)
        return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon, "geonameid": geonameid, "type": kind}
    truce, rockets, kremlin = paragraph("The cease fire"), paragraph("Rami Abdel Rahman"), paragraph("Russian President Vladimir Putin speaks")
    docs = [{"id": "truce", "text": truce, "toponyms": [gold(truce, "Syria", 35.0, 38.0, 163843, "Literal"),
                                                        gold(truce, "Russia", 60.0, 100.0, 2017370, "Metonymic"),
                                                        gold(truce, "Turkey", 39.0, 35.0, 298795, "Metonymic")]},
            {"id": "rockets", "text": rockets, "toponyms": [gold(rockets, "Syrian", 35.0, 38.0, 163843, "Embedded_Non_Lit"),
                                                            gold(rockets, "Aleppo city", 36.20124, 37.16117, 170063, "Literal"),
                                                            gold(rockets, "Damascus", 33.5102, 36.29128, 170654, "Literal")]},
            {"id": "kremlin", "text": kremlin, "toponyms": [gold(kremlin, "Kremlin", 55.75202, 37.61749, None, "Literal"),
                                                            gold(kremlin, "Moscow", 55.75222, 37.61556, 524901, "Literal")]}]
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_evaluate_explains_itself(cli, tmp_path, offline_env):
    "`--format table` for a person, JSON for a script, `--by-doc` rows that add up to the corpus figures (whatever the pipeline answers)."
    corpus = seed_gold_corpus(tmp_path/"gold.jsonl")
    result = run(cli, "evaluate", corpus, "--format", "table", "-o", tmp_path/"table.txt", "--by-doc", tmp_path/"docs.jsonl", env=offline_env)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert f"one row per document in {tmp_path/'docs.jsonl'}" in result.stderr
    table = (tmp_path/"table.txt").read_text(encoding="utf-8")
    assert max(map(len, table.splitlines())) <= 120, table
    for heading in ["Recognition:", "Resolution of the gold spans", "same GeoNames id", "Misses:", "Accuracy by the answer's confidence",
                    "By gold type (3 most frequent of 3)"]:
        assert heading in table, heading
    rows = [json.loads(line) for line in (tmp_path/"docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["doc"], r["gold_spans"]) for r in rows] == [("truce", 3), ("rockets", 3), ("kremlin", 2)]
    for r in rows: assert r["predicted_exact"] <= r["predicted_overlapping"] <= r["predicted"] and r["gold_found_exact"] <= r["gold_found"]

    piped = run(cli, "evaluate", corpus, "-o", tmp_path/"measures.json", "--by-doc", "-", env=offline_env)  # JSON when not a terminal
    assert piped.returncode == 0, piped.stderr
    measures = json.loads((tmp_path/"measures.json").read_text(encoding="utf-8"))
    assert [json.loads(line) for line in piped.stdout.splitlines()] == rows  # the same rows, on standard output
    total = {k: sum(r[k] for r in rows) for k in ("predicted", "predicted_overlapping", "predicted_exact", "gold_found", "gold_found_exact", "within_161km")}
    rec, res = measures["recognition"], measures["resolution_gold_spans"]
    assert (rec["precision"], rec["recall"]) == (round(total["predicted_overlapping"] / total["predicted"], 3), round(total["gold_found"] / 8, 3))
    assert (rec["exact"]["precision"], rec["exact"]["recall"]) == (round(total["predicted_exact"] / total["predicted"], 3), round(total["gold_found_exact"] / 8, 3))
    assert res["accuracy_161km"] == round(total["within_161km"] / 8, 3)
    assert {c: sum(r["misses"][c] for r in rows) for c in measures["misses"]} == {c: v["spans"] for c, v in measures["misses"].items()}
    assert res["geonameid_agreement"]["gold_spans_with_id"] == 7  # all but "Kremlin"
    assert {t: v["spans"] for t, v in measures["by_type"]["type"].items()} == {"Literal": 5, "Metonymic": 2, "Embedded_Non_Lit": 1}
    for label, v in (("where it overlaps", rec), ("where it is exact", rec["exact"])):  # the table says what the JSON says
        assert re.search(rf"^  {label} +{v['precision']:.3f} +{v['recall']:.3f} +{v['f1']:.3f}$", table, re.M), table
    for w in measures["worst_misses"]:
        assert set(w) == {"doc", "start", "end", "text", "sentence", "gold", "answer", "error_km", "miss", "spans"}
        assert re.search(rf"^ +\d+ +{w['error_km']:,.0f}  {re.escape(w['doc'][:13])}.* +{re.escape(w['text'][:12])}", table, re.M), (w, table)
        assert w["text"] in w["sentence"]
    for u in measures["unanswered"]:
        assert re.search(rf"^  {re.escape(u['text'][:25])}.* +{re.escape(u['gold_name'][:25])}.* +{u['spans']}  {u['docs'][0]}", table, re.M), (u, table)

    assert_one_line_error(run(cli, "evaluate", corpus, "--by-doc", "-"), 1, "--by-doc -: standard output already takes the measures")


def test_evaluate_leaves_out_neutral_gold_and_scores_gold_without_a_point_for_recognition(cli, tmp_path, offline_env):
    "The Syria-war set's keys: a neutral toponym (a demonym) is neither credited nor counted against; one with a null point counts"
    "for recognition only. A corpus in its manner, written here: a headline, a sentence, a tag list."
    title = "Shelling hits Aleppo"
    text = title + "\n\nSyrian forces shelled Aleppo and Kafr Hamra on Friday.\nTags: Syria, Aleppo"
    body, tags = text.index("\n"), text.index("Tags")
    def gold(name, after, lat, lon, kind="literal"):
        start = text.index(name, after)
        return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon, "geonameid": None, "country": "SY",
                "type": kind, "neutral": kind == "demonym"}
    aleppo = (36.20124, 37.16117)
    toponyms = [gold("Aleppo", 0, *aleppo), gold("Syrian", body, 35.0, 38.0, "demonym"), gold("Aleppo", body, *aleppo),
                gold("Kafr Hamra", body, None, None), gold("Syria", tags, 35.0, 38.0), gold("Aleppo", tags, *aleppo)]
    corpus, without = tmp_path/"raid.jsonl", tmp_path/"no-demonym.jsonl"
    corpus.write_text(json.dumps({"id": "raid", "title": title, "text": text, "toponyms": toponyms}) + "\n", encoding="utf-8")
    without.write_text(json.dumps({"id": "raid", "title": title, "text": text, "toponyms": toponyms[:1] + toponyms[2:]}) + "\n", encoding="utf-8")

    result = run(cli, "evaluate", corpus, "-o", tmp_path/"m.json", "--by-doc", tmp_path/"docs.jsonl", "-q", env=offline_env)
    assert result.returncode == 0, result.stderr  # a null point is read, not refused
    m = json.loads((tmp_path/"m.json").read_text(encoding="utf-8"))
    (row,) = [json.loads(line) for line in (tmp_path/"docs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (m["gold_toponyms"], m["neutral_gold"], m["gold_without_point"]) == (5, 1, 1)
    assert (row["gold_spans"], row["neutral_gold"], row["gold_without_point"]) == (5, 1, 1)
    assert {k: v["gold"] for k, v in m["recognition_by_shape"].items()} == {"headline": 1, "body": 2, "list": 2}
    assert m["recognition_syria"]["gold"] == 5 and m["recognition"]["recall"] == round(row["gold_found"] / 5, 3)
    assert list(m["by_type"]["type"]) == ["literal"]  # the demonym is not scored
    scored = sum(v["spans"] for v in m["resolution_gold_spans"]["by_confidence"].values())
    assert scored == 4 and sum(v["spans"] for v in m["misses"].values()) <= 4  # resolution: the four with a point
    assert m["resolution_gold_spans"]["accuracy_161km"] == round(row["within_161km"] / 4, 3)

    # the same text with the demonym not annotated at all: whatever the pipeline predicts on "Syrian" becomes a false place
    assert run(cli, "evaluate", without, "-o", tmp_path/"w.json", "-q", env=offline_env).returncode == 0
    w = json.loads((tmp_path/"w.json").read_text(encoding="utf-8"))
    assert w["gold_toponyms"] == 5 and w["neutral_gold"] == 0
    assert w["recognition"]["recall"] == m["recognition"]["recall"]
    # the pipeline reports "Syrian" (a demonym: a mention of Syria); were it to stop, this text would need another neutral span
    assert w["recognition_by_shape"]["body"]["predicted"] > m["recognition_by_shape"]["body"]["predicted"], (w, m)
    assert w["recognition"]["precision"] < m["recognition"]["precision"]  # a false place there, not here

    table = run(cli, "evaluate", corpus, "--format", "table", "-q", env=offline_env).stdout
    assert "left out: 1 neutral gold spans (neither credited nor counted against), 1 without a point (recognition only)" in table
    assert "Resolution of the gold spans (recognition skipped), 4 that have a point" in table
    for k, v in m["recognition_by_shape"].items():
        assert re.search(rf"^  … in {k} lines +.* +{v['gold']} +{v['gold_found']} +{v['predicted']}$", table, re.M), table
    assert re.search(r"^  … places in Syria +\d\.\d{3} +5 +\d$", table, re.M), table


def test_evaluate_prints_a_table_on_a_terminal(cli, tmp_path):
    import os, pty
    corpus = seed_gold_corpus(tmp_path/"gold.jsonl")
    master, slave = pty.openpty()
    proc = subprocess.Popen([cli, "evaluate", corpus, "-q"], stdout=slave, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "SYRIA_NOTES_ONLINE": "0"})
    os.close(slave)
    chunks = []
    while True:
        try: chunk = os.read(master, 4096)
        except OSError: break
        if not chunk: break
        chunks.append(chunk)
    os.close(master)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0 and "Recognition: the spans the pipeline finds" in seen and not seen.startswith("{"), seen


def _stderr_on_a_terminal(cli, *args) -> tuple[int, str]:
    "Run the command with its standard error on a pseudo-terminal, as a person at a terminal sees it."
    import fcntl, os, pty, struct, termios
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size; tqdm draws nothing in 0x0
    proc = subprocess.Popen([cli, *map(str, args)], stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT,
                            env={**os.environ, "SYRIA_NOTES_ONLINE": "0"})
    os.close(slave)
    chunks = []
    while True:
        try: chunk = os.read(master, 4096)
        except OSError: break  # the command ended and closed its end
        if not chunk: break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_progress_shows_on_a_terminal_and_not_with_quiet(cli):
    status, seen = _stderr_on_a_terminal(cli, "places", ROOT/"seeds")
    assert status == 0 and "places:" in seen and "doc" in seen and "%|" in seen, seen  # tqdm's bar: "places: 100%|####| 2/2 [...]"
    status, quiet = _stderr_on_a_terminal(cli, "places", ROOT/"seeds", "--quiet")
    assert status == 0 and "%|" not in quiet and quiet.strip() == "", quiet
    piped = run(cli, "places", ROOT/"seeds")  # standard error to a pipe (a log file): no bar, the summary only
    assert "%|" not in piped.stderr and piped.stderr.count("\n") == 1


def test_every_command_s_help_says_what_it_reads_writes_and_returns(cli):
    "Issue 17: each --help lists inputs, options with defaults, outputs, one example and the exit statuses; the README's table agrees."
    from syria_notes.cli import COMMANDS, GUIDE
    readme = (ROOT/"README.md").read_text(encoding="utf-8")
    for name, (help, _) in COMMANDS.items():
        result = run(cli, name, "--help")
        assert result.returncode == 0, result.stderr
        text = " ".join(result.stdout.split())
        writes, example = GUIDE[name]
        for part in ("usage:", "options:", "output:", " ".join(writes.split()), "example:", example, "exit status:", "4 some documents failed"):
            assert part in text, (name, part)
        assert f"| `{name}` | {help} | {writes} | `{example}` |" in readme, f"README's command table: {name} (python tools/command_table.py && make readme)"


def test_events_on_the_seeds_as_a_table(cli, tmp_path, offline_env):
    "Issue 18: syria-notes events writes rows a reader can check against their sentences; --merge groups across documents."
    import csv
    from syria_notes.text import clean_markup
    out = tmp_path/"events.csv"
    result = run(cli, "events", *SEEDS, "-o", out, env=offline_env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    texts = {s.stem: s.read_text(encoding="utf-8") for s in SEEDS}
    assert len(rows) >= 20 and "events" in result.stderr
    for r in rows:
        raw = texts[r["doc"]][int(r["start"]):int(r["end"])]  # the source's characters: entities and links as written
        assert " ".join(clean_markup(raw).text.split()) == " ".join(r["sentence"].split()), r
        if r["location_start"]: assert texts[r["doc"]][int(r["location_start"]):int(r["location_end"])] == r["location_text"], r
    assert {"agreement", "airstrike", "capture", "clash"} <= {r["event_type"] for r in rows}
    merged = run(cli, "events", *SEEDS, "--merge", env=offline_env)
    groups = [json.loads(line) for line in merged.stdout.splitlines()]
    assert any(len(g["docs"]) == 2 for g in groups), groups  # the ceasefire, told by both articles
    assert_one_line_error(run(cli, "events", *SEEDS, "-o", tmp_path/"events.xlsx", env=offline_env), 1, ".csv, .jsonl or .parquet")
