"""Reading a rendered PDF back for the tests: its text layer, its lines and its page layout.

Two independent extractors read the text layer: MuPDF (pymupdf, a dev dependency) always and
poppler's ``pdftotext`` where it is installed (.ci/run installs poppler-utils).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from analysis.report.thai_text import visible_text

FOOTER_PT = 55  # the page footer sits in the bottom margin (2.2 cm = 62 pt): leave it out
QUOTES = "\"'“”‘’"


def _inline_text(node) -> str:
    """Text of a list of pandoc inlines as the reader sees it (images and notes left out)."""
    if isinstance(node, list):
        return "".join(_inline_text(n) for n in node)
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return content[-1]
    if kind in ("Image", "Note", "RawInline"):
        return ""
    if kind in ("Quoted", "Cite", "Link", "Span"):
        return _inline_text(content[1] if kind in ("Quoted", "Cite") else content[1])
    return _inline_text(content) if isinstance(content, list) else ""


def source_units(ast_json: str) -> list[str]:
    """Every paragraph, heading, caption, list item and table cell of pandoc's JSON AST, as
    text, in document order."""
    units: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            kind = node.get("t")
            if kind in ("Para", "Plain"):
                units.append(_inline_text(node["c"]))
                return
            if kind == "Header":
                units.append(_inline_text(node["c"][2]))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(ast_json)["blocks"])
    return [u for u in units if comparable(u)]


def comparable(text: str) -> str:
    """Text as compared between source and PDF: no whitespace, zero-width characters or quotes,
    and Typst's minus sign (it sets "-0.13" as "−0.13") read as the hyphen-minus it came from."""
    return visible_text(text).translate({ord(q): None for q in QUOTES} | {0x2212: "-"})


def mupdf_pages(pdf: Path) -> list[str]:
    """Text of each page's body (footer left out) in content-stream order, by MuPDF."""
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return [
            page.get_text(clip=pymupdf.Rect(0, 0, page.rect.width, page.rect.height - FOOTER_PT))
            for page in doc
        ]


def poppler_pages(pdf: Path) -> list[str] | None:
    """Text of each page's body in content-stream order by ``pdftotext -raw``; None where
    poppler-utils is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    import pymupdf

    with pymupdf.open(pdf) as doc:
        sizes = [(page.rect.width, page.rect.height) for page in doc]
    pages = []
    for number, (width, height) in enumerate(sizes, 1):
        area = ["-x", "0", "-y", "0", "-W", str(int(width)), "-H", str(int(height - FOOTER_PT))]
        args = [
            "pdftotext",
            "-raw",
            "-enc",
            "UTF-8",
            "-f",
            str(number),
            "-l",
            str(number),
            *area,
            str(pdf),
            "-",
        ]
        pages.append(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    return pages


def missing_units(units: list[str], pages: list[str]) -> list[str]:
    """The source units whose text the PDF text layer does not hold exactly."""
    text = comparable("".join(pages))
    return [u for u in units if comparable(u) not in text]


# --------------------------------------------------------------------------- lines and layout
@dataclass
class Line:
    page: int
    top: float
    bottom: float
    text: str
    size: float = 0.0  # the largest font size on the line
    bold_start: bool = False  # the line's first span is bold (captions: **ตารางที่ n**)


def pdf_lines(pdf: Path) -> list[Line]:
    """The body's visual lines, top to bottom on each page, by MuPDF (spans on one baseline)."""
    import pymupdf

    lines: list[Line] = []
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc, 1):
            spans = [
                (
                    round(span["origin"][1], 1),
                    span["bbox"][0],
                    span["bbox"][1],
                    span["bbox"][3],
                    span["text"],
                    span["size"],
                    bool(span["flags"] & 16) or "Bold" in span["font"],
                )
                for block in page.get_text(
                    "dict", clip=pymupdf.Rect(0, 0, page.rect.width, page.rect.height - FOOTER_PT)
                )["blocks"]
                for line in block.get("lines", [])
                for span in line["spans"]
            ]
            by_baseline: dict[float, list] = {}
            for span in spans:
                key = next((b for b in by_baseline if abs(b - span[0]) < 2), span[0])
                by_baseline.setdefault(key, []).append(span)
            for base in sorted(by_baseline):
                row = sorted(by_baseline[base], key=lambda s: s[1])
                text = "".join(s[4] for s in row)
                size = max(s[5] for s in row)
                lines.append(
                    Line(number, min(s[2] for s in row), max(s[3] for s in row), text, size, row[0][6])
                )
    return [line for line in lines if line.text.strip()]


