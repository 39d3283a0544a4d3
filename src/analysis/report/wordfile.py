"""The DOCX edition as a Thai office opens it in Word: page, font, captions and tables.

pandoc writes the DOCX from the reference document (:func:`style_reference`: styles) and
:func:`finish_docx` then sets what pandoc cannot:

- **Page**: A4, margins of the Thai government document style within 2.5–3 cm (top 2.5,
  bottom 2.5, left 3, right 2.5 cm: the wider left margin is the binding side), page numbers
  at the top centre as ``- 2 -`` from the second page on (the first page, with the title,
  carries none, as in a Thai official document).
- **Font**: every style asks for ``TH Sarabun New`` (the font of Thai government documents,
  installed on Thai office machines), 16 pt body text. Word cannot list several fallback
  fonts for a run; the font table gives ``TH Sarabun New`` the alternate name ``Sarabun``
  (which Word tries when the first name is missing, ECMA-376 §17.8.3.1, [MS-OI29500]
  2.1.262) and Sarabun (SIL Open Font License, embedding allowed, ``fsType`` 0) is embedded
  in the file (obfuscated as ECMA-376 §17.8.1 prescribes), so a machine without TH Sarabun
  New shows the text in Sarabun instead of boxes.
- **Captions** upright (not italic), kept on the page of their table or figure.
- **Tables**: column widths from the content (the longest number of a column fits whole;
  the rest goes where it makes the table shortest), numbers never wrap (``w:noWrap``),
  table text at 14 or 12 pt; a table whose whole words do not fit the portrait page goes
  with its caption and notes on a landscape page of its own section; a long table breaks
  between pages as the PDF's do, a short one is kept whole with its caption; every cell is
  written in the lines its width was measured for (``w:br``), so no Thai word breaks
  between letters, whatever dictionary the reader's Word or LibreOffice has.
- **Cover and footer**: the title block on a page of its own; on synthetic data the notice
  at the foot of every page.
- **Minus signs**: a number's hyphen-minus becomes U+2212, as Typst sets it in the PDF.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from bisect import bisect_right
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from analysis.report.fonts import sarabun_file
from analysis.report.thai_text import NOMINALISERS, ORDINAL, domain_words
from analysis.report.thai_text import segment as thai_segment
from analysis.thai_words import dictionary, syllables

WORD_FONT = "TH Sarabun New"  # the font a Thai office has; Word asks for this one
EMBEDDED_FONT = "Sarabun"  # embedded, the alternate name Word falls back to
BODY_PT = 16
TABLE_PT = 14
CM = 567  # twips per centimetre (1440 per inch)
PAGE_A4 = (11906, 16838)  # twips
MARGINS_CM = {"top": 2.5, "bottom": 2.5, "left": 3.0, "right": 2.5}
HEADER_CM = 1.25
NOTICE_PT = 12  # the synthetic-data notice at the foot of every page
NOTICE_COLOUR = "B03030"  # the PDF's (reports/templates/phanat.typ)
CELL_MARGIN = 108  # Word's default left and right cell margin (0.19 cm)
NARROW_CELL_MARGIN = 57  # 0.1 cm, for a table that does not fit otherwise
SLACK = 60  # twips a column gets beyond its measured text
WIDTH_ALLOWANCE = 1.08  # the TH Sarabun fonts' Latin letters are up to 8 % wider than Sarabun's
STATISTIC = re.compile(r"[=<>≤≥]")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
TABLE_STYLE = "Table Text"
SMALL_TABLE_PT = 12  # a table too wide for the page at 14 pt
SMALL_TABLE_STYLE = "Table Text Small"
THAI_WORD_EM = 5  # a longer dictionary word (a compound) may break between its parts
RELAXED_WORD_EM = 5  # so may a header word longer than this in a table too wide otherwise
WHOLE_SYLLABLES = 3  # a word of this many syllables or fewer is not broken ("เปลี่ยนแปลง")
MAX_LINES = 3  # a cell wrapping into more lines at 14 pt makes the table 12 pt
STEP = 10  # twips: the resolution of the widths the layout tries
HEADER_WEIGHT = 0.5  # a header's line counts half a body row's: read once, not in every row
RESORT_COST = 0.1  # narrow cell margins: a table counted this much taller
STACKED = re.compile(r"^[^\s(]+ \([^\s()]+\)$")  # "4.69 (0.50)": with ``whole=False`` on two lines
NUMERIC = re.compile(r"^[\s\d.,:;%+\-–−=<>≤≥±×()\[\]*/]*\d[\s\d.,:;%+\-–−=<>≤≥±×()\[\]*/a-zA-Zx̄]*$")
THAI = re.compile("[\u0e00-\u0e7f]")
BREAK_AFTER = re.compile(
    r"[^\S\u00a0\u2007\u202f]+|(?<=[-–—])(?!\d)"
)  # not at a no-break space, nor before a digit ("แลมบ์ดา-6")
SIZES = {
    "Normal": BODY_PT,
    "Body Text": BODY_PT,
    "First Paragraph": BODY_PT,
    "Compact": BODY_PT,
    "Block Text": BODY_PT,
    "Title": 24,
    "Subtitle": 20,
    "Heading 1": 20,
    "Heading 2": 18,
    "Heading 3": 16,
    "Heading 4": 16,
    "Caption": BODY_PT,
    "Table Caption": BODY_PT,
    "Image Caption": BODY_PT,
    "Date": BODY_PT,
    "Author": BODY_PT,  # the agency under the title (pandoc's 12 pt read as a footnote)
}
CAPTIONS = ("Caption", "Table Caption", "Image Caption")
BIBLIOGRAPHY_STYLE = "Bibliography"  # the reference list's paragraphs (pandoc's custom-style)
HANGING_INDENT_CM = 1.27  # APA 7 (2020), 9.43: a 0.5-inch hanging indent
KEEP_WITH_NEXT = ("Table Caption", "Captioned Figure", "Heading 1", "Heading 2", "Heading 3")
EMBED = {
    "embedRegular": "Regular",
    "embedBold": "Bold",
    "embedItalic": "Italic",
    "embedBoldItalic": "BoldItalic",
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
CT_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
SETTINGS_ORDER = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
)  # fmt: skip  (ECMA-376 CT_Settings, the part up to defaultTabStop)
RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)  # fmt: skip  (ECMA-376 CT_RPr)
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription",
)  # fmt: skip
TRPR_ORDER = (
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
    "tblHeader", "tblCellSpacing", "jc", "hidden",
)  # fmt: skip
BREAK_ROWS = 6  # a table of fewer rows stays on one page with its caption (reports/templates/tables.typ)
BREAK_SHARE = 0.4  # so does a longer one that takes at most this share of the page's text height
# LibreOffice sets 12 pt table lines 20.55 pt apart and 16 pt body lines 27.5 pt apart in
# Laksaman, TH SarabunPSK's metric twin (TH Sarabun New has the same line height)
LINE_EM = 1.71
TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
)  # fmt: skip


@dataclass(frozen=True)
class Area:
    """The text area of a page between its margins (twips)."""

    width: int
    height: int
    landscape: bool = False


def _twips(cm: float) -> int:
    return round(cm * CM)


PORTRAIT = Area(
    PAGE_A4[0] - _twips(MARGINS_CM["left"] + MARGINS_CM["right"]),
    PAGE_A4[1] - _twips(MARGINS_CM["top"] + MARGINS_CM["bottom"]),
)
# a landscape page is the portrait sheet turned a quarter: the binding margin (left) at the
# top, where a bound report's reader finds the top of a turned table
LANDSCAPE_MARGINS_CM = {
    "top": MARGINS_CM["left"],
    "right": MARGINS_CM["top"],
    "bottom": MARGINS_CM["right"],
    "left": MARGINS_CM["bottom"],
}
LANDSCAPE = Area(
    PAGE_A4[1] - _twips(LANDSCAPE_MARGINS_CM["left"] + LANDSCAPE_MARGINS_CM["right"]),
    PAGE_A4[0] - _twips(LANDSCAPE_MARGINS_CM["top"] + LANDSCAPE_MARGINS_CM["bottom"]),
    landscape=True,
)
GROUP_STYLES = ("TableCaption", "Heading1", "Heading2", "Heading3")  # kept with the table below
NOTE = re.compile(r"^(?:\S+:|\*)\s")  # "หมายเหตุ: …", "Note: …", "* For paired tests …"
OPENING, CLOSING = "([", ")]*,;:.%"  # a mark kept with the word it opens or follows ("ผลต่าง*")
MINUS = "\u2212"
NBSP = "\u00a0"
RELATION_SIGNS = frozenset("=<>≤≥")  # a statistic's sign, held to its neighbours by no-break spaces


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _child(parent, tag: str, order: tuple[str, ...] = ()):
    """The child ``w:tag`` of ``parent``, created when missing: before the first sibling
    that ``order`` (the schema's sequence of local names) puts after it, else at the end,
    so Word finds the elements in the order it requires."""
    from lxml import etree

    found = parent.find(_w(tag))
    if found is not None:
        return found
    element = etree.Element(_w(tag))
    later = set(order[order.index(tag) + 1 :]) if tag in order else set()
    for index, sibling in enumerate(parent):
        if etree.QName(sibling).localname in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _rpr_child(rpr, tag: str):
    return _child(rpr, tag, RPR_ORDER)


def set_fonts(rpr, name: str = WORD_FONT) -> None:
    """Ask for ``name`` in every script slot of a run-properties element (Thai text is a
    complex script in Word: ``w:cs``), dropping theme fonts that would override it."""
    fonts = _rpr_child(rpr, "rFonts")
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_w(attr), name)
    for attr in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(_w(attr), None)


def _set_flag(rpr, tag: str, on: bool) -> None:
    """``w:b``/``w:bCs``, ``w:i``/``w:iCs``: set for Latin and complex script alike."""
    for name in (tag, f"{tag}Cs"):
        _rpr_child(rpr, name).set(_w("val"), "1" if on else "0")


def _set_size(rpr, points: float) -> None:
    for name in ("sz", "szCs"):
        _rpr_child(rpr, name).set(_w("val"), str(round(points * 2)))


def style_reference(doc) -> None:
    """Set the styles of pandoc's reference document (a python-docx ``Document``): the Word
    font everywhere, Thai sizes, bold headings, upright captions kept with what they caption,
    the 14 pt style of table text and the reference list's hanging indent."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    defaults = doc.styles.element.find(_w("docDefaults"))
    if defaults is not None:
        rpr_default = _child(_child(defaults, "rPrDefault", ("rPrDefault", "pPrDefault")), "rPr")
        set_fonts(rpr_default)
        _set_size(rpr_default, BODY_PT)
    sizes = {TABLE_STYLE: TABLE_PT, SMALL_TABLE_STYLE: SMALL_TABLE_PT}
    for name in sizes:
        if name not in [s.name for s in doc.styles]:
            table = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            table.base_style = doc.styles["Compact"]
            table.paragraph_format.space_before = Pt(0)
            table.paragraph_format.space_after = Pt(0)
    for style in doc.styles:
        if not hasattr(style, "font"):
            continue
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr)
        size = sizes.get(style.name, SIZES.get(style.name))
        if size:
            _set_size(rpr, size)
        if style.name.startswith("Heading") or style.name in ("Title", "Subtitle"):
            _set_flag(rpr, "b", True)
            _set_flag(rpr, "i", False)
            style.font.color.rgb = None
        if style.name in CAPTIONS:
            _set_flag(rpr, "i", False)
        if style.name in KEEP_WITH_NEXT and hasattr(style, "paragraph_format"):
            style.paragraph_format.keep_with_next = True
        if style.name == BIBLIOGRAPHY_STYLE:  # APA: every line but the first indented
            style.paragraph_format.left_indent = Cm(HANGING_INDENT_CM)
            style.paragraph_format.first_line_indent = Cm(-HANGING_INDENT_CM)


