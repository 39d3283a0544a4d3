"""Thai line breaking by words for the PDF (Typst) and the HTML write-up.

Thai is written without spaces between words, so a typesetter must find the places where a
line may break. Typst uses its own (non-dictionary) segmenter and breaks inside words
("ม|อบทุน", "เทคโนโล|ยี"). This module segments every Thai run of the document with PyThaiNLP's
dictionary segmenter ``newmm`` (offline: its word list ships with the package) and then makes
the engine break **only** at those word boundaries:

- Typst: each unbreakable group becomes ``#box("…")``: a box never breaks inside, two boxes
  side by side may break between them. Unlike word joiners (U+2060) a box adds no character to
  the PDF's text layer. Only a group wider than its whole table column wraps inside its box.
- HTML: each group becomes ``<span class="thw">`` (``white-space: nowrap``) and ``<wbr>``
  marks the break between two groups; copied text is unchanged.

Groups follow Thai typesetting rules: a short connective (ที่, และ, หรือ, ของ, ใน, …) never ends
a line (it is glued to the next word, across a space with a no-break space), a number stays
with the word before or after it across a space ("จำนวน 27 ข้อ", "360 คน"), punctuation stays
with its word, and names given in ``keep`` (agency, model, indicator names) are not split.

The transformation works on pandoc's JSON AST (``pandoc --to json``), between the Markdown
reader and the Typst/HTML writers, so it survives any change of templates.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from analysis import thai_words

THAI = re.compile(r"[\u0e01-\u0e5b]")
THAI_LETTER = re.compile(r"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e4e]")
DIGIT_END = re.compile(r"\d[%)]?$")
DIGIT_START = re.compile(r"^[(]?\d")
NBSP = "\u00a0"
RELATIONS = ("=", "<", ">", "≤", "≥")
ZW_CHARS = "\u200b\u2060\u00ad\ufeff"
TEST_LETTER = re.compile(r"^[UHWt][)\],;.:]*$")  # "U", "U)", "H,", "t": the letter of a named test (not "M")
# Latin pieces the engines would break at their dash or hyphen: a range of numbers ("(1–5)",
# "4.21–4.50") and "t-test"; they stay whole on one line.
WHOLE_PIECE = re.compile(r"^\(?(?:[\d.,]+[–-][\d.,]+|t-test)\)?[,;.:]?$")
INTERVAL_START = re.compile(r"^\[[−-]?[\d.]+,$")  # "[−0.02," and
INTERVAL_END = re.compile(r"^[−-]?[\d.]+\][,;.:)]*$")  # "0.11]": an interval, one piece
CONNECTIVES = frozenset(
    {"ที่", "และ", "หรือ", "ของ", "ใน", "แต่", "กับ", "ซึ่ง", "โดย", "แห่ง", "แก่", "ต่อ", "จาก", "ตาม"}
)
# Nominalising prefixes: "การ|ดำเนินการ" must not break either.
NOMINALISERS = frozenset({"การ", "ความ"})
ORDINAL = "ที่"  # "วงรอบที่ 1": the ordinal stays with its noun and its number
GLUED_TO_NEXT = CONNECTIVES | NOMINALISERS
UNITS = frozenset(
    {"คน", "ข้อ", "ด้าน", "ฉบับ", "ราย", "ครั้ง", "บาท", "ปี", "เดือน", "วัน", "นาที", "ชั่วโมง", "แห่ง",
     "คะแนน", "ระดับ", "ตัวชี้วัด", "กลุ่ม", "รอบ", "วงรอบ", "หน่วย", "เท่า", "ชุด", "เรื่อง", "โครงการ",
     "ทุน", "โรงเรียน", "หมู่บ้าน", "ขั้น", "รายการ", "ตัว"}
)  # fmt: skip
INLINE_TAGS = frozenset(
    {
        "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
        "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
        "Image", "Note", "Span",
    }
)  # fmt: skip
HTML_CLASS = "thw"
HTML_CSS = f".{HTML_CLASS} {{ white-space: nowrap; }}"


WORDS_FILE = Path(__file__).parent / "catalogue" / "thai_words.txt"


@cache
def domain_words() -> frozenset[str]:
    """Words of survey reports that newmm's dictionary cuts in pieces ("ตัว|ชี้|วัด",
    "ค|รอน|บา|ค"): ``catalogue/thai_words.txt``, one per line, ``#`` starts a comment."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#")[0].strip()))