LIST_MARKERS = re.compile(r"•|\d+\.|[a-z]\.")  # bullets and numbers of list items
CAPTION = re.compile(r"^\s*(ตารางที่|ภาพที่|Table|Figure)\s+(\d+)\b")


def repeated_texts(ast_json: str) -> set[str]:
    """Text the PDF legitimately shows more than once: the header row of each table (repeated
    on every page the table spans, under the line "ตารางที่ n (ต่อ)": the caption's bold label and
    the metadata's ``table-continued``) and the synthetic-data notice (title page and banner)."""
    ast = json.loads(ast_json)
    texts = {comparable(_inline_text(ast["meta"].get("synthetic-notice", {}).get("c", [])))}
    word = _inline_text(ast["meta"].get("table-continued", {}).get("c", []))

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Table":
                caption = node["c"][1][1]
                first = caption[0]["c"][0] if caption and caption[0]["c"] else {}
                label = _inline_text(first["c"]) if first.get("t") == "Strong" else ""
                for row in node["c"][3][1]:
                    header = comparable("".join(_blocks_text(cell[4]) for cell in row[1]))
                    texts.add(header)
                    if label and word:
                        texts.add(comparable(label + word) + header)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(ast["blocks"])
    return texts - {""}


def _blocks_text(blocks: list) -> str:
    return "".join(_inline_text(b["c"]) for b in blocks if b.get("t") in ("Para", "Plain"))


def text_layer_differences(units: list[str], pages: list[str], repeats: set[str] = frozenset()) -> list[str]:
    """Where the PDF's text layer differs from the source: each unit must follow the previous
    one directly (nothing extra in between but list markers and ``repeats``, nothing doubled),
    in document order. The title page before the first unit is not compared. An empty list
    means the layers agree."""
    text = comparable("".join(pages))
    problems: list[str] = []
    pos = None
    for unit in units:
        want = comparable(unit)
        found = text.find(want, pos or 0)
        if found < 0:
            problems.append(f"missing: {unit[:80]}")
            continue
        between = text[pos:found] if pos is not None else ""
        if between and not LIST_MARKERS.fullmatch(between) and between not in repeats:
            problems.append(f"extra before {unit[:40]!r}: {text[pos:found][:80]!r}")
        pos = found + len(want)
    if pos is not None and text[pos:]:
        problems.append(f"extra at the end: {text[pos:][:80]!r}")
    return problems


def _page_graphics(pdf: Path) -> tuple[list[list[tuple]], list[list[float]]]:
    """Per page: the image boxes and the y of every horizontal rule (table lines)."""
    import pymupdf

    images, rules = [], []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            images.append([tuple(info["bbox"]) for info in page.get_image_info()])
            ys = []
            for drawing in page.get_drawings():
                for item in drawing["items"]:
                    if item[0] == "l" and abs(item[1].y - item[2].y) < 0.5 and abs(item[1].x - item[2].x) > 5:
                        ys.append(round(item[1].y, 1))
            rules.append(sorted(set(ys)))
    return images, rules


def layout_problems(pdf: Path, heading_size: float) -> list[str]:
    """Layout defects of a rendered write-up (title page aside):

    - a table caption (ตารางที่ n / Table n) not followed on its page by its table's first rule,
      or a figure caption (ภาพที่ n / Figure n) not preceded on its page by its image;
    - a heading (a line set at ``heading_size`` or larger) as the last line of a page;
    - a page whose only content is one table row (under a repeated header row).
    """
    lines = pdf_lines(pdf)
    images, rules = _page_graphics(pdf)
    problems = []
    for line in lines:
        match = CAPTION.match(line.text)
        if not match or not line.bold_start or line.page == 1:
            continue
        label = f"{match.group(1)} {match.group(2)} (page {line.page})"
        if match.group(1) in ("ตารางที่", "Table"):
            if not any(line.bottom - 1 <= y <= line.bottom + 80 for y in rules[line.page - 1]):
                problems.append(f"{label}: its table does not follow on the page")
        elif not any(0 <= line.top - box[3] <= 40 for box in images[line.page - 1]):
            problems.append(f"{label}: its figure is not above it on the page")
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    last_page = max(by_page)
    for page, page_lines in by_page.items():
        if page == 1:
            continue
        if page_lines[-1].size >= heading_size and page != last_page:
            problems.append(f"page {page} ends with the heading {page_lines[-1].text[:40]!r}")
        if all(line.size >= heading_size for line in page_lines):
            problems.append(f"page {page} holds only headings")
        ys = rules[page - 1]
        outside = [ln for ln in page_lines if not ys or ln.bottom < ys[0] - 1 or ln.top > ys[-1] + 1]
        if ys and not outside and len(ys) <= 3:  # top rule, rule under the header, one row
            problems.append(f"page {page} holds only one table row")
    return problems