# --------------------------------------------------------------------------- finishing
def finish_docx(path: Path) -> Path:
    """Finish the DOCX pandoc wrote at ``path`` in place (see the module docstring); the
    same input gives the same bytes."""
    from docx import Document

    from analysis.results.store import fix_zip_timestamps

    doc = Document(str(path))
    set_languages(doc)
    set_page(doc)
    cover_award(doc)
    typeset(doc.element.body)  # first: the tables are measured with their no-break spaces
    for table in doc.tables:
        if not fit_table(table, PORTRAIT):
            fit_table(table, LANDSCAPE)
            turn_page(doc, table)
    number_sections(doc)
    embed_fonts(doc)
    doc.save(str(path))
    fix_zip_timestamps(path)
    return path


def set_languages(doc) -> None:
    """Latin text is English and complex-script text Thai (``w:lang`` ``val``/``bidi``):
    pandoc writes ``val="th"``, under which LibreOffice breaks Latin words and numbers
    anywhere ("Educati|on", "0.|353"), and leaves Word's Arabic default for ``bidi``."""
    defaults = doc.styles.element.find(_w("docDefaults"))
    if defaults is None:
        return
    rpr = _child(_child(defaults, "rPrDefault", ("rPrDefault", "pPrDefault")), "rPr")
    lang = _rpr_child(rpr, "lang")
    lang.set(_w("val"), "en-US")
    lang.set(_w("bidi"), "th-TH")


def text_width(doc) -> int:
    """The width between the margins, in twips."""
    section = doc.sections[-1]
    return int(section.page_width.twips - section.left_margin.twips - section.right_margin.twips)


def custom_property(doc, name: str) -> str:
    """A custom document property (``docProps/custom.xml``), where pandoc keeps the metadata
    fields Word has no place for; "" if absent."""
    from lxml import etree

    for part in doc.part.package.parts:
        if str(part.partname) == "/docProps/custom.xml":
            for prop in etree.fromstring(part.blob):
                if prop.get("name") == name:
                    return "".join(prop.itertext()).strip()
    return ""


def cover_award(doc) -> None:
    """The award's name above the title, as on the PDF's title page (pandoc writes the
    ``award-name`` metadata only as a custom property), in the style of the agency's line;
    the title block is a page of its own, as the PDF's is (the first heading starts a page)."""
    award = custom_property(doc, "award-name")
    title = next((p for p in doc.paragraphs if p.style.name == "Title"), None)
    if award and title is not None:
        title.insert_paragraph_before(award, style="Author")
    first = next((p for p in doc.paragraphs if p.style.name == "Heading 1"), None)
    if title is not None and first is not None:
        first.paragraph_format.page_break_before = True


