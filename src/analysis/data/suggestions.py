"""Respondents' suggestions (ข้อเสนอแนะ): free-text answers summarised safely.

Per cycle, the answers of the study's free-text column(s) are

1. redacted with the patterns of :mod:`analysis.data.privacy` (titled names, e-mails, phone
   numbers, national IDs, LINE IDs), every redaction counted by kind (:func:`redact_counting`);
   the original text is never kept in anything this module returns;
2. segmented into Thai words with PyThaiNLP's dictionary-based maximal matching (``newmm``,
   its bundled dictionary, no network), the themes' keywords added to the dictionary;
3. summarised as the most frequent content words (Thai stopwords of PyThaiNLP, punctuation,
   numbers and one-letter tokens dropped; a word is listed only when at least
   ``min_respondents`` answers use it, so a rare word such as an untitled name cannot surface) and,
   with a themes file (theme -> keywords), a table of theme x cycle with the number of answers
   that mention the theme and their percentage of the respondents who gave a suggestion — as Thai
   reports print "ข้อเสนอแนะ (ความถี่)".

Up to ``max_examples`` redacted answers per theme are returned only when ``quote_examples`` is
True (the study config must allow it). Numbers and codes only; no sentences.

Reference for the segmenter: Phatthiyaphaibun, W., et al. (2023). PyThaiNLP: Thai natural
language processing in Python. *Proceedings of NLP-OSS 2023*, 25–36.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pandas as pd

from analysis import thai_words
from analysis.config.themes import Theme, normalise
from analysis.data import privacy
from analysis.errors import PhanatError

# Kinds of personal data, in the order analysis.data.privacy.redact applies them, with the name of
# the pattern in analysis.data.privacy and the placeholder it writes.
FALLBACK_LINE_ID = re.compile(
    r"(?i)(?:(?<![A-Za-z])line\s*[-_ ]?id|(?<![A-Za-z])id\s*[-_ ]?line|ไอดี\s*ไลน์|ไลน์\s*ไอดี|(?<!ออน)ไลน์"
    r"|(?<![A-Za-z])line(?=\s*[:：=]))\s*[:：=]?\s*@?[A-Za-z0-9][A-Za-z0-9._\-]{2,30}"
)  # used only while analysis.data.privacy has no LINE_ID pattern of its own
# A name whose title is glued to the word before it ("ขอบคุณนายสมชาย ใจดี": Thai writes no spaces
# between words). Applied after analysis.data.privacy's own name pattern, whatever that allows before
# a title; over-redacting a word such as นายก is the safe side for free text.
GLUED_NAME = re.compile(
    r"(?:นางสาว|น\.ส\.|นาง|นาย|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)\s*[\u0e01-\u0e4e]{2,}(?:\s+[\u0e01-\u0e4e]{2,})?"
)
# Words that contain a pattern's trigger without being personal data: ออนไลน์ (online) ends in ไลน์
# (LINE). They are swapped for private-use characters while the patterns run.
PROTECTED = {"ออนไลน์": "\ue000"}
KINDS = (
    ("e-mail", "EMAIL", "[e-mail]"),
    ("line-id", "LINE_ID", "[line-id]"),
    ("national-id", "NATIONAL_ID", "[national-id]"),
    ("phone", "PHONE", "[phone]"),
    ("name", "THAI_NAME", "[name]"),
)
PLACEHOLDER = re.compile(r"\[([a-z][a-z\-]*)\]")
NO_SUGGESTION = frozenset(
    {"", "-", "--", ".", "ไม่มี", "ไม่มีข้อเสนอแนะ", "ไม่มีค่ะ", "ไม่มีครับ", "ไม่มี ค่ะ", "ไม่มี ครับ",
     "none", "no", "n/a", "na", "nil"}
)  # fmt: skip
# Thai letters, vowels and tone marks (no digits, ฯ or ๆ) or Latin letters
WORD = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]{2,}|[a-z][a-z\-]+")
OK = "ok"
NO_ANSWERS = "no_answers"
MAX_EXAMPLES = 3
MIN_RESPONDENTS = 3


def redact_counting(text: str) -> tuple[str, dict[str, int]]:
    """Redact ``text`` and count the redactions by kind ("e-mail", "line-id", "national-id",
    "phone", "name"). Applies the patterns of :mod:`analysis.data.privacy` in the order of
    :func:`analysis.data.privacy.redact`, then :data:`GLUED_NAME`, then :func:`analysis.data.privacy.redact`
    itself as a final pass (so any pattern added there later is applied too; what it replaces is
    counted under its placeholder's name). Words in :data:`PROTECTED` are shielded meanwhile."""
    counts: Counter[str] = Counter()
    for word, mark in PROTECTED.items():
        text = text.replace(word, mark)
    for kind, attr, placeholder in KINDS:
        pattern = getattr(privacy, attr, None) or (FALLBACK_LINE_ID if attr == "LINE_ID" else None)
        if pattern is None:
            continue
        text, n = pattern.subn(placeholder, text)
        counts[kind] += n
    text, n = GLUED_NAME.subn("[name]", text)
    counts["name"] += n
    before = Counter(PLACEHOLDER.findall(text))
    text = privacy.redact(text)
    for kind, n in Counter(PLACEHOLDER.findall(text)).items():
        if n > before.get(kind, 0):
            counts[kind] += n - before.get(kind, 0)
    for word, mark in PROTECTED.items():
        text = text.replace(mark, word)
    return text, {k: v for k, v in counts.items() if v}


def is_suggestion(text: str) -> bool:
    """False for blanks and the usual "nothing to suggest" answers (ไม่มี, -, none ...)."""
    return normalise(text).casefold() not in NO_SUGGESTION


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """PyThaiNLP's Thai stopword list (``pythainlp.corpus.thai_stopwords``)."""
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def segment(text: str, extra_words: tuple[str, ...] = ()) -> list[str]:
    """Thai word segmentation by PyThaiNLP ``newmm`` (maximal matching over the dictionary and
    Thai character clusters), with ``extra_words`` added to the dictionary; whitespace dropped."""
    return thai_words.segment(text, frozenset(extra_words), keep_whitespace=False)


def content_words(tokens: list[str]) -> list[str]:
    """Tokens that carry content: Thai words of two letters or more or Latin words (lower-cased),
    not a Thai stopword; punctuation, numbers (Arabic or Thai digits) and placeholders drop out."""
    stop = stopwords()
    out = []
    for token in tokens:
        word = token.strip().casefold()
        if WORD.fullmatch(word) and word not in stop:
            out.append(word)
    return out


@dataclass(frozen=True)
class SuggestionSummary:
    """What the answers add up to. Tables are plain records (lists of dicts) so the summary goes
    straight into results JSON:

    * ``cycles``: per cycle ``n_rows`` (answers read, blanks included), ``n_suggestions`` (answers
      that say something), ``redactions`` (kind -> count);
    * ``redactions``: kind -> count over all cycles (for the log);
    * ``top_words``: word, ``answers`` (answers using it), ``count`` (occurrences),
      ``answers_by_cycle`` (cycle -> answers using it); at most ``n_top`` rows;
    * ``themes``: theme (its Thai name), ``name_en`` (None when the themes file gives none),
      ``count`` and ``percent`` (cycle -> answers mentioning the theme, and
      their percentage of that cycle's suggestions; None for a cycle without suggestions), and
      ``count_all``/``percent_all`` over all cycles;
    * ``examples``: theme -> up to three redacted answers, empty unless quoting was allowed."""

    code: str
    cycles: list[dict] = field(default_factory=list)
    redactions: dict[str, int] = field(default_factory=dict)
    top_words: list[dict] = field(default_factory=list)
    themes: list[dict] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)
    quoted: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def summarise_suggestions(
    answers: dict[str, pd.Series],
    themes: dict[str, Theme] | None = None,
    *,
    n_top: int = 20,
    min_respondents: int = MIN_RESPONDENTS,
    quote_examples: bool = False,
    max_examples: int = MAX_EXAMPLES,
) -> SuggestionSummary:
    """Summarise the free-text answers of each cycle (``answers``: cycle -> Series of raw cells,
    cycles in report order). See the module docstring for every step."""
    themes = themes or {}
    keywords = tuple(sorted({k for theme in themes.values() for k in theme.keywords}))
    per_cycle: list[dict] = []
    texts: dict[str, list[str]] = {}
    words: dict[str, list[list[str]]] = {}
    total: Counter[str] = Counter()
    redacted: dict[str, tuple[str, dict[str, int]]] = {}  # an answer given many times is read once
    segmented: dict[str, list[str]] = {}
    for cycle, series in answers.items():
        cells = [normalise(v) for v in series.dropna().astype(str)]
        kept, counts = [], Counter()
        for cell in cells:
            if not is_suggestion(cell):
                continue
            if cell not in redacted:
                redacted[cell] = redact_counting(cell)
            clean, found = redacted[cell]
            counts.update(found)
            kept.append(clean)
        total.update(counts)
        texts[cycle] = kept
        for t in kept:
            if t not in segmented:
                segmented[t] = content_words(segment(PLACEHOLDER.sub(" ", t), keywords))
        words[cycle] = [segmented[t] for t in kept]
        per_cycle.append(
            {"cycle": cycle, "n_rows": len(series), "n_suggestions": len(kept), "redactions": dict(counts)}
        )
    if not any(texts.values()):
        return SuggestionSummary(NO_ANSWERS, per_cycle, dict(total))
    return SuggestionSummary(
        OK,
        per_cycle,
        dict(total),
        top_words=_top_words(words, n_top, min_respondents),
        themes=_theme_table(texts, themes),
        examples=_examples(texts, themes, max_examples) if quote_examples else {},
        quoted=quote_examples,
    )