def continued_tables(pdf: Path) -> list[tuple[int, str]]:
    """(page, text of its first table row) for each page that opens with a table without a line
    above its first rule, i.e. a table continued from the page before without its "ตารางที่ n
    (ต่อ)" line (the write-up's tables all have that line: this list must be empty)."""
    lines = pdf_lines(pdf)
    _, rules = _page_graphics(pdf)
    found = []
    for page in sorted({line.page for line in lines}):
        ys = rules[page - 1]
        page_lines = [line for line in lines if line.page == page]
        if page == 1 or not ys or page_lines[0].bottom < ys[0]:  # text above the first rule
            continue
        second = ys[1] if len(ys) > 1 else ys[0]
        first_row = [line.text for line in page_lines if (line.top + line.bottom) / 2 < second]
        found.append((page, "".join(first_row)))
    return found


ROW_MAX = 120  # points: no table row of the write-up is taller (five lines of 13 pt cells)
CONTINUED = r"^\s*(ตารางที่|Table)\s+(\d+)\s*"  # + the catalogue's word: "ตารางที่ n (ต่อ)"
PAGE_TOP, PAGE_BOTTOM = 2.5 * 72 / 2.54, 841.89 - 2.2 * 72 / 2.54  # the A4 text area (phanat.typ)
HEADING_ALLOWANCE = 40  # points: a heading that moves with its table


def _is_continued_line(text: str, word: str) -> bool:
    return bool(re.match(CONTINUED + re.escape(word), text))


def _table_caption(line: Line, word: str) -> int | None:
    """The number of the table whose caption (not a "(ต่อ)" line) ``line`` opens, or None."""
    match = CAPTION.match(line.text)
    if not match or not line.bold_start or match.group(1) not in ("ตารางที่", "Table"):
        return None
    return None if _is_continued_line(line.text, word) else int(match.group(2))


def _merged(ys: list[float], within: float = 2.0) -> list[float]:
    """Rules closer than ``within`` points read as one (a header's line over a row's)."""
    out: list[float] = []
    for y in sorted(ys):
        if not out or y - out[-1] > within:
            out.append(y)
    return out


def _table_rules(page_lines: list[Line], rules: list[float], below: float) -> list[float]:
    """The rules of the table that starts below ``below`` on a page: the rules from there down to
    the next table caption, or to a gap no table row is as tall as."""
    table: list[float] = []
    for y in _merged(rules):
        if y <= below:
            continue
        previous = table[-1] if table else below
        caption = any(previous < ln.top < y and ln.bold_start and CAPTION.match(ln.text) for ln in page_lines)
        if caption or y - previous > ROW_MAX:
            break
        table.append(y)
    return table


def continuation_pages(pdf: Path, word: str) -> list[tuple[int, int, Line, list[Line]]]:
    """(page, table number, the "ตารางที่ n (ต่อ)" line, the lines of the row under it) for each
    page that opens with a table's continuation line (``word`` from the catalogue)."""
    pattern = re.compile(CONTINUED + re.escape(word) + r"\s*$")
    lines = pdf_lines(pdf)
    _, rules = _page_graphics(pdf)
    found = []
    for page in sorted({line.page for line in lines}):
        page_lines = [line for line in lines if line.page == page]
        match = pattern.match(page_lines[0].text)
        if page == 1 or not match:
            continue
        ys = [y for y in _merged(rules[page - 1]) if y > page_lines[0].bottom - 1]
        row = [ln for ln in page_lines[1:] if len(ys) > 1 and (ln.top + ln.bottom) / 2 < ys[1]]
        found.append((page, int(match.group(2)), page_lines[0], row))
    return found


