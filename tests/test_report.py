"""What `syria-notes report` writes, checked as a reader of each file would: GeoJSON by RFC 7946's rules and
traced back to the article text, the static map at publication size, the interactive map offline and
escaped."""
import json, math, os, re, struct, subprocess
from pathlib import Path

import pytest

from conftest import ROOT

SEEDS = sorted((ROOT/"seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def report(cli, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = subprocess.run([cli, "report", *map(str, SEEDS), "-o", str(out)], capture_output=True, text=True,
                            env={**os.environ, "SYRIA_NOTES_ONLINE": "0"})
    assert result.returncode == 0, result.stderr
    return out


def check_rfc7946(data):
    "Raise AssertionError unless `data` is an RFC 7946 FeatureCollection of Points (the only geometry we write)."
    assert isinstance(data, dict) and data.get("type") == "FeatureCollection", "not a FeatureCollection (7946 §3.3)"
    assert "crs" not in data, "7946 §4: no crs member; coordinates are WGS 84"
    assert isinstance(data.get("features"), list), "§3.3: features must be an array"
    for i, f in enumerate(data["features"]):
        assert f.get("type") == "Feature", f"feature {i}: type must be Feature (§3.2)"
        assert "properties" in f and (f["properties"] is None or isinstance(f["properties"], dict)), f"feature {i}: §3.2 properties"
        g = f.get("geometry")
        assert isinstance(g, dict) and g.get("type") == "Point", f"feature {i}: a Point geometry (§3.1.2)"
        c = g.get("coordinates")
        assert isinstance(c, list) and len(c) in (2, 3) and all(isinstance(v, (int, float)) and math.isfinite(v) for v in c), \
            f"feature {i}: a position is 2 or 3 numbers (§3.1.1)"
        lon, lat = c[:2]
        assert -180 <= lon <= 180 and -90 <= lat <= 90, f"feature {i}: [lon, lat] out of range: {c} (§3.1.1, §4)"


def test_the_rfc7946_check_can_fail():
    good = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [37.16, 36.2]}}]}
    check_rfc7946(good)
    for broken in ({**good, "crs": {}}, {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                   "geometry": {"type": "Point", "coordinates": [36.2, 137.16]}}]}, {"type": "Feature"}):
        with pytest.raises(AssertionError): check_rfc7946(broken)


def test_geojson_is_rfc7946_and_every_feature_traces_back_to_its_article(report):
    data = json.loads((report/"places.geojson").read_text(encoding="utf-8"))
    check_rfc7946(data)
    articles = {a["id"]: a for a in json.loads((report/"articles.json").read_text(encoding="utf-8"))}
    texts = {doc: Path(a["path"]).read_text(encoding="utf-8-sig") for doc, a in articles.items()}
    assert len(data["features"]) >= 100
    for f in data["features"]:
        p = f["properties"]
        assert {"doc", "start", "end", "text", "sentence", "name", "method", "confidence", "geonameid"} <= set(p)
        assert texts[p["doc"]][p["start"]:p["end"]] == p["text"], p
        assert p["text"] in p["sentence"] or p["method"] == "containment"
    aleppo = [f for f in data["features"] if f["properties"]["name"] == "Aleppo"]
    assert aleppo and aleppo[0]["geometry"]["coordinates"][0] == pytest.approx(37.16, abs=0.01)  # lon first


def test_static_map_is_a_publication_png_and_an_svg(report):
    png = (report/"map.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 3000 and height >= 1200, (width, height)  # 300 dpi
    svg = (report/"map.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg[:1000]


def test_interactive_map_works_offline(report):
    page = (report/"map.html").read_text(encoding="utf-8")
    assert "Leaflet 1.9.4" in page and "markerClusterGroup" in page
    assert not re.search(r'<(script|link|img)\b[^>]*\b(src|href)\s*=\s*"?(https?:)?//', page)  # nothing loaded from the network
    for cdn in ("cdn.jsdelivr", "unpkg.com", "code.jquery", "cdnjs", "bootstrapcdn"): assert cdn not in page, cdn
    assert page.count('.bindPopup("') >= 30 and "Tariq al-Bab" in page


def test_article_text_cannot_run_in_the_interactive_map(cli, tmp_path):
    hostile = tmp_path/"hostile.txt"
    # tags in a .txt are markup and are stripped; entities are text, and decode to live-looking markup
    hostile.write_text('Protesters in Aleppo wrote "&lt;script&gt;alert(1)&lt;/script&gt;" and `${alert(2)}` on a wall '
                       'near &lt;img src=x onerror=alert(3)&gt;.\n', encoding="utf-8")
    result = subprocess.run([cli, "report", str(hostile), "-o", str(tmp_path/"out")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path/"out"/"map.html").read_text(encoding="utf-8")
    assert "&#96;&#36;{alert(2)}&#96;" in page and "alert(1)" in page  # shown, as text (the reader strips tags from text)
    for live in ("<script>alert", "<img src=x", "${alert", "`${"):
        assert live not in page, live
