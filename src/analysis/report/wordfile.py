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
  text columns share the rest), numbers never wrap (``w:noWrap``), table text at 14 pt.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from analysis.report.fonts import sarabun_file
from analysis.thai_words import segment

WORD_FONT = "TH Sarabun New"  # the font a Thai office has; Word asks for this one
EMBEDDED_FONT = "Sarabun"  # embedded, the alternate name Word falls back to
BODY_PT = 16
TABLE_PT = 14
CM = 567  # twips per centimetre (1440 per inch)
PAGE_A4 = (11906, 16838)  # twips
MARGINS_CM = {"top": 2.5, "bottom": 2.5, "left": 3.0, "right": 2.5}
HEADER_CM = 1.25
CELL_MARGIN = 108  # Word's default left and right cell margin (0.19 cm)
NARROW_CELL_MARGIN = 57  # 0.1 cm, for a table that does not fit otherwise
SLACK = 60  # twips a column gets beyond its measured text
WIDTH_ALLOWANCE = 1.08  # the TH Sarabun fonts' Latin letters are up to 8 % wider than Sarabun's
STATISTIC = re.compile(r"[=<>≤≥]")
LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
TABLE_STYLE = "Table Text"
SMALL_TABLE_PT = 12  # a table too wide for the page at 14 pt
SMALL_TABLE_STYLE = "Table Text Small"
THAI_WORD_EM = 5  # a longer dictionary word (a compound) may still break inside
MAX_LINES = 3  # a cell wrapping into more lines at 14 pt makes the table 12 pt
NUMERIC = re.compile(r"^[\s\d.,:;%+\-–−=<>≤≥±×()\[\]*/]*\d[\s\d.,:;%+\-–−=<>≤≥±×()\[\]*/a-zA-Zx̄]*$")
THAI = re.compile("[\u0e00-\u0e7f]")
BREAK_AFTER = re.compile(r"[^\S\u00a0\u2007\u202f]+|(?<=[-–—])")  # not at a no-break space
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
}
CAPTIONS = ("Caption", "Table Caption", "Image Caption")
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
KEEP_TOGETHER_ROWS = 15  # a table of up to this many rows stays on one page (with its caption)
TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
)  # fmt: skip


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
    and the 14 pt style of table text."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

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


# --------------------------------------------------------------------------- finishing
def finish_docx(path: Path) -> Path:
    """Finish the DOCX pandoc wrote at ``path`` in place (see the module docstring); the
    same input gives the same bytes."""
    from docx import Document

    from analysis.results.store import fix_zip_timestamps

    doc = Document(str(path))
    set_languages(doc)
    set_page(doc)
    for table in doc.tables:
        fit_table(table, text_width(doc))
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


def set_page(doc) -> None:
    """A4, the margins of :data:`MARGINS_CM` and ``- n -`` at the top centre of every page
    but the first."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Twips

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
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(paragraph)
        section.first_page_header.is_linked_to_previous = False


def _page_field(paragraph) -> None:
    """``- PAGE -`` as a field Word and LibreOffice update on every page."""
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

    run("- ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" -")


# --------------------------------------------------------------------------- tables
@cache
def _metrics(style: str) -> tuple[dict[int, int], int]:
    """Advance widths (by code point) and units per em of a Sarabun style."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(sarabun_file(style)))
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    return {cp: hmtx[name][0] for cp, name in cmap.items()}, font["head"].unitsPerEm