def table_break_problems(pdf: Path, word: str, max_blank: float = 1 / 3) -> list[str]:
    """How the tables of a rendered write-up meet page breaks, read page by page:

    - a table caption needs its header row and at least 2 body rows under it on its page;
    - a page a table continues on opens with "ตารางที่ n (ต่อ)" (``word``) right above its rule,
      n the number of the last table caption before it, followed by at least 2 body rows;
    - the last row before such a break is not a group row (a bold line: a dimension's name);
    - a page whose next page opens with a table caption (a table moved whole, maybe under a
      heading) leaves at most ``max_blank`` of the text area empty at its foot, plus a heading.
    """
    lines = pdf_lines(pdf)
    _, rules = _page_graphics(pdf)
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    problems = []
    last_caption = 0
    continued = {page: (number, line) for page, number, line, _ in continuation_pages(pdf, word)}
    for page, page_lines in sorted(by_page.items()):
        if page == 1:
            continue
        if page in continued:
            number, line = continued[page]
            if number != last_caption:
                problems.append(f"page {page}: continues table {number} after caption {last_caption}")
            table = _table_rules(page_lines, rules[page - 1], line.bottom - 1)
            if not table or table[0] - line.bottom > 25:
                problems.append(f"page {page}: the (continued) line is not above its table's first rule")
            if len(table) < 4:  # top of the header, under the header, under two rows
                problems.append(f"page {page}: table {number} continues with fewer than 2 rows")
            before = by_page.get(page - 1, [])
            if before and before[-1].bold_start and not CAPTION.match(before[-1].text):
                problems.append(
                    f"page {page - 1} ends table {number} with the group row {before[-1].text[:24]!r}"
                )
        for line in page_lines:
            number = _table_caption(line, word)
            if number is None:
                continue
            last_caption = number
            if len(_table_rules(page_lines, rules[page - 1], line.bottom - 1)) < 4:
                problems.append(f"page {page}: the caption of table {number} has fewer than 2 rows under it")
        opens_table = any(_table_caption(ln, word) for ln in by_page.get(page + 1, [])[:2])
        blank = PAGE_BOTTOM - page_lines[-1].bottom
        if opens_table and blank > max_blank * (PAGE_BOTTOM - PAGE_TOP) + HEADING_ALLOWANCE:
            problems.append(f"page {page}: {blank:.0f} pt left blank before a table moved whole")
    return problems


def words_over_column_rules(pdf: Path) -> list[str]:
    """Words that run over a table's vertical rule ("page n: word"): a cell too narrow for its
    widest unbreakable piece (a header word, a number, a kept-whole range) overflows into the
    next column, which a reader sees before any number."""
    import pymupdf

    found = []
    with pymupdf.open(pdf) as doc:
        for number, page in enumerate(doc, start=1):
            rules = []
            for drawing in page.get_drawings():
                for item in drawing["items"]:
                    if item[0] == "l" and abs(item[1].x - item[2].x) < 0.5 and abs(item[1].y - item[2].y) > 5:
                        rules.append((item[1].x, min(item[1].y, item[2].y), max(item[1].y, item[2].y)))
                    elif item[0] == "re" and item[1].width < 1.5 and item[1].height > 5:
                        rules.append((item[1].x0, item[1].y0, item[1].y1))
            for x0, y0, x1, y1, word, *_ in page.get_text("words"):
                middle = (y0 + y1) / 2
                if any(x0 + 1 < x < x1 - 1 and top <= middle <= bottom for x, top, bottom in rules):
                    found.append(f"page {number}: {word}")
    return found


def render_body(tmp: Path, body: str, language: str = "th", **meta: str) -> Path:
    """The PDF (Typst, no Quarto) of a write-up whose body is the Markdown ``body``: the
    project's templates and fonts, a title page, ``meta`` added to its metadata."""
    import yaml

    from analysis import paths
    from analysis.report import render
    from analysis.report.fonts import pdf_font_files, sarabun_dir

    reports = tmp / "reports"
    shutil.copytree(paths.TEMPLATES_DIR, reports / "templates")
    gen = reports / "_generated"
    shutil.copytree(sarabun_dir(), gen / "fonts", ignore=shutil.ignore_patterns("*.json", "LICENSE"))
    for ttf in pdf_font_files():
        shutil.copyfile(ttf, gen / "fonts" / ttf.name)
    metadata = {
        "title": "ทดสอบ",
        "lang": language,
        "synthetic": False,
        "date": "",
        "agency": "",
        "award-name": "",
    }
    (gen / "metadata.yml").write_text(
        yaml.safe_dump({**metadata, **meta}, allow_unicode=True), encoding="utf-8"
    )
    (reports / "writeup.qmd").write_text(body, encoding="utf-8")
    (pdf,) = render.render_with_pandoc(reports, tmp / "out", ("pdf",), epoch=0)
    return pdf