def segment(text: str, keep: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` by PyThaiNLP ``newmm`` (the dictionary, the domain words and the Thai
    words of the ``keep`` names); spaces are tokens of their own and ``"".join(segment(t)) == t``."""
    tokens = thai_words.segment(text, _extra_words(tuple(sorted(set(keep)))))
    assert "".join(tokens) == text, "the segmenter changed the text"
    return tokens


@cache
def _extra_words(keep: tuple[str, ...]) -> frozenset[str]:
    return domain_words() | {w for phrase in keep for w in phrase.split() if THAI.search(w)}


def _is_thai_word(token: str) -> bool:
    return bool(THAI_LETTER.search(token))


def word_groups(text: str, keep: Iterable[str] = ()) -> list[str]:
    """``text`` (no spaces) cut into the pieces that must stay on one line: a line may break
    only between two pieces. A break is allowed between two Thai words unless the first is a
    connective or a nominaliser (การ, ความ); everything else (numbers, Latin, punctuation)
    sticks to its neighbours."""
    groups: list[str] = []
    previous = ""
    for token in segment(text, keep):
        if groups and _is_thai_word(previous) and _is_thai_word(token) and previous not in GLUED_TO_NEXT:
            groups.append(token)
        elif groups:
            groups[-1] += token
        else:
            groups.append(token)
        previous = token
    return groups


def line_breaks_allowed(text: str, keep: Iterable[str] = ()) -> set[int]:
    """Character offsets in ``text`` (spaces included) where a line may break: between two
    groups of :func:`word_groups` and after a space that :func:`glue_space` keeps breakable."""
    offsets: set[int] = set()
    pos = 0
    chunks = re.split(r"( +)", text)
    for i, chunk in enumerate(chunks):
        if chunk.startswith(" "):
            before = chunks[i - 1] if i else ""
            after = chunks[i + 1] if i + 1 < len(chunks) else ""
            if not glue_space(before, after, keep):
                offsets.add(pos + len(chunk))
            pos += len(chunk)
            continue
        for group in word_groups(chunk, keep) if chunk else []:
            pos += len(group)
            offsets.add(pos)
        offsets.discard(pos)  # the end of a run is no break: the space after it is
    return offsets


def glue_space(before: str, after: str, keep: Iterable[str] = ()) -> bool:
    """Whether the space between ``before`` and ``after`` must not break: around ``=``, ``<``,
    ``≤`` (a statistic stays on one line), before a test's letter ("Mann–Whitney U"), inside an
    interval ("[−0.02, 0.11]"), after a connective, between a Thai word and a number
    ("จำนวน 27") and between a number and its unit ("360 คน")."""
    if not before or not after:
        return False
    if before.endswith(RELATIONS) or after.startswith(RELATIONS):
        return True  # a statistic stays whole: "(x̄ = 4.50)", "p < .001"
    if TEST_LETTER.match(after) and before[-1:].isalpha():
        return True  # a test's letter stays with its name: "Mann–Whitney U)", "Kruskal–Wallis H"
    if INTERVAL_START.match(before) and INTERVAL_END.match(after):
        return True  # an interval stays whole: "[−0.02, 0.11]"
    last = segment(before, keep)[-1] if THAI.search(before) else before
    if last in GLUED_TO_NEXT:
        return True
    if DIGIT_END.search(before) and THAI.match(after):
        return segment(after, keep)[0] in UNITS
    if after.startswith("(") and WHOLE_PIECE.match(after):
        return False  # a range in parentheses may start a line: "ค่าเฉลี่ย | (1–5)" in a narrow column
    return bool(THAI.search(before[-1]) and DIGIT_START.match(after))


# --------------------------------------------------------------------------- pandoc AST
def _typst_box(group: str) -> dict:
    literal = group.replace("\\", "\\\\").replace('"', '\\"')
    return {"t": "RawInline", "c": ["typst", f'#box("{literal}");']}


def _html_span(groups: list[str]) -> dict:
    spans = "<wbr>".join(f'<span class="{HTML_CLASS}">{html.escape(g, quote=False)}</span>' for g in groups)
    return {"t": "RawInline", "c": ["html", spans]}


CONTAINERS = {"Emph": 0, "Underline": 0, "Strong": 0, "Strikeout": 0, "SmallCaps": 0, "Span": 1, "Link": 1}


def _edge_text(el: dict, last: bool) -> str:
    """The text of a ``Str`` or of the first (``last=False``) or last word inside emphasis,
    a span or a link, so that "ใน **ตารางที่ 1**" keeps ใน with its table."""
    kind = el.get("t")
    if kind == "Str":
        return el["c"]
    if kind in CONTAINERS:
        inner = el["c"][CONTAINERS[kind]] if CONTAINERS[kind] else el["c"]
        return _edge_text(inner[-1 if last else 0], last) if inner else ""
    return ""


def break_inlines(inlines: list, target: str, keep: tuple[str, ...]) -> list:
    """One list of pandoc inlines with Thai ``Str`` replaced for ``target`` (typst or html)."""
    out: list = []
    for i, el in enumerate(inlines):
        kind = el.get("t")
        if kind in ("Space", "SoftBreak") and 0 < i < len(inlines) - 1:
            if glue_space(_edge_text(inlines[i - 1], True), _edge_text(inlines[i + 1], False), keep):
                out.append({"t": "Str", "c": NBSP})
                continue
        if kind == "Str" and WHOLE_PIECE.match(el["c"]):
            out.append(_typst_box(el["c"]) if target == "typst" else _html_span([el["c"]]))
            continue
        if kind != "Str" or not THAI.search(el["c"]):
            out.append(el)
            continue
        groups = word_groups(el["c"], keep)
        if target == "typst":
            out.extend(_typst_box(g) for g in groups)
        else:
            out.append(_html_span(groups))
    return out


def _walk(node, target: str, keep: tuple[str, ...]):
    if isinstance(node, list):
        if node and all(isinstance(e, dict) and e.get("t") in INLINE_TAGS for e in node):
            node = break_inlines(node, target, keep)
        return [_walk(e, target, keep) for e in node]
    if isinstance(node, dict):
        if node.get("t") in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
            return node
        return {k: _walk(v, target, keep) for k, v in node.items()}
    return node


def break_document(ast: dict, target: str, keep: Iterable[str] = ()) -> dict:
    """A copy of pandoc's JSON AST whose text breaks only between Thai words in ``target``
    (``typst`` or ``html``). For Typst the metadata's text (title page) is treated too; HTML
    prints metadata in ``<title>``, where markup is not allowed, so its metadata is left alone."""
    if target not in ("typst", "html"):
        raise ValueError(f"unknown target {target!r}")
    keep = tuple(sorted(set(keep)))
    meta = _walk(ast.get("meta", {}), target, keep) if target == "typst" else ast.get("meta", {})
    return {**ast, "meta": meta, "blocks": _walk(ast["blocks"], target, keep)}


def break_json(text: str, target: str, keep: Iterable[str] = ()) -> str:
    """:func:`break_document` on pandoc's JSON text."""
    return json.dumps(break_document(json.loads(text), target, keep), ensure_ascii=False)


def visible_text(text: str) -> str:
    """``text`` without whitespace and zero-width characters, as the text-layer tests compare it."""
    return re.sub(rf"[\s{ZW_CHARS}]+", "", text)
