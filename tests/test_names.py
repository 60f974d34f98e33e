"""Transliteration-tolerant keys (#15 item 4): the variant table, the places they must keep apart, properties on
arbitrary names, and the false-match rate over GeoNames names against the gazetteer's `skeleton` key."""
import collections, re

import pytest
from hypothesis import example, given, strategies as st

from syria_notes import names
from syria_notes.names import (ALIASES, ARTICLES, DIFFERENT_PLACES, KNOWN_CONFLATIONS, VARIANTS, false_matches, fold,
                               frame, geonames_names, key_consonants, region_and_sample, sound_key, spelling_key,
                               translit_keys, variant_recall)


def joined(a: str, b: str, keys=translit_keys) -> bool:
    return any(x and x == y for x, y in zip(keys(a), keys(b)))


# the tables

def test_variant_table_is_large_and_joined():
    assert len(VARIANTS) >= 40 and len({gid for *_, gid, _ in VARIANTS}) >= 40
    assert variant_recall() >= 0.9
    assert variant_recall() > 2 * variant_recall(names._skeleton_today)


@pytest.mark.parametrize("a, b", [
    ("Deir ez-Zor", "Dayr al-Zawr"), ("Deir ez-Zor", "Deir Ezzor"), ("Deir el-Zor", "Dair az-Zaur"),
    ("Manbij", "Menbij"), ("Manbij", "Manbidzh"), ("Al-Bab", "Al Bab"), ("Ras al-Ain", "Ras al-Ayn"),
    ("Ras al-Ain", "Ra's al 'Ayn"), ("Qamishli", "Al-Qamishli"), ("Qamishli", "Kamishli"), ("Hasakah", "Hassakeh"),
    ("Al-Hasakah", "Hasakeh"), ("Raqqa", "Ar-Raqqah"), ("Raqqa", "Rakka"), ("Idlib", "Idleb"), ("Hama", "Hamah"),
    ("Latakia", "Lattakia"), ("Tartus", "Tartous"), ("Daraa", "Deraa"), ("Daraa", "Dar'a"),
    ("Quneitra", "Quneitrah"), ("Douma", "Duma"), ("Jarablus", "Jarabulus"), ("Afrin", "Afrîn"), ("Afrin", "Efrin"),
    ("Kobani", "Kobane"), ("Tell Abyad", "Tal Abyad"), ("Tell Abyad", "Tel Abiad"), ("Fallujah", "Falluja"),
    ("Ramadi", "Ar-Ramadi"), ("Tikrit", "Takrit"), ("Baqubah", "Baquba"), ("Kirkuk", "Karkuk"), ("Erbil", "Arbil"),
    ("Şanlıurfa", "Sanliurfa"), ("Akçakale", "Akcakale"), ("Baalbek", "Baalbeck"), ("Sulaymaniyah", "Sulaimani"),
])
def test_spellings_of_one_place_are_joined(a, b):
    assert joined(a, b), (translit_keys(a), translit_keys(b))


def test_different_places_are_kept_apart():
    assert [(a, b) for a, _, b, _ in DIFFERENT_PLACES if joined(a, b)] == []
    assert all(g != h for _, g, _, h in DIFFERENT_PLACES + KNOWN_CONFLATIONS)


def test_known_conflations_differ_only_in_vowels_of_one_class():
    "The price of Manbij = Menbij: the keys cannot part these, the gazetteer's ranking and a country must."
    for a, _, b, _ in KNOWN_CONFLATIONS:
        assert joined(a, b) and frame(a) == frame(b) and fold(a) != fold(b)


def test_aliases_are_not_spellings():
    assert [(a, b) for a, b, _ in ALIASES if joined(a, b)] == []


# folding and the frame

