"""The fast dictionary gives newmm the same answers as PyThaiNLP's own trie, so the words are the same.

Reference: ``pythainlp.util.dict_trie`` (PyThaiNLP's character trie, what ``word_tokenize``
builds from a custom word list) on the same words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pythainlp.corpus import thai_words as pythainlp_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import dict_trie

from analysis import thai_words
from analysis.report.thai_text import domain_words

ROOT = Path(__file__).parents[1]
# Thai prose the project writes and reads: the catalogues, the templates, the example's
# questionnaire and configuration, and the write-up sources.
SOURCES = [
    *sorted((ROOT / "src/analysis/report/catalogue").glob("*.yaml")),
    *sorted((ROOT / "src/analysis/report/templates").glob("*.j2")),
    *sorted((ROOT / "data/raw/example").glob("*.yaml")),
]
THAI_RUN = re.compile(r"[\u0e00-\u0e7f][\u0e00-\u0e7f0-9 ().,%-]*")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = []
    for path in SOURCES:
        found.extend(m.group(0).strip() for m in THAI_RUN.finditer(path.read_text(encoding="utf-8")))
    texts = sorted({t for t in found if len(t) > 1})
    assert len(texts) > 500, "too little Thai text to compare on"
    return texts


@pytest.fixture(scope="module")
def words() -> frozenset[str]:
    return frozenset(domain_words())


def test_prefixes_match_the_trie_at_every_position(texts, words):
    trie = dict_trie(set(pythainlp_words()) | words)
    fast = thai_words.dictionary(words)
    checked = 0
    for text in texts[:400]:
        for start in range(len(text)):
            assert fast.prefixes(text, start) == trie.prefixes(text, start), (text, start)
            checked += 1
    assert checked > 5000


def test_segmentation_matches_word_tokenize_with_the_trie(texts, words):
    trie = dict_trie(set(pythainlp_words()) | words)
    for text in texts:
        expected = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True)
        assert thai_words.segment(text, words) == expected, text
        expected = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=False)
        assert thai_words.segment(text, words, keep_whitespace=False) == expected, text


def test_words_are_stripped_like_the_trie():
    fast = thai_words.WordSet([" ครู ", "", "ครูใหญ่", "  "])
    assert len(fast) == 2
    assert "ครู" in fast and " ครู " not in fast
    assert fast.prefixes("ครูใหญ่มา") == ["ครู", "ครูใหญ่"]
    assert fast.prefixes("ใหญ่") == []
    assert list(fast) == ["ครู", "ครูใหญ่"]


def test_syllables_match_pythainlps_syllable_tokenize(texts, words):
    """Syllables of every word of the project's Thai text in PyThaiNLP's word list are those
    of PyThaiNLP's ``syllable_tokenize(engine="dict")`` (the reference, on one word at a
    time; it cuts a text into those words first, so a domain word such as "ครอนบาค" it cuts
    differently)."""
    from pythainlp.tokenize import syllable_tokenize

    listed, checked = set(pythainlp_words()), set()
    for text in texts[:300]:
        for word in thai_words.segment(text, words, keep_whitespace=False):
            if word in listed and word not in checked and re.fullmatch("[\u0e00-\u0e7f]+", word):
                assert thai_words.syllables(word) == syllable_tokenize(word, engine="dict"), word
                checked.add(word)
    assert len(checked) > 300
