"""The PDF's text layer: a Thai cluster whose marks Typst shifts left still ends where it ends.

Typst writes a Thai cluster whose glyphs do not map one-to-one to its characters (e.g. "นื่" in
"เนื่องจาก": the base น and two stacked marks) inside a marked-content span with ``/ActualText``
(ISO 32000-1, 14.9.4), and places the zero-width marks with leftward moves inside the ``TJ``
array (a positive number moves left, ISO 32000-1, 9.4.3)::

    /Span<</ActualText (นื่)>> BDC … [(น) 51 (ื) 53 (่)] TJ EMC

The picture is right, but text extraction that lays text out by position (``pdftotext``
without ``-raw``, copy and search in poppler-based viewers) takes the span's text to end where
its *last drawn* glyph ends: here the tone mark, 0.104 em left of the base's right edge with
Norasi, more than poppler's word gap (0.1 em), so it reads "เนื่ องจาก" and a search for
"เนื่องจาก" fails.

:func:`anchor_cluster_ends` redraws the glyphs of each such span in an order whose last glyph
ends rightmost (the base stays first, so the span still starts where it starts), with the moves
recomputed from the fonts' glyph widths so that every glyph lands exactly where it was: the
pages render to the same pixels (the tests check), no glyph is added or removed, and the
ActualText still gives the span's characters once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

EPSILON = 1e-6  # thousandths of a text-space unit
TRACKED = frozenset({"BDC", "BMC", "EMC", "Tf", "Tc", "TJ"})  # the operators anchoring reads


def glyph_widths(font) -> Callable[[int], float]:
    """Advance width (thousandths of an em) of each CID of a Type 0 font: its descendant's
    ``/W`` array (``c [w1 w2 …]`` and ``c_first c_last w`` entries) with ``/DW`` for the rest
    (ISO 32000-1, 9.7.4.3)."""
    import pikepdf

    descendant = font.DescendantFonts[0]
    default = float(descendant.get("/DW", 1000))
    table: dict[int, float] = {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        first, second = int(entries[i]), entries[i + 1]
        if isinstance(second, pikepdf.Array):
            for k, width in enumerate(second):
                table[first + k] = float(width)
            i += 2
        else:
            for cid in range(first, int(second) + 1):
                table[cid] = float(entries[i + 2])
            i += 3
    return lambda cid: table.get(cid, default)


def glyph_positions(items: list, width: Callable[[int], float]) -> tuple[list[tuple[float, bytes]], float]:
    """The glyphs of a ``TJ`` array of two-byte CIDs (Identity-H) with their x position (in
    thousandths of the font size, from the array's start), and the pen position at its end."""
    import pikepdf

    glyphs, x = [], 0.0
    for item in items:
        if not isinstance(item, (bytes, pikepdf.String)):
            x -= float(item)
            continue
        data = bytes(item)
        for k in range(0, len(data) - 1, 2):
            glyphs.append((x, data[k : k + 2]))
            x += width(int.from_bytes(data[k : k + 2], "big"))
    return glyphs, x


def rightmost_last(items: list, width: Callable[[int], float]) -> list | None:
    """The items of a ``TJ`` array redrawn so that the glyph ending rightmost comes last (the
    first glyph stays first), every glyph at its old position and the pen where it was; None
    when the last glyph already ends rightmost (or the array has no two glyphs)."""
    glyphs, end = glyph_positions(items, width)
    if len(glyphs) < 2:
        return None
    ends = [x + width(int.from_bytes(cid, "big")) for x, cid in glyphs]
    right = max(range(1, len(glyphs)), key=lambda i: (ends[i], i))
    if right == len(glyphs) - 1 or ends[right] <= ends[-1] + EPSILON:
        return None
    order = [g for i, g in enumerate(glyphs) if i != right] + [glyphs[right]]
    out: list = []
    pen = 0.0
    for x, cid in order:
        if abs(pen - x) > EPSILON:
            out.append(round(pen - x, 6))
        out.append(cid)
        pen = x + width(int.from_bytes(cid, "big"))
    if abs(pen - end) > EPSILON:
        out.append(round(pen - end, 6))
    return out


def anchored_instructions(
    instructions: list, fonts, widths: dict[tuple[int, int], Callable[[int], float]] | None = None
) -> tuple[list, int]:
    """The content-stream instructions with the ``TJ`` arrays inside ActualText spans redrawn by
    :func:`rightmost_last`; returns them and how many arrays changed. Arrays drawn with
    character spacing (``Tc``) other than 0 are left alone. ``widths`` caches each font's
    :func:`glyph_widths` by its object number (pass one dict for every page of a file)."""
    import pikepdf

    widths = {} if widths is None else widths
    font, spacing, depth, spans = None, 0.0, 0, []
    out, changed = [], 0
    for ins in instructions:
        op = str(ins.operator)
        if op not in TRACKED:
            out.append(ins)
            continue
        operands = list(ins.operands)
        if op in ("BDC", "BMC"):
            depth += 1
            props = operands[1] if len(operands) > 1 else None
            if isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                spans.append(depth)
        elif op == "EMC":
            if spans and spans[-1] == depth:
                spans.pop()
            depth -= 1
        elif op == "Tf":
            font = str(operands[0])
        elif op == "Tc":
            spacing = float(operands[0])
        elif op == "TJ" and spans and font and abs(spacing) < EPSILON and font in fonts:
            font_obj = fonts[font]
            if font_obj.get("/Subtype") == pikepdf.Name.Type0 and "/DescendantFonts" in font_obj:
                key = font_obj.objgen if font_obj.is_indirect else (-1, id(font_obj))
                if key not in widths:  # reading /W once per font, not once per TJ array
                    widths[key] = glyph_widths(font_obj)
                width = widths[key]
                redrawn = rightmost_last(list(operands[0]), width)
                if redrawn is not None:
                    array = pikepdf.Array([pikepdf.String(i) if isinstance(i, bytes) else i for i in redrawn])
                    out.append(pikepdf.ContentStreamInstruction([array], pikepdf.Operator("TJ")))
                    changed += 1
                    continue
        out.append(ins)
    return out, changed


def anchor_cluster_ends(pdf_path: Path) -> int:
    """Rewrite the PDF at ``pdf_path`` in place with every page's (and form's) ActualText spans
    anchored (:func:`anchored_instructions`); returns the number of ``TJ`` arrays redrawn. The
    file ID is derived from the content, so the same input gives the same bytes."""
    import pikepdf

    changed = 0
    widths: dict[tuple[int, int], Callable[[int], float]] = {}
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            instructions, n = anchored_instructions(pikepdf.parse_content_stream(page), fonts, widths)
            if n:
                page.contents_coalesce()
                page.Contents.write(pikepdf.unparse_content_stream(instructions))
                changed += n
        if changed:
            pdf.save(pdf_path, deterministic_id=True)
    return changed