@pytest.mark.parametrize("name, folded", [
    ("Şanlıurfa", "sanliurfa"), ("Kırıkhan", "kirikhan"), ("İSKENDERUN", "iskenderun"), ("Hewlêr", "hewler"),
    ("Ra’s al ‘Ayn", "ras al ayn"), ("Dar‘ā", "dara"), ("Ba`labakk", "balabakk"), ("Deir ez-Zor", "deir ez zor"),
    ("Ərbil", "erbil"), ("Łódź", "lodz"), ("دير الزور", ""), ("", ""),
])
def test_fold(name, folded):
    assert fold(name) == folded


def test_articles_go_anywhere_but_not_from_inside_a_first_word():
    assert frame("Ras al-Ain") == frame("Ras Ain") == frame("Ras el Ain")
    assert frame("Jisr ash-Shughur") == frame("Jisr Shughur")
    assert frame("Al Bab") == frame("Bab") != frame("Albab")
    assert frame("Deir Ezzor") == frame("Deir Zor")  # the sun-letter form written into a later word
    assert frame("Ezzaz") == frame("Azaz") != frame("Zaz")  # ... not into the first (Ezzaz is A'zaz)
    assert frame("Al") == "al"  # a name that is only an article keeps it


def test_keys_by_number_of_consonants():
    assert translit_keys("A") == translit_keys("") == translit_keys("حلب") == ("", "")
    assert translit_keys("Bab") == ("bab", "") and key_consonants("bab") == 2
    assert sound_key("Tulkarm") == sound_key("Tulkarem") != "" and spelling_key("Tulkarm") != spelling_key("Tulkarem")
    assert sound_key("Nablus") == ""  # four consonants: no sound key
    assert spelling_key("Homs") != spelling_key("Hama") and spelling_key("Amman") != spelling_key("Oman")


# properties on arbitrary names

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzçşğıêîûéèàâ", min_size=2, max_size=9).filter(lambda w: w not in ARTICLES)


@given(st.text(max_size=40))
def test_keys_are_total_and_deterministic(name):
    keys = translit_keys(name)
    assert keys == translit_keys(name) == (spelling_key(name), sound_key(name))
    assert all(re.fullmatch(r"[a-z0-9]*", k) for k in keys)


@given(st.lists(word, min_size=1, max_size=4), st.sampled_from(sorted(ARTICLES)))
@example(words=["àd"], article="ad")  # found by a random run: a name that is an article alone
def test_hyphens_spaces_case_and_articles_do_not_matter(words, article):
    name = " ".join(words)
    assert translit_keys(name) == translit_keys("-".join(words)) == translit_keys(name.upper())
    assert translit_keys(f"{article}-{name}") == translit_keys(name)
    assert translit_keys(" ".join([words[0], article, *words[1:]])) == translit_keys(name)


# measured over GeoNames (the packaged cities500: a few seconds)

@pytest.fixture(scope="module")
def geonames():
    return geonames_names()


def test_variant_table_claims_are_true(geonames):
    by_place = collections.defaultdict(set)
    for n, gid, *_ in geonames: by_place[gid].add(fold(n))
    for a, b, gid, source in VARIANTS:
        assert ({fold(a), fold(b)} <= by_place[gid]) == (source == "GeoNames"), (a, b, source)
    for a, g, b, h in DIFFERENT_PLACES + KNOWN_CONFLATIONS:
        assert fold(a) in by_place[g] or g in (286963, 366755), a  # (Oman and Sudan: countries, not in cities500)
        assert fold(b) in by_place[h] or h in (286963, 366755), b


def test_fewer_false_matches_than_the_skeleton(geonames):
    sample = region_and_sample(geonames)
    ours, theirs = false_matches(sample), false_matches(sample, names._skeleton_today)
    assert ours["names"] == theirs["names"] > 50_000
    assert ours["false_match"] < theirs["false_match"] and ours["lookup_right"] > theirs["lookup_right"]
    assert ours["top_wrong"] < theirs["top_wrong"] and ours["top_right"] > theirs["top_right"]
