"""Fuzz tests (#14): arbitrary text, arbitrary bytes and mutated real articles never make reading or `places` raise,
stay inside a time budget, give items whose offsets point at their own text, and give the same output twice.

`make test` runs a bounded number of examples (the `ci` profile, derandomised so CI is repeatable); `make bench`
runs the `long` profile (HYPOTHESIS_PROFILE=long) over many more. Real inputs: the seed articles and, where
../shared/benchmarks/ is beside the checkout, the texts of GeoWebNews and TR-News."""
import json, os
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import ROOT, SHARED
from syria_notes.articles import article_record, clean_markup
from syria_notes.core import BudgetExceeded, InputError, time_budget
from syria_notes.inputs import Document, article_document, read_json_lines
from syria_notes.process import parse_work, places_work
from syria_notes.inputs import Stage

settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
BUDGET = float(os.environ.get("FUZZ_BUDGET", 30))  # seconds per document: generous, a noisy 2-core machine


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT/"seeds").glob("*.txt"))]
    for name in ("geowebnews.jsonl", "trnews.jsonl"):
        path = SHARED/"benchmarks"/name
        if path.exists():
            lines = path.read_text(encoding="utf-8").split("\n")
            texts += [json.loads(l)["text"] for l in lines[:200:10] if l.strip()]  # every tenth: 20 of each
    return texts

REAL = real_texts()
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x7f", "\x85", "\u2028", "\u2029",
            "\ufeff", "\u200b", "\u200e", "\u200f", "\u202e", "\r", "\t", "\ufffd"]
FRAGMENTS = ["<p>", "</p>", "<div class=\"x\">", "</div>", "<br/>", "&amp;", "&lt;script&gt;", "&#x41;", "&#0;", "&#xD800;",
             "<script>alert(1)</script>", "<!-- note -->", "<figure><figcaption>Aleppo (AFP)</figcaption></figure>",
             "<a href=\"x\">Related</a>", "<", ">", "&", "<<<>>>", "<b><i>Idlib</b></i>", "&nbsp;" * 5]
SCRIPTS = ["حلب", "دمشق", "Москва", "Ankara’da", "伊德利卜", "Ἀλέππο", "Ḥalab", "e\u0301\u0301\u0301", "ﷺ", "🇸🇾",
           "ALEPPO, Syria —", "Deir ez-Zor", "al-Bab", "“quoted words here,” he said.", "(Reuters) -", "1,000 people killed"]


@st.composite
def mutated(draw) -> str:
    "A real article, changed a few times as scraped text gets changed: cut, lines repeated, junk and markup inserted."
    text = draw(st.sampled_from(REAL))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "cut-start", "repeat-line", "control", "fragment", "script", "long-line",
                                   "one-line", "html-page", "no-newlines-at-all"]))
        at = draw(st.integers(0, len(text)))
        if op == "cut": text = text[:at]
        elif op == "cut-start": text = text[at:]
        elif op == "repeat-line":
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i] = [lines[i]] * draw(st.integers(1, 40))
            text = "\n".join(lines)
        elif op in ("control", "fragment", "script"):
            pool = {"control": CONTROLS, "fragment": FRAGMENTS, "script": SCRIPTS}[op]
            text = text[:at] + draw(st.sampled_from(pool)) * draw(st.integers(1, 5)) + text[at:]
        elif op == "long-line":  # one sentence repeated into a line of tens of thousands of characters
            sentence = draw(st.sampled_from([s for s in text.split(". ") if s.strip()] or ["Aleppo"]))[:300]
            text = text[:at] + " ".join([sentence] * (30_000 // (len(sentence) + 1))) + text[at:]
        elif op == "one-line": text = text.replace("\n", " ")
        elif op == "html-page": text = "<!doctype html><html><body><article><p>" + text.replace("\n\n", "</p><p>") + "</p></article></body></html>"
        elif op == "no-newlines-at-all": text = text.replace("\n", "")
    return text


def records(text: str, fmt: str = "text"):
    "Parse and place `text` within the budget; check that every item points at its own text; the records, or None if refused."
    doc = Document("fuzz", text, fmt, origin="fuzz")
    try:
        with time_budget(BUDGET):
            try: article, = parse_work([doc], Stage())
            except InputError: return None  # refused with a clear message: allowed (empty, a table, ...)
            (placed_article, places), = places_work([doc], Stage())
    except BudgetExceeded:
        pytest.fail(f"a document of {len(text):,} characters took longer than {BUDGET:g} s: {text[:200]!r}")
    for span in article.spans():
        assert text[span.start:span.end] == span.raw, (type(span).__name__, span)
        assert 0 <= span.start <= span.end <= len(text)
    for p in places:
        assert 0 <= p.start < p.end <= len(text), p
        if placed_article.format == "text": assert text[p.start:p.end] == p.text, (p.text, text[p.start:p.end])
        else: assert clean_markup(text[p.start:p.end]).text == p.text, (p.text, text[p.start:p.end])
    return json.dumps(article_record(article), sort_keys=True, default=str), [asdict(p) for p in places]


def twice(text: str, fmt: str = "text"):
    first = records(text, fmt)
    assert records(text, fmt) == first, "two runs gave different output"


@given(st.text(max_size=3000))
def test_arbitrary_text(text):
    twice(text)


@given(mutated())
@example("<p>BEIJING --At least two people died in a gas explosion, state media reported.\x0b</p></body></html>")  # found by the long run:
def test_mutated_real_articles(text):                                                   # a line of tags alone, after a U+000B break
    twice(text)


@given(mutated())
def test_mutated_real_articles_read_as_html(text):
    twice(text, "html")


@given(st.binary(max_size=4000) | mutated().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_are_read_or_refused_in_one_line(data):
    try: doc = article_document(data, "fuzz", "fuzz.txt")
    except InputError as e:
        assert str(e).startswith("fuzz.txt: ") and "\n" not in str(e)
        return
    assert doc.text and doc.encoding in ("utf-8", "utf-8 (with BOM)", "utf-16", "utf-32")


@given(st.lists(st.one_of(st.text(max_size=200), st.builds(lambda t: json.dumps({"id": "x", "text": t}), st.text(max_size=200)),
                          st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False), mutated())), max_size=8))
def test_json_lines_never_raise(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz")/"c.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    items = list(read_json_lines(path))
    assert all(hasattr(x, "text") or (x.stage == "read" and "\n" not in x.message) for x in items)