def measure(text: str, points: float = TABLE_PT, bold: bool = False) -> int:
    """Width of ``text`` in twips at ``points``: Sarabun's advance widths (no kerning; Thai
    marks have none) with :data:`WIDTH_ALLOWANCE` added, as the TH Sarabun family sets
    Latin letters up to 8 % wider at the same size (measured on Laksaman, the free metric
    twin of TH SarabunPSK that LibreOffice substitutes on Linux), Thai and digits alike."""
    advances, upem = _metrics("Bold" if bold else "Regular")
    units = sum(advances.get(ord(ch), upem // 2) for ch in text)
    return round(units / upem * points * 20 * WIDTH_ALLOWANCE)


def is_numeric(text: str) -> bool:
    """A cell holding a number, an interval, a p value or such: kept on one line."""
    text = text.strip()
    return bool(text) and not THAI.search(text) and bool(NUMERIC.match(text)) and len(text) <= 24


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
    """Thai text cut into words by PyThaiNLP's dictionary segmenter (``newmm``): the places
    where Word and LibreOffice may break a Thai line."""
    return tuple(word for word in segment(text, keep_whitespace=False) if word)


def _minimum(cells: list[tuple[str, bool]], relax: int, points: float, pad: int, whole: bool = True) -> int:
    """Widest unbreakable piece of a column (twips, with the cell padding): a whole number
    cell (with ``whole=False`` only each number in it, "4.65" and "(0.50)"), a statistic
    with its value, a Latin word, the longest word of a Thai run (at most
    :data:`THAI_WORD_EM` em: compounds such as "การอำนวยความสะดวก" break inside; with
    ``relax`` the Thai words of the header do not count; its Latin words always do)."""
    low = 0
    for row, (text, bold) in enumerate(cells):
        header = row == 0 and len(cells) > 1
        if is_numeric(text) and (whole or len(text.split()) == 1):
            low = max(low, *(measure(line, points, bold) for line in text.split("\n")))
            continue
        for piece in _pieces(text, header=header):
            if header and relax and THAI.search(piece):
                continue  # a Thai header may break between its syllables, a Latin word never
            if THAI.search(piece):
                longest = max(measure(word, points, bold) for word in thai_words(piece))
                low = max(low, min(longest, round(THAI_WORD_EM * points * 20)))
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
    first), like a browser's automatic table layout: every column gets at least its widest
    unbreakable piece (:func:`_minimum`; with ``relax`` the header's Thai words do not
    count and may break), and the rest of ``available`` goes to the columns whose body cells (or
    header words) would like to be wider, the least demanding first (:func:`fill`). The
    sum exceeds ``available`` only when the minimums do."""
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
        widths = fill(minimum, preferred, available)
    else:
        widths = [float(m) for m in minimum]  # wider than the page: numbers still whole
    return [round(w) for w in widths]


def fill(minimum: list[int], preferred: list[int], available: int) -> list[float]:
    """Share ``available`` out by water-filling: every column starts at its minimum, the
    columns that want least are given all they want first (a level such as "มากที่สุด"
    or a header word stays whole), and the wide text columns share what is left equally."""
    widths = [float(m) for m in minimum]
    spare = available - sum(minimum)
    waiting = sorted(range(len(widths)), key=lambda j: preferred[j] - minimum[j])
    while waiting:
        share = spare / len(waiting)
        j = waiting[0]
        want = preferred[j] - widths[j]
        if want <= share:
            widths[j] += want
            spare -= want
            waiting.pop(0)
        else:
            for k in waiting:
                widths[k] += share
            break
    return widths


def tallest_cell(
    columns: list[list[tuple[str, bool]]], widths: list[int], points: float, margin: int = CELL_MARGIN
) -> int:
    """Estimated lines of the tallest body cell at these widths."""
    tallest = 1
    for cells, width in zip(columns, widths, strict=True):
        room = max(width - 2 * margin - SLACK, 1)
        for text, bold in cells[1:]:
            tallest = max(tallest, -(-measure(text, points, bold) // room))
    return tallest


def table_layout(columns: list[list[tuple[str, bool]]], available: int) -> tuple[str, list[int], int, bool]:
    """The table style (14 or 12 pt), the column widths and the cells' left and right
    margin: 14 pt when the header's words fit side by side and no cell needs more than
    :data:`MAX_LINES` lines; else 12 pt, with whole header words or, if that fits better,
    Thai header words that may break between syllables (whichever has fewer lines in its
    tallest cell); only when neither fits the page narrower cell margins, and last a cell of
    several numbers ("4.65 (0.50)") may break between them. A Latin word, a statistic with
    its value ("(n = 340)", held by no-break spaces) and every number stay whole in every
    case: a table whose whole words do not fit the page is wider than it, and
    :func:`fit_table` centres it over the margins. The last value says whether number cells
    are kept on one line."""
    widths = column_widths(columns, available, TABLE_PT)
    if sum(widths) <= available + len(widths) and tallest_cell(columns, widths, TABLE_PT) <= MAX_LINES:
        return TABLE_STYLE, widths, CELL_MARGIN, True
    candidates = []
    options = (
        (0, CELL_MARGIN, True),
        (1, CELL_MARGIN, True),
        (1, NARROW_CELL_MARGIN, True),
        (1, NARROW_CELL_MARGIN, False),
    )
    for rank, (relax, margin, whole) in enumerate(options):
        widths = column_widths(columns, available, SMALL_TABLE_PT, relax, margin, whole)
        overflow = max(sum(widths) - available - len(widths), 0)
        lines = tallest_cell(columns, widths, SMALL_TABLE_PT, margin)
        last_resort = (margin != CELL_MARGIN) + (not whole)
        candidates.append((overflow, last_resort, lines, rank, widths, margin, whole))
    *_, widths, margin, whole = min(candidates)
    return SMALL_TABLE_STYLE, widths, margin, whole


def fit_table(table, available: int) -> None:
    """Column widths from the content, automatic layout, numbers unwrapped, 14 pt text; a
    table wider than ``available`` (its whole words do not fit) reaches equally into both
    margins."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Twips

    rows = table.rows
    ncols = len(table.columns)
    columns: list[list[tuple[str, bool]]] = [[] for _ in range(ncols)]
    for index, row in enumerate(rows):
        for j, cell in enumerate(row.cells[:ncols]):
            bold = index == 0 or any(r.bold for p in cell.paragraphs for r in p.runs)
            columns[j].append((cell.text, bool(bold)))
    style_name, widths, margin, whole = table_layout(columns, available)
    # what ``paragraph.style = style_name`` sets, looked up once (not once per cell paragraph)
    style_id = table.part.get_style_id(style_name, WD_STYLE_TYPE.PARAGRAPH)
    tbl_pr = table._tbl.tblPr
    layout = _child(tbl_pr, "tblLayout", TBLPR_ORDER)
    layout.set(_w("type"), "autofit")
    tbl_w = _child(tbl_pr, "tblW", TBLPR_ORDER)
    tbl_w.set(_w("type"), "dxa")
    tbl_w.set(_w("w"), str(sum(widths)))
    overflow = sum(widths) - available
    if overflow > len(widths):  # wider than the page even with every word whole: centred
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
    for index, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        _child(tr_pr, "cantSplit", TRPR_ORDER)
        keep = index < len(rows) - 1 and (
            len(rows) <= KEEP_TOGETHER_ROWS or index in _kept_with_next(columns[0], len(rows))
        )
        for j, cell in enumerate(row.cells[:ncols]):
            cell.width = Twips(widths[j])
            if keep:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
            if is_numeric(cell.text) and (whole or len(cell.text.split()) == 1):
                _child(cell._tc.get_or_add_tcPr(), "noWrap", TCPR_ORDER)
            for paragraph in cell.paragraphs:
                style = paragraph._p.pPr.find(_w("pStyle")) if paragraph._p.pPr is not None else None
                if style is None or style.get(_w("val")) == "Compact":
                    paragraph._p.style = style_id


def _kept_with_next(first_column: list[tuple[str, bool]], count: int) -> set[int]:
    """Rows of a long table that Word keeps on the page of the next row (as the PDF does,
    ``reports/templates/tables.typ``): the header and the first two body rows, the last two
    rows together, and a group row (its first cell bold: a dimension's name above its items)
    with the row under it."""
    groups = {i for i, (_text, bold) in enumerate(first_column) if bold and 0 < i < count - 1}
    return {0, 1, 2, count - 2} | groups


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
        edge = _child(borders, side, ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"))
        edge.set(_w("val"), "single")
        edge.set(_w("sz"), str(BORDER_SIZE))
        edge.set(_w("space"), "0")
        edge.set(_w("color"), "000000")


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