def set_page(doc) -> None:
    """A4, the margins of :data:`MARGINS_CM` and the page number at the top of every page
    but the first: ``- n -`` centred in the Thai edition (the Thai government style), ``n``
    at the right in the English one (APA 7, 2.18), by the language pandoc recorded; on
    synthetic data the notice at the foot of every page, as in the PDF (a page taken out of
    the document still says so)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, RGBColor, Twips

    notice = custom_property(doc, "synthetic-notice") if custom_property(doc, "synthetic") == "True" else ""

    for section in doc.sections:
        section.page_width, section.page_height = Twips(PAGE_A4[0]), Twips(PAGE_A4[1])
        for side, cm in MARGINS_CM.items():
            setattr(section, f"{side}_margin", Cm(cm))
        section.header_distance = section.footer_distance = Cm(HEADER_CM)
        section.gutter = Cm(0)
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        thai = (doc.core_properties.language or "th").startswith("th")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if thai else WD_ALIGN_PARAGRAPH.RIGHT
        _page_field(paragraph, "- " if thai else "", " -" if thai else "")
        section.first_page_header.is_linked_to_previous = False
        for footer in (section.footer, section.first_page_footer) if notice else ():
            footer.is_linked_to_previous = False
            run = footer.paragraphs[0].add_run(notice)
            set_fonts(run._r.get_or_add_rPr())
            format_run(run, size=NOTICE_PT)
            run.font.color.rgb = RGBColor.from_string(NOTICE_COLOUR)


def _page_field(paragraph, before: str = "- ", after: str = " -") -> None:
    """``- PAGE -`` (or the field between ``before`` and ``after``) as a field Word and
    LibreOffice update on every page."""
    from lxml import etree

    def run(text: str | None = None, field: str | None = None, instr: str | None = None) -> None:
        r = paragraph.add_run(text)
        set_fonts(r._r.get_or_add_rPr())
        _set_size(r._r.get_or_add_rPr(), BODY_PT)
        if field:
            etree.SubElement(r._r, _w("fldChar")).set(_w("fldCharType"), field)
        if instr:
            t = etree.SubElement(r._r, _w("instrText"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = instr

    if before:
        run(before)
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    if after:
        run(after)


# --------------------------------------------------------------------------- tables
@cache
def _metrics(style: str) -> tuple[dict[int, int], int]:
    """Advance widths (by code point) and units per em of a Sarabun style."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(sarabun_file(style)))
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    return {cp: hmtx[name][0] for cp, name in cmap.items()}, font["head"].unitsPerEm


