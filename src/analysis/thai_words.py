"""Thai word segmentation: PyThaiNLP's dictionary segmenter ``newmm`` over a dictionary that loads fast.

Thai is written without spaces between words. Two parts of the project cut Thai text into words
with PyThaiNLP's ``newmm`` (maximal matching over a dictionary, constrained by Thai Character
Clusters): the suggestions summary of stage 1 (``data.suggestions``) and the line breaking of the
write-up (``report.thai_text``). ``newmm`` asks its dictionary one question, "which words start
at this position of the text?" (``prefixes``). PyThaiNLP answers it with a character trie, whose
construction in Python takes about a second for the 62,000 words of ``thai_words()``, paid by every
run and every render. :class:`WordSet` answers the same question with two hash sets (the words and
every proper prefix of a word, built in about 0.1 s) and gives the same answers in the same order,
so the segmentation is the same word for word (``tests/test_thai_words.py`` compares both on the
write-up's text).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache


class WordSet:
    """A dictionary for ``newmm``: the part of ``pythainlp.util.Trie`` the segmenter uses.

    Like ``Trie.add``, words are stripped of surrounding spaces and empty words are ignored.
    ``prefixes(text, start)`` lists the words that begin at ``text[start]``, shortest first,
    exactly as ``Trie.prefixes`` does: it extends the piece one character at a time while the
    piece is still the beginning of some word.
    """

    __slots__ = ("_stems", "_words")

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(w for word in words if (w := word.strip()))
        self._stems = frozenset(w[:i] for w in self._words for i in range(1, len(w)))

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        for stop in range(start + 1, len(text) + 1):
            piece = text[start:stop]
            if piece in self._words:
                found.append(piece)
            if piece not in self._stems:
                break
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._words))

    def __len__(self) -> int:
        return len(self._words)


@cache
def dictionary(extra_words: frozenset[str] = frozenset()) -> WordSet:
    """PyThaiNLP's Thai word list (``pythainlp.corpus.thai_words``, shipped with the package:
    no download) with ``extra_words`` added."""
    from pythainlp.corpus import thai_words

    return WordSet(set(thai_words()) | extra_words)


def segment(text: str, extra_words: frozenset[str] = frozenset(), keep_whitespace: bool = True) -> list[str]:
    """``text`` cut into words by ``newmm`` over :func:`dictionary` (``extra_words`` added).
    With ``keep_whitespace`` spaces are tokens of their own and ``"".join(tokens) == text``.

    Same as ``pythainlp.tokenize.word_tokenize(text, custom_dict=dict_trie(words),
    engine="newmm", keep_whitespace=keep_whitespace)``."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(
        text, custom_dict=dictionary(extra_words), engine="newmm", keep_whitespace=keep_whitespace
    )


@cache
def syllable_dictionary() -> WordSet:
    """PyThaiNLP's Thai syllable list (``pythainlp.corpus.thai_syllables``, shipped with the
    package)."""
    from pythainlp.corpus import thai_syllables

    return WordSet(thai_syllables())


def syllables(word: str) -> list[str]:
    """A Thai word in syllables: ``newmm`` over :func:`syllable_dictionary`, as
    ``pythainlp.tokenize.syllable_tokenize(word, engine="dict")`` gives them for one word
    (which first builds a trie of the whole word list, about a second)."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(word, custom_dict=syllable_dictionary(), engine="newmm", keep_whitespace=False)