def _top_words(words: dict[str, list[list[str]]], n_top: int, min_respondents: int) -> list[dict]:
    answers_using: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    by_cycle: dict[str, Counter[str]] = {c: Counter() for c in words}
    for cycle, lists in words.items():
        for tokens in lists:
            occurrences.update(tokens)
            answers_using.update(set(tokens))
            by_cycle[cycle].update(set(tokens))
    ranked = sorted(
        (w for w, n in answers_using.items() if n >= min_respondents),
        key=lambda w: (-answers_using[w], -occurrences[w], w),
    )
    return [
        {
            "word": w,
            "answers": answers_using[w],
            "count": occurrences[w],
            "answers_by_cycle": {c: by_cycle[c][w] for c in words},
        }
        for w in ranked[:n_top]
    ]


def _mentions(text: str, keywords: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(k.casefold() in folded for k in keywords)


def _theme_table(texts: dict[str, list[str]], themes: dict[str, Theme]) -> list[dict]:
    """Theme x cycle: answers that contain any of the theme's keywords (substring of the
    redacted, normalised answer; an answer may count under several themes) and their percentage
    of the cycle's suggestions."""
    rows = []
    n_all = sum(len(t) for t in texts.values())
    for theme in themes.values():
        count = {cycle: sum(_mentions(t, theme.keywords) for t in kept) for cycle, kept in texts.items()}
        count_all = sum(count.values())
        rows.append(
            {
                "theme": theme.name_th,
                "name_en": theme.name_en or None,
                "count": count,
                "percent": {c: 100 * n / len(texts[c]) if texts[c] else None for c, n in count.items()},
                "count_all": count_all,
                "percent_all": 100 * count_all / n_all if n_all else None,
            }
        )
    return rows


def _examples(
    texts: dict[str, list[str]], themes: dict[str, Theme], max_examples: int
) -> dict[str, list[str]]:
    """Up to ``max_examples`` redacted answers per theme, latest cycle first, in data order,
    without repeats."""
    out: dict[str, list[str]] = {}
    for theme, spec in themes.items():
        chosen: list[str] = []
        for cycle in reversed(list(texts)):
            for text in texts[cycle]:
                if len(chosen) < max_examples and text not in chosen and _mentions(text, spec.keywords):
                    chosen.append(text)
        out[theme] = chosen
    return out


def answers_by_cycle(
    data: pd.DataFrame, columns: list[str], cycles: pd.Series, order: list[str]
) -> dict[str, pd.Series]:
    """The free-text cells of ``columns`` per cycle (in ``order``), one answer per row: the
    row's non-empty cells joined by a space. Columns missing from ``data`` are a
    :class:`PhanatError` naming them."""
    absent = [c for c in columns if c not in data.columns]
    if absent:
        raise PhanatError(f"free-text column(s) not in the data: {', '.join(absent)}", column=absent[0])
    joined = pd.Series("", index=data.index, dtype=object)
    for column in columns:  # column by column, vectorised: a row-wise apply takes seconds at 100k
        cell = data[column].astype("string").fillna("").astype(object)
        said = cell.str.strip() != ""
        both = said & (joined != "")
        joined = joined.where(~said, cell).where(~both, joined + " " + cell)
    return {c: joined[cycles == c].reset_index(drop=True) for c in order}