@cache
def measure(text: str, points: float = TABLE_PT, bold: bool = False) -> int:
    """Width of ``text`` in twips at ``points``: Sarabun's advance widths (no kerning; Thai
    marks have none) with :data:`WIDTH_ALLOWANCE` added, as the TH Sarabun family sets
    Latin letters up to 8 % wider at the same size (measured on Laksaman, the free metric
    twin of TH SarabunPSK that LibreOffice substitutes on Linux), Thai and digits alike."""
    advances, upem = _metrics("Bold" if bold else "Regular")
    units = sum(advances.get(ord(ch), upem // 2) for ch in text)
    return round(units / upem * points * 20 * WIDTH_ALLOWANCE)


@cache
def is_numeric(text: str) -> bool:
    """A cell holding a number, an interval, a p value or such: kept on one line."""
    text = text.strip()
    return bool(text) and not THAI.search(text) and bool(NUMERIC.match(text)) and len(text) <= 24


def _unwrapped(text: str, whole: bool) -> bool:
    """A number cell kept on one line (``w:noWrap``): every cell of numbers ("[−0.01, 0.12]"),
    but with ``whole=False`` a mean with its S.D. (:data:`STACKED`, set on two lines)."""
    return is_numeric(text) and (whole or not STACKED.match(text.strip()))


def _pieces(text: str, header: bool = False) -> list[str]:
    """The pieces a line should not break inside: a statistic with its value ("F = 1.06",
    "p = 0.353", up to a comma); otherwise words (a no-break space joins its neighbours:
    "(n = 340)" is one piece), split after a hyphen or dash (where Word and LibreOffice
    may break, e.g. "Kruskal–|Wallis", "rank-|biserial"; not after a slash, where
    LibreOffice does not break "(before/after)")."""
    if not header and STATISTIC.search(text) and not THAI.search(text) and not LATIN_WORD.search(text):
        return [piece.strip() for piece in re.split(r"(?<=[,;])\s+", text) if piece.strip()]
    return [piece for piece in BREAK_AFTER.split(text) if piece]


@cache
def thai_words(text: str) -> tuple[str, ...]:
    """Thai text cut into words by PyThaiNLP's dictionary segmenter (``newmm``) over its word
    list and the report's domain words (``catalogue/thai_words.txt``: "วงรอบ", "ตัวชี้วัด"),
    as in the PDF: the places a Thai line of a table cell may break."""
    return tuple(word for word in thai_segment(text) if word.strip())


@cache
def unbroken_words(text: str) -> tuple[str, ...]:
    """:func:`thai_words` with a bracket joined to the word it opens or closes, a mark or a
    dash to the word it follows ("ผลต่าง*", "แลมบ์ดา-6" with the number after the dash) and
    words on either side of a slash joined ("(ก่อน/หลัง)" is one): a line breaks at none of
    them (:func:`typeset`; LibreOffice does not break at a slash)."""
    merged: list[str] = []
    for word in thai_words(text):
        if merged and (
            word[0] in CLOSING + "/-–"
            or merged[-1][-1] in OPENING + "/"
            or (merged[-1][-1] in "-–" and word[0].isdigit())
        ):
            merged[-1] += word
        else:
            merged.append(word)
    return tuple(merged)


@cache
def split_word(word: str) -> tuple[str, ...]:
    """A Thai word of more than :data:`WHOLE_SYLLABLES` syllables in the fewest other
    dictionary words (:func:`_fewest_words`), a bracket or mark kept with its neighbour:
    "การอำนวยความสะดวก" → "การ", "อำนวยความสะดวก"; "ลูกจ้างประจำ" → "ลูกจ้าง", "ประจำ".
    ``(word,)`` when no such cut exists ("เปอร์เซ็นไทล์") or the word is shorter: a Thai
    reader sees "เปลี่ยน|แปลง", "ข้า|ราชการ" or "อิทธิ|พล" as a word broken, though its parts
    are words too, but not "ความ|ช่วยเหลือ" (after a nominaliser,
    ``thai_text.NOMINALISERS``). The places a word too wide for its column breaks."""
    core = word.strip(OPENING + CLOSING)
    if not core:
        return (word,)
    start = word.index(core)
    head, tail = word[:start], word[start + len(core) :]
    if len(syllables(core)) > WHOLE_SYLLABLES:
        pieces = _fewest_words(core)
    else:
        words = dictionary(domain_words())
        prefix = next((p for p in sorted(NOMINALISERS) if core.startswith(p) and core[len(p) :] in words), "")
        pieces = (prefix, core[len(prefix) :]) if prefix else (core,)
    if len(pieces) < 2:
        return (word,)
    return (head + pieces[0], *pieces[1:-1], pieces[-1] + tail)


def _fewest_words(text: str) -> tuple[str, ...]:
    """``text`` as the fewest dictionary words of two letters or more (the dictionary of
    :func:`thai_words`) other than ``text`` itself; ``(text,)`` when there is no such cut."""
    words = dictionary(domain_words())
    best: list[tuple[str, ...] | None] = [()] + [None] * len(text)
    for i in range(len(text)):
        if best[i] is None:
            continue
        for piece in words.prefixes(text, i):
            j = i + len(piece)
            if piece != text and len(piece) > 1 and (best[j] is None or len(best[i]) + 1 < len(best[j])):
                best[j] = (*best[i], piece)
    return best[-1] or (text,)


def cut_to(word: str, limit: float, points: float, bold: bool) -> tuple[str, ...]:
    """``word`` cut by :func:`split_word`, and its parts again, until each is at most
    ``limit`` twips wide or cannot be cut."""
    parts = split_word(word) if measure(word, points, bold) > limit else (word,)
    if len(parts) == 1:
        return parts
    return tuple(piece for part in parts for piece in cut_to(part, limit, points, bold))


def _minimum(cells: list[tuple[str, bool]], relax: int, points: float, pad: int, whole: bool = True) -> int:
    """Widest unbreakable piece of a column (twips, with the cell padding): a whole number
    cell (with ``whole=False`` a mean and its S.D. each, "4.65" and "(0.50)"), a statistic
    with its value, a Latin word, the longest word of a Thai run, one over
    :data:`THAI_WORD_EM` em (with ``relax`` in the header :data:`RELAXED_WORD_EM`) by the
    longest part :func:`cut_to` gives it ("การอำนวยความสะดวก" may break before "ความสะดวก"): a column
    narrower than a word makes LibreOffice break it between letters, "อิทธิพ|ล")."""
    low = 0
    for row, (text, bold) in enumerate(cells):
        header = row == 0 and len(cells) > 1
        if _unwrapped(text, whole):
            low = max(low, *(measure(line, points, bold) for line in text.split("\n")))
            continue
        for piece in _pieces(text, header=header):
            if THAI.search(piece):
                cap = (RELAXED_WORD_EM if header and relax else THAI_WORD_EM) * points * 20
                for word in unbroken_words(piece):
                    low = max(low, *(measure(part, points, bold) for part in cut_to(word, cap, points, bold)))
            else:
                low = max(low, measure(piece, points, bold))
    return low + pad


def column_widths(
    columns: list[list[tuple[str, bool]]],
    available: int,
    points: float = TABLE_PT,
    relax: int = 0,
    margin: int = CELL_MARGIN,
    whole: bool = True,
) -> list[int]:
    """Widths (twips) of a table's columns from their cells (text, bold; the header row
    first): every column gets at least its widest unbreakable piece (:func:`_minimum`; with
    ``relax`` a header word over :data:`RELAXED_WORD_EM` em may break between its parts).
    When every cell fits on one line the columns share ``available`` in proportion to what
    they want; otherwise the room goes where it makes the table shortest (:func:`shortest`),
    so a text column is not left to wrap a dimension's name into four lines while number
    columns have room. The sum exceeds ``available`` only when the minimums do."""
    pad = 2 * margin + SLACK
    minimum = [_minimum(cells, relax, points, pad, whole) for cells in columns]
    header = [_minimum(cells, 0, points, pad) for cells in columns] if relax else minimum
    preferred = []
    for cells, low, head in zip(columns, minimum, header, strict=True):
        body = cells[1:] if len(cells) > 1 else cells
        high = max(measure(line, points, bold) for text, bold in body for line in text.split("\n"))
        preferred.append(max(high + pad, low, head))
    if sum(preferred) <= available:
        extra = available - sum(preferred)
        widths = [p + extra * p / sum(preferred) for p in preferred]
    elif sum(minimum) < available:
        grid = Grid(columns, points, margin, whole)
        widths = [float(w) for w in shortest(grid, minimum, available)]
    else:
        widths = [float(m) for m in minimum]  # wider than the page: numbers still whole
    return [round(w) for w in widths]


@cache
def _units(text: str, bold: bool, points: float, header: bool) -> tuple[tuple[int, int, int, str], ...]:
    """What a line of one cell paragraph may break between, as (width, width of the space
    after it, both in twips, where it starts in ``text``, its text): the pieces of :func:`_pieces` (a
    statistic with its value, a Latin word, a part after a dash) and the dictionary words of
    a Thai piece (:func:`unbroken_words`)."""
    units: list[tuple[int, int, int, str]] = []
    space = measure(" ", points, bold)
    cursor = 0
    for piece in _pieces(text, header=header):
        for word in unbroken_words(piece) if THAI.search(piece) else (piece,):
            found = text.find(word, cursor)
            start = found if found >= 0 else cursor
            cursor = start + len(word)
            units.append((measure(word, points, bold), 0, start, word))
        if units and not piece.endswith(("-", "–", "—")):
            units[-1] = (units[-1][0], space, *units[-1][2:])
    return tuple(units)


@cache
def _has_numbers(text: str, bold: bool, points: float, header: bool) -> bool:
    """Whether a number follows a Thai word in the paragraph (:func:`_numbers_with_their_words`)."""
    units = _units(text, bold, points, header)
    return any(b[3][:1].isdigit() and THAI.match(a[3][-1]) for a, b in zip(units, units[1:], strict=False))


def _numbers_with_their_words(
    units: tuple[tuple[int, int, int, str], ...], text: str, room: int
) -> list[tuple[int, int, int, str]]:
    """Units with a number joined to the Thai word before it ("ร้อยละ 95"), as the PDF keeps
    them (:func:`analysis.report.thai_text.glue_space`), and an ordinal with its noun too
    ("วงรอบที่ 1", not "วงรอบ|ที่ 1"), where the joined unit fits the ``room`` (else "วงรอบ|ที่ 2"
    in a narrow column, not "วงรอบที่|2")."""
    joined: list[tuple[int, int, int, str]] = []
    for width, space, start, word in units:
        if joined and word[:1].isdigit() and THAI.match(joined[-1][3][-1]):
            ordinal = joined[-1][3] == ORDINAL and len(joined) > 1 and not joined[-2][1]
            for take in (2, 1) if ordinal and THAI.match(joined[-2][3][-1]) else (1,):
                total = sum(w + gap for w, gap, *_ in joined[-take:]) + width
                if total <= room:
                    first = joined[-take][2]
                    del joined[-take:]
                    joined.append((total, space, first, text[first : start + len(word)]))
                    break
            else:
                joined.append((width, space, start, word))
        else:
            joined.append((width, space, start, word))
    return joined


@cache
def line_starts(
    text: str, bold: bool, points: float, room: int, header: bool = False
) -> tuple[tuple[int, ...], int]:
    """One cell paragraph set line by line in ``room`` twips (its units, :func:`_units`, as
    many on a line as fit; a Thai word wider than the room cut by :func:`cut_to`,
    "การอำนวย|ความสะดวก"): where its second and later lines start in ``text``, and how many
    more lines the units still wider than the room take (broken across lines, as LibreOffice
    and Word do)."""
    room = max(room, 1)
    if _line_width(text, bold, points, header) <= room:
        return (), 0  # the whole paragraph on one line (most widths the layout tries)
    starts: list[int] = []
    extra, used = 0, 0
    for width, space, start, _word in _fitted_units(text, bold, points, room, header):
        if used and used + width > room:
            starts.append(start)
            used = 0
        if width > room:
            extra += (width - 1) // room
            width = width % room or room
        used += width + space
    return tuple(starts), extra


@cache
def _line_width(text: str, bold: bool, points: float, header: bool) -> int:
    """Width (twips) of a cell paragraph set on one line: its units and the spaces between."""
    units = _units(text, bold, points, header)
    return sum(width + space for width, space, *_ in units) - (units[-1][1] if units else 0)


def _fitted_units(
    text: str, bold: bool, points: float, room: int, header: bool
) -> tuple[tuple[int, int, int, str], ...]:
    """The units of :func:`_units`, numbers joined to their words where they fit
    (:func:`_numbers_with_their_words`), a Thai one wider than ``room`` cut by
    :func:`cut_to`."""
    units = _units(text, bold, points, header)
    if _has_numbers(text, bold, points, header):
        units = tuple(_numbers_with_their_words(units, text, room))
    if all(width <= room for width, *_ in units):
        return units
    fitted = []
    for width, space, start, word in units:
        parts = cut_to(word, room, points, bold) if width > room and THAI.search(word) else (word,)
        offset = start
        for k, part in enumerate(parts):
            offset = max(text.find(part, offset), offset)
            after = space if k == len(parts) - 1 else 0
            fitted.append((width if len(parts) == 1 else measure(part, points, bold), after, offset, part))
            offset += len(part)
    return tuple(fitted)


@cache
def cell_lines(
    text: str, bold: bool, points: float, room: int, header: bool = False, whole: bool = True
) -> int:
    """Lines a cell takes in a column with ``room`` twips for its text: each paragraph set by
    :func:`line_starts`; a number cell is one line (``w:noWrap``)."""
    if _unwrapped(text, whole):
        return len(text.split("\n"))
    if not whole and STACKED.match(text):
        return 2
    total = 0
    for paragraph in text.split("\n"):
        starts, extra = line_starts(paragraph, bold, points, room, header)
        total += 1 + len(starts) + extra
    return total


def break_lines(paragraph, starts: tuple[int, ...]) -> None:
    """End a line of ``paragraph`` (a ``w:p``) before each offset of ``starts`` in its text
    with a line break (``w:br``), the space before it removed: the lines the widths were
    chosen for (:func:`line_starts`), whatever the reader's dictionary would do ("วง|รอบ",
    "การแปล|ผล" in LibreOffice's)."""
    from lxml import etree

    texts = list(paragraph.iter(_w("t")))
    bounds, position = [], 0
    for t in texts:
        bounds.append(position)
        position += len(t.text or "")
    for start in sorted(starts, reverse=True):
        k = bisect_right(bounds, start) - 1  # the text the line's first character is in
        t, cut = texts[k], start - bounds[k]
        br = etree.Element(_w("br"))
        if cut == 0:  # the line starts with this text: the space ends the one before
            t.addprevious(br)
            for earlier in reversed(texts[:k]):
                earlier.text = (earlier.text or "").rstrip(" ")
                if earlier.text:
                    break
            continue
        before, after = (t.text or "")[:cut], (t.text or "")[cut:]
        t.text = before.rstrip(" ")
        rest = etree.Element(_w("t"))
        rest.text = after
        rest.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.addnext(br)
        br.addnext(rest)


class Grid:
    """A table's cells (columns of (text, bold), the header row first) at one type size, cell
    margin and number rule: how many lines each cell, row and the table take at given
    column widths (twips)."""

    def __init__(self, columns: list[list[tuple[str, bool]]], points: float, margin: int, whole: bool):
        self.columns, self.points, self.whole = columns, points, whole
        self.pad = 2 * margin + SLACK
        self._lines: dict[tuple[int, int], list[int]] = {}  # the search asks for a width again and again
        self._wider: dict[tuple[int, int, int], float | None] = {}

    def lines(self, j: int, width: float) -> list[int]:
        """Lines of every cell of column ``j`` at ``width``."""
        room = int(width) - self.pad
        if (j, room) not in self._lines:
            header = len(self.columns[j]) > 1  # the first cell is the header's
            self._lines[j, room] = [
                cell_lines(text, bold, self.points, room, i == 0 and header, self.whole)
                for i, (text, bold) in enumerate(self.columns[j])
            ]
        return self._lines[j, room]

    def rows(self, widths: list[float]) -> list[int]:
        """Lines of every row (its tallest cell) at ``widths``."""
        return [max(row) for row in zip(*(self.lines(j, w) for j, w in enumerate(widths)), strict=True)]

    def wider(self, j: int, width: float, limit: float) -> float | None:
        """The least width above ``width`` (at most ``limit``) at which a cell of column ``j``
        takes fewer lines, or None."""
        cells = self.columns[j]
        whole_line = max(measure(part, self.points, b) for text, b in cells for part in text.split("\n"))
        limit = min(limit, whole_line + self.pad + STEP)  # wider than every cell's one line: nothing changes
        key = (j, int(width), int(limit))
        if key not in self._wider:  # the greedy and the trades ask again and again
            self._wider[key] = self._search(j, width, limit)
        return self._wider[key]

    def _search(self, j: int, width: float, limit: float) -> float | None:
        now = self.lines(j, width)
        if max(now) == 1 or limit <= width or self.lines(j, limit) == now:
            return None
        low, high = int(width), int(limit)  # lines(low) == now, lines(high) != now
        while high - low > STEP:
            middle = (low + high) // 2
            low, high = (middle, high) if self.lines(j, middle) == now else (low, middle)
        return float(high)


def shortest(grid: Grid, minimum: list[int], available: int) -> list[float]:
    """Share ``available`` twips among the columns so the table takes few lines: start at
    the minimums and, step by step, widen the column whose next width that saves a line
    saves most per twip (the table's rows, header included, then its cells' lines at a
    quarter of the weight, so two cells of one row are widened in turn); what is left when
    no step saves a line or fits goes to all columns in proportion to their widths."""
    widths = [float(m) for m in minimum]
    spare = available - sum(widths)
    lines = [grid.lines(j, w) for j, w in enumerate(widths)]
    nexts = [grid.wider(j, w, available) for j, w in enumerate(widths)]  # each column's next step
    while True:
        rows = [max(row) for row in zip(*lines, strict=True)]
        best = None
        for j, target in enumerate(nexts):
            if target is None or target - widths[j] > spare:
                continue
            after = grid.lines(j, target)
            rest = [column for k, column in enumerate(lines) if k != j]
            others = [max((column[i] for column in rest), default=1) for i in range(len(after))]
            new_rows = [max(a, b) for a, b in zip(after, others, strict=True)]
            saved = _weighted(rows) - _weighted(new_rows) + (sum(lines[j]) - sum(after)) / 4
            rate = saved / (target - widths[j])
            if best is None or rate > best[0]:
                best = (rate, j, target, after)
        if best is None:
            break
        _rate, j, target, after = best
        spare -= target - widths[j]
        widths[j], lines[j] = target, after
        nexts[j] = grid.wider(j, target, available)
    total = sum(widths)
    return traded([w + spare * w / total for w in widths], grid, minimum)


def traded(widths: list[float], grid: Grid, minimum: list[int], steps: int = 6) -> list[float]:
    """``widths`` after the trades that make the table shorter (its rows, the header's
    weighted by :data:`HEADER_WEIGHT`, then its cells' lines): one column widened to one of
    its next ``steps`` widths that save a line, the room taken from one other column or
    from all in proportion to what they have above their minimum. The step by step widening
    of :func:`shortest` sees one step ahead: it gave a header its fourth line back while a
    dimension's name kept five in every row."""

    def cost(trial: list[float]) -> tuple[float, int]:
        lines = [grid.lines(j, w) for j, w in enumerate(trial)]
        return _weighted([max(row) for row in zip(*lines, strict=True)]), sum(map(sum, lines))

    best = cost(widths)
    while True:
        found: tuple[tuple[float, int], list[float]] | None = None
        slack = [w - m for w, m in zip(widths, minimum, strict=True)]
        for i, width in enumerate(widths):
            room = sum(slack) - slack[i]
            targets, target = [], width
            while len(targets) < steps and (target := grid.wider(i, target, width + room)) is not None:
                targets.append(target)
            for target in targets:
                need = target - width
                donors = [[need if k == j else 0.0 for k in range(len(widths))] for j in range(len(widths))]
                donors.append([0.0 if k == i else need * slack[k] / room for k in range(len(widths))])
                for taken in donors:
                    if taken[i] or any(t > s + 1e-6 for t, s in zip(taken, slack, strict=True)):
                        continue
                    trial = [
                        float(int(w - t) // STEP * STEP) if t else w
                        for w, t in zip(widths, taken, strict=True)
                    ]
                    trial[i] = width + sum(widths) - sum(trial)  # what the others gave, on the STEP grid
                    score = cost(trial)
                    if score < best and (found is None or score < found[0]):
                        found = (score, trial)
        if found is None:
            return widths
        best, widths = found


def _weighted(rows: list[int]) -> float:
    """Lines of a table's rows, its header row's at :data:`HEADER_WEIGHT`."""
    return HEADER_WEIGHT * rows[0] + sum(rows[1:]) if len(rows) > 1 else sum(rows)


def tallest_cell(
    columns: list[list[tuple[str, bool]]], widths: list[int], points: float, margin: int = CELL_MARGIN
) -> int:
    """Lines of the tallest body cell at these widths (:func:`cell_lines`)."""
    grid = Grid(columns, points, margin, True)
    return max(max(grid.lines(j, w)[1:], default=1) for j, w in enumerate(widths))


class Layout(NamedTuple):
    """How a DOCX table is set (:func:`table_layout`)."""

    style: str  # 14 or 12 pt
    widths: list[int]  # twips
    margin: int  # the cells' left and right margin, twips
    whole: bool  # number cells kept on one line

    def grid(self, columns: list[list[tuple[str, bool]]]) -> Grid:
        return Grid(columns, _points(self.style), self.margin, self.whole)


def table_layout(columns: list[list[tuple[str, bool]]], available: int, small: bool = False) -> Layout:
    """The table style (14 or 12 pt), the column widths and the cells' left and right
    margin: 14 pt when the header's words fit side by side and no cell needs more than
    :data:`MAX_LINES` lines; else 12 pt, with whole header words or long Thai header words
    that may break between their parts (:func:`_minimum`), narrower cell margins, or every
    mean over its S.D. (:data:`STACKED`, "4.65" over "(0.50)", as in the PDF), whichever
    makes the table shortest, narrow margins counted :data:`RESORT_COST` taller than they
    are (so they are used only where they save much). A Latin
    word, a statistic with its value ("(n = 340)", held by no-break spaces) and every
    number stay whole in every case: a table whose whole words do not fit ``available`` is
    wider than it (:func:`fit_table` then turns its page). With ``small`` (a landscape page,
    whose text is not as high) 12 pt in every case."""
    widths = column_widths(columns, available, TABLE_PT)
    if (
        not small
        and sum(widths) <= available + len(widths)
        and tallest_cell(columns, widths, TABLE_PT) <= MAX_LINES
    ):
        return Layout(TABLE_STYLE, widths, CELL_MARGIN, True)
    candidates = []
    options = (
        (0, CELL_MARGIN, True),
        (1, CELL_MARGIN, True),
        (1, CELL_MARGIN, False),
        (1, NARROW_CELL_MARGIN, True),
        (1, NARROW_CELL_MARGIN, False),
    )
    stacks = any(STACKED.match(text.strip()) for cells in columns for text, _ in cells[1:])
    for rank, (relax, margin, whole) in enumerate(options):
        if not whole and not stacks:
            continue  # no mean with its S.D. to stack: the same layout as with whole=True
        widths = column_widths(columns, available, SMALL_TABLE_PT, relax, margin, whole)
        overflow = max(sum(widths) - available - len(widths), 0)
        layout = Layout(SMALL_TABLE_STYLE, widths, margin, whole)
        height = sum(layout.grid(columns).rows(widths))
        narrow = margin != CELL_MARGIN
        candidates.append((overflow, height * (1 + RESORT_COST * narrow), rank, layout))
    return min(candidates)[-1]


def _points(style: str) -> float:
    return SMALL_TABLE_PT if style == SMALL_TABLE_STYLE else TABLE_PT


def fit_table(table, area: Area) -> bool:
    """Column widths from the content (:func:`table_layout`) for the text ``area``, automatic
    layout, numbers unwrapped, 14 or 12 pt text, rows never split; a short table (fewer than
    :data:`BREAK_ROWS` rows or at most :data:`BREAK_SHARE` of the page high, as the PDF's
    ``reports/templates/tables.typ``) kept on one page with its caption, a longer one only
    its header with the first two rows, and the last two rows, together. False (and the
    table untouched) when its whole words do not fit the area's width, unless the area is
    landscape: then the table reaches equally into both margins."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Twips
    from docx.text.paragraph import Paragraph

    rows = table.rows
    ncols = len(table.columns)
    columns: list[list[tuple[str, bool]]] = [[] for _ in range(ncols)]
    for index, row in enumerate(rows):
        for j, cell in enumerate(row.cells[:ncols]):
            bold = index == 0 or any(r.bold for p in cell.paragraphs for r in p.runs)
            columns[j].append((cell.text, bool(bold)))
    layout = table_layout(columns, area.width, small=area.landscape)
    style_name, widths, margin, whole = layout
    overflow = sum(widths) - area.width
    if overflow > len(widths) and not area.landscape:
        return False
    # what ``paragraph.style = style_name`` sets, looked up once (not once per cell paragraph)
    style_id = table.part.get_style_id(style_name, WD_STYLE_TYPE.PARAGRAPH)
    tbl_pr = table._tbl.tblPr
    layout_type = _child(tbl_pr, "tblLayout", TBLPR_ORDER)
    layout_type.set(_w("type"), "autofit")
    tbl_w = _child(tbl_pr, "tblW", TBLPR_ORDER)
    tbl_w.set(_w("type"), "dxa")
    tbl_w.set(_w("w"), str(sum(widths)))
    if overflow > len(widths):  # wider than a landscape page even with every word whole: centred
        indent = _child(tbl_pr, "tblInd", TBLPR_ORDER)
        indent.set(_w("w"), str(-(overflow // 2)))
        indent.set(_w("type"), "dxa")
    if margin != CELL_MARGIN:
        cell_margins = _child(tbl_pr, "tblCellMar", TBLPR_ORDER)
        for side in ("left", "right"):
            edge = _child(cell_margins, side, ("top", "left", "start", "bottom", "right", "end"))
            edge.set(_w("w"), str(margin))
            edge.set(_w("type"), "dxa")
    for col, width in zip(table._tbl.tblGrid.findall(_w("gridCol")), widths, strict=False):
        col.set(_w("w"), str(width))
    points = _points(style_name)
    height = sum(layout.grid(columns).rows(widths)) * LINE_EM * points * 20
    short = len(rows) < BREAK_ROWS or height <= BREAK_SHARE * area.height
    kept = set(range(len(rows))) if short else _kept_with_next(columns[0], len(rows))
    notes = _notes_after(table._tbl)
    for note in notes[:-1]:  # a table's notes do not start a page of their own
        Paragraph(note, None).paragraph_format.keep_with_next = True
    groups = _group_rows(columns) if ncols > 1 else set()
    for index, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        _child(tr_pr, "cantSplit", TRPR_ORDER)
        last = index == len(rows) - 1
        keep = (index in kept and not last) or (last and bool(notes))
        if last:
            for cell in row.cells[:ncols]:
                _rule_below(cell)
        for j, cell in enumerate(row.cells[:ncols]):
            cell.width = Twips(widths[j])
            if keep:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
            if _unwrapped(cell.text, whole):
                _child(cell._tc.get_or_add_tcPr(), "noWrap", TCPR_ORDER)
            elif not whole and STACKED.match(cell.text):  # "4.69" over "(0.50)" in every row
                for paragraph in cell.paragraphs:
                    break_lines(paragraph._p, (paragraph.text.index("("),))
            elif not (j == 0 and index in groups):  # a group row spans the table (below)
                header = index == 0 and len(rows) > 1
                for paragraph in cell.paragraphs:
                    room = widths[j] - 2 * margin - SLACK
                    starts, _ = line_starts(paragraph.text, columns[j][index][1], points, room, header)
                    if starts:
                        break_lines(paragraph._p, starts)
            for paragraph in cell.paragraphs:
                style = paragraph._p.pPr.find(_w("pStyle")) if paragraph._p.pPr is not None else None
                if style is None or style.get(_w("val")) == "Compact":
                    paragraph._p.style = style_id
    for index in groups:
        span = rows[index].cells[0].merge(rows[index].cells[ncols - 1])
        span.width = Twips(sum(widths))
    return True


def _group_rows(columns: list[list[tuple[str, bool]]]) -> set[int]:
    """Body rows that name a group of the rows below (a dimension above its items): text in
    the first cell only. Each is one cell across the table, as in the PDF's group rows, so a
    long name does not wrap in the first column."""
    return {
        i
        for i in range(1, len(columns[0]))
        if columns[0][i][0].strip() and not any(column[i][0].strip() for column in columns[1:])
    }


def _notes_after(tbl) -> list:
    """The note paragraphs right after a table (they begin "หมายเหตุ:", "Note:" or "*")."""
    notes = []
    block = _next_block(tbl)
    while block is not None and block.tag == _w("p") and NOTE.match(_text(block)):
        notes.append(block)
        block = _next_block(block)
    return notes


def _rule_below(cell) -> None:
    """A 0.5 pt line under a cell of a table's last row: the table's closing rule, as in the
    PDF (Word's "Table" style draws one under the header only)."""
    _single_line(_child(cell._tc.get_or_add_tcPr(), "tcBorders", TCPR_ORDER), "bottom")


def _kept_with_next(first_column: list[tuple[str, bool]], count: int) -> set[int]:
    """Rows of a long table that Word keeps on the page of the next row (as the PDF does,
    ``reports/templates/tables.typ``): the header and the first two body rows, the last two
    rows together, and a group row (its first cell bold: a dimension's name above its items)
    with the row under it."""
    groups = {i for i, (_text, bold) in enumerate(first_column) if bold and 0 < i < count - 1}
    return {0, 1, 2, count - 2} | groups


# --------------------------------------------------------------------------- sections
def turn_page(doc, table) -> None:
    """Put ``table`` with its caption (and a heading kept with it) and its notes (the
    paragraphs after it that begin "หมายเหตุ:", "Note:" or "*") on landscape pages of a
    section of their own: a section break (next page) before the caption and after the
    last note, the portrait section's properties turned (:data:`LANDSCAPE_MARGINS_CM`)."""
    body = doc.element.body
    portrait = body.find(_w("sectPr"))
    first = table._tbl
    while (before := _previous_block(first)) is not None and _style(before) in GROUP_STYLES:
        first = before
    last = (_notes_after(table._tbl) or [table._tbl])[-1]
    before = _previous_block(first)
    if before is None or before.tag != _w("p"):
        first.addprevious(before := _empty_paragraph())
    if before.find(f"{_w('pPr')}/{_w('sectPr')}") is None:
        _end_section(before, deepcopy(portrait))
    if last.tag != _w("p"):
        last.addnext(last := _empty_paragraph())
    _end_section(last, _landscape(deepcopy(portrait)))


def _previous_block(element):
    """The paragraph or table before ``element`` (bookmarks skipped), or None."""
    element = element.getprevious()
    while element is not None and element.tag not in (_w("p"), _w("tbl")):
        element = element.getprevious()
    return element


def _next_block(element):
    element = element.getnext()
    while element is not None and element.tag not in (_w("p"), _w("tbl"), _w("sectPr")):
        element = element.getnext()
    return None if element is None or element.tag == _w("sectPr") else element


def _style(element) -> str | None:
    style = element.find(f"{_w('pPr')}/{_w('pStyle')}")
    return None if style is None else style.get(_w("val"))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(_w("t")))


def _empty_paragraph():
    """A paragraph of no height to carry a section break."""
    from lxml import etree

    paragraph = etree.Element(_w("p"))
    ppr = etree.SubElement(paragraph, _w("pPr"))
    spacing = etree.SubElement(ppr, _w("spacing"))
    for name, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(_w(name), value)
    etree.SubElement(etree.SubElement(ppr, _w("rPr")), _w("sz")).set(_w("val"), "2")
    return paragraph


def _end_section(paragraph, sect_pr) -> None:
    """Make ``paragraph`` the last of a section with the properties ``sect_pr``."""
    from lxml import etree

    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        paragraph.insert(0, ppr)
    change = ppr.find(_w("pPrChange"))
    if change is not None:
        change.addprevious(sect_pr)
    else:
        ppr.append(sect_pr)


def _landscape(sect_pr):
    """Section properties turned to landscape: A4 on its side, :data:`LANDSCAPE_MARGINS_CM`."""
    size = sect_pr.find(_w("pgSz"))
    size.set(_w("w"), str(PAGE_A4[1]))
    size.set(_w("h"), str(PAGE_A4[0]))
    size.set(_w("orient"), "landscape")
    margins = sect_pr.find(_w("pgMar"))
    for side, cm in LANDSCAPE_MARGINS_CM.items():
        margins.set(_w(side), str(_twips(cm)))
    return sect_pr


def number_sections(doc) -> None:
    """Only the first section has a first page of its own (the title page, without a page
    number); every later section numbers all its pages, the count running on."""
    for index, sect_pr in enumerate(doc.element.body.iter(_w("sectPr"))):
        title_page = sect_pr.find(_w("titlePg"))
        if index and title_page is not None:
            sect_pr.remove(title_page)


# --------------------------------------------------------------------------- text
def typeset(body) -> None:
    """What the PDF's typesetting does, done to every paragraph of the DOCX: a hyphen-minus
    that signs a number becomes the minus sign U+2212 (Typst's markup shorthand: "-0.13" →
    "−0.13"; not in "lambda-6" or "2563-2565"), and a space beside ``=``, ``<``, ``>``, ``≤``
    or ``≥`` a no-break space, so a statistic stays on one line ("n = 350", "p < .001"), as
    :func:`analysis.report.thai_text.glue_space` keeps it in the PDF."""
    for paragraph in body.iter(_w("p")):
        texts = list(paragraph.iter(_w("t")))
        full = "".join(t.text or "" for t in texts)
        if "-" not in full and not RELATION_SIGNS.intersection(full):
            continue
        start = 0
        for t in texts:
            text = t.text or ""
            if "-" in text or " " in text:
                t.text = "".join(
                    _typeset(full[k - 1] if k else "", ch, full[k + 1 : k + 3])
                    for k, ch in enumerate(text, start=start)
                )
            start += len(text)


def _typeset(before: str, ch: str, after: str) -> str:
    """``ch`` as :func:`typeset` writes it, between the character ``before`` and the two
    ``after``."""
    if ch == "-" and re.match(r"\.?\d", after) and not (before and _is_word(before)):
        return MINUS
    if ch == " " and (before in RELATION_SIGNS or after[:1] in RELATION_SIGNS):
        return NBSP
    return ch


def _is_word(ch: str) -> bool:
    """A letter, a mark or a digit (a hyphen after it joins words or numbers)."""
    return unicodedata.category(ch)[0] in "LMN"


# --------------------------------------------------------------------------- fonts
def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 §17.8.1: XOR the first 32 bytes of the font with the GUID ``key``'s 16
    bytes in reverse order (the same operation undoes it)."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def font_key(data: bytes) -> str:
    """A GUID derived from the font's bytes, so the same font gives the same file."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, data.hex()[:4096])).upper() + "}"


def embed_fonts(doc, styles: Iterable[str] = EMBED) -> None:
    """Embed Sarabun (regular, bold, italic, bold italic) and give ``TH Sarabun New`` the
    alternate name Sarabun in the font table; settings ask Word to keep embedding on save."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    document = doc.part
    table_part = next(
        (rel.target_part for rel in document.rels.values() if rel.reltype.endswith("/fontTable")), None
    )
    if table_part is None:
        return
    root = etree.fromstring(table_part.blob)
    for font in root.findall(_w("font")):
        if font.get(_w("name")) in (WORD_FONT, EMBEDDED_FONT):
            root.remove(font)
    word = etree.SubElement(root, _w("font"))
    word.set(_w("name"), WORD_FONT)
    etree.SubElement(word, _w("altName")).set(_w("val"), EMBEDDED_FONT)
    _describe(word)
    embedded = etree.SubElement(root, _w("font"))
    embedded.set(_w("name"), EMBEDDED_FONT)
    _describe(embedded)
    for number, (tag, style) in enumerate(EMBED.items(), start=1):
        if tag not in styles:
            continue
        data = sarabun_file(style).read_bytes()
        key = font_key(data)
        part = Part(
            PackURI(f"/word/fonts/font{number}.odttf"), CT_FONT, obfuscate(data, key), document.package
        )
        rid = table_part.relate_to(part, RT_FONT)
        element = etree.SubElement(embedded, _w(tag))
        element.set(f"{{{R}}}id", rid)
        element.set(_w("fontKey"), key)
    table_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _child(doc.settings.element, "embedTrueTypeFonts", SETTINGS_ORDER)


def _describe(font) -> None:
    """Charset Thai (DE), proportional sans serif: what Word uses to pick a substitute."""
    from lxml import etree

    etree.SubElement(font, _w("charset")).set(_w("val"), "DE")
    etree.SubElement(font, _w("family")).set(_w("val"), "swiss")
    etree.SubElement(font, _w("pitch")).set(_w("val"), "variable")


# --------------------------------------------------------------------------- questionnaire
BORDER_SIZE = 4  # eighths of a point: 0.5 pt lines
MIN_POINT_COLUMN = 680  # twips (1.2 cm): a column to tick is never narrower


def set_borders(table) -> None:
    """Single 0.5 pt lines around the table and between all its cells (a printed grid)."""
    borders = _child(table._tbl.tblPr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _single_line(borders, side)


def _single_line(borders, side: str) -> None:
    """A single black 0.5 pt line on ``side`` of a ``w:tblBorders`` or ``w:tcBorders``."""
    edge = _child(borders, side, ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"))
    for name, value in (("val", "single"), ("sz", str(BORDER_SIZE)), ("space", "0"), ("color", "000000")):
        edge.set(_w(name), value)


def rating_table(
    doc,
    item: str,
    question: str,
    scale: str,
    points: tuple[tuple[str, tuple[str, ...]], ...],
    dimensions: tuple[tuple[str, tuple[str, ...]], ...],
    available: int,
):
    """A questionnaire's rating table, one for the whole instrument as a school prints it: a
    bordered grid under a two-row header (``item``, ``question``, ``scale`` over each point's
    value and label, given in the parts it may break between) that repeats at the top of every
    page, then for each dimension a row with its heading across the table, kept with its first
    question, and its questions numbered 1…n, one column to tick per scale point; rows never
    split, so the table breaks between questions and fills each page. The point columns are as
    wide as the widest label part (at least :data:`MIN_POINT_COLUMN`), and a label that does
    not fit goes on two lines between its parts; the item column is as wide as its header word
    or the largest number, the question column takes the rest of ``available`` (twips)."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Twips

    pad = 2 * CELL_MARGIN + SLACK
    longest = max((len(questions) for _heading, questions in dimensions), default=1)
    number = max(measure(item, bold=True), measure(str(longest))) + pad
    point = max(MIN_POINT_COLUMN, *(measure(part) + pad for _value, parts in points for part in parts))
    widths = [number, available - number - point * len(points)] + [point] * len(points)
    labels = ["\n".join(fitted_lines(parts, point - pad)) for _value, parts in points]
    header = [
        [item, question, scale, *([""] * (len(points) - 1))],
        ["", "", *(f"{v}\n{t}" for (v, _parts), t in zip(points, labels, strict=True))],
    ]
    body: list[tuple[str, list[str]]] = []  # (kind, cells): "header", "dimension" or "question"
    for heading, questions in dimensions:
        body.append(("dimension", [heading, *([""] * (len(widths) - 1))]))
        body += [
            ("question", [str(n), text, *([""] * len(points))]) for n, text in enumerate(questions, start=1)
        ]
    kinds = [("header", cells) for cells in header] + body
    table = doc.add_table(rows=len(kinds), cols=len(widths))
    set_borders(table)
    _child(table._tbl.tblPr, "tblLayout", TBLPR_ORDER).set(_w("type"), "fixed")
    tbl_w = _child(table._tbl.tblPr, "tblW", TBLPR_ORDER)
    tbl_w.set(_w("type"), "dxa")
    tbl_w.set(_w("w"), str(sum(widths)))
    for col, width in zip(table._tbl.tblGrid.findall(_w("gridCol")), widths, strict=True):
        col.set(_w("w"), str(width))
    for row, (kind, cells) in zip(table.rows, kinds, strict=True):
        tr_pr = row._tr.get_or_add_trPr()
        _child(tr_pr, "cantSplit", TRPR_ORDER)
        if kind == "header":
            _child(tr_pr, "tblHeader", TRPR_ORDER)
        for j, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            cell.width = Twips(widths[j])
            paragraph = cell.paragraphs[0]
            paragraph.style = TABLE_STYLE
            # the header and a dimension's heading stay with the question below them
            paragraph.paragraph_format.keep_with_next = kind != "question" or None
            lines = text.split("\n")
            for k, line in enumerate(lines):
                run = paragraph.add_run(line)
                strong = kind == "header" and (row is table.rows[0] or k == 0)  # a point's value, not label
                format_run(run, bold=kind == "dimension" or strong)
                if k < len(lines) - 1:
                    run.add_break()
            if kind == "header" or (kind == "question" and j != 1):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cell.vertical_alignment = (
                WD_CELL_VERTICAL_ALIGNMENT.CENTER if kind == "header" else WD_CELL_VERTICAL_ALIGNMENT.TOP
            )
    rows = table.rows
    spans = [(rows[0].cells[0], rows[1].cells[0]), (rows[0].cells[1], rows[1].cells[1]),
             (rows[0].cells[2], rows[0].cells[len(widths) - 1])]  # fmt: skip
    spans += [(row.cells[0], row.cells[-1]) for row, (kind, _cells) in zip(rows, kinds, strict=True)
              if kind == "dimension"]  # fmt: skip
    for first, last in spans:
        merged = first.merge(last)
        for paragraph in merged.paragraphs[1:]:  # the empty paragraphs of the cells merged in
            if not paragraph.text:
                paragraph._p.getparent().remove(paragraph._p)
    return table


def format_run(run, bold: bool = False, size: float | None = None) -> None:
    """Bold and size of a run for Latin and Thai (complex script) text alike."""
    rpr = run._r.get_or_add_rPr()
    if bold:
        _set_flag(rpr, "b", True)
    if size:
        _set_size(rpr, size)


def fitted_lines(parts: tuple[str, ...], room: int, points: float = TABLE_PT) -> list[str]:
    """``parts`` joined into as few lines as fit ``room`` twips (a part wider than the room
    gets a line of its own); Latin parts keep their spaces."""
    lines: list[str] = []
    for part in parts:
        joined = (lines[-1] + ("" if THAI.search(part) else " ") + part) if lines else part
        if lines and measure(joined, points) <= room:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def writing_line(paragraph, available: int) -> None:
    """A dotted line across ``available`` twips to write on: a tab to a right tab stop with a
    dot leader."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt, Twips

    paragraph.paragraph_format.tab_stops.add_tab_stop(
        Twips(available), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.add_run("\t")
