"""The message catalogues: the same keys in both languages, the same fields in each message."""

from __future__ import annotations

import re
import string

import pytest

from analysis.report.messages import LANGUAGES, keys, messages

THAI = re.compile("[\u0e00-\u0e7f]")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(str(text)) if name}


def test_both_catalogues_have_the_same_keys():
    th, en = (keys(messages(language).entries) for language in LANGUAGES)
    assert th - en == set(), f"in th.yaml only: {sorted(th - en)}"
    assert en - th == set(), f"in en.yaml only: {sorted(en - th)}"


def test_each_message_has_the_same_fields_in_both_languages():
    th, en = messages("th"), messages("en")
    differ = [key for key in keys(th.entries) if fields(th.get(key)) != fields(en.get(key))]
    assert not differ, f"messages whose {{fields}} differ between th.yaml and en.yaml: {differ}"


def test_english_catalogue_has_no_thai():
    en = messages("en")
    assert not [key for key in keys(en.entries) if THAI.search(str(en.get(key)))]


def test_missing_key_names_the_key_and_the_file():
    with pytest.raises(KeyError, match=r"'no\.such\.key' is not in .*th\.yaml"):
        messages("th")("no.such.key")


def test_fields_are_filled_by_name():
    assert messages("en")("language_name") == "English"
