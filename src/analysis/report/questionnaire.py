"""The questionnaire of the submission package, as a school prints it, in DOCX and PDF.

The content (:func:`questionnaire_content`) comes from the codebook (title, scale, dimensions,
items numbered 1–n within each dimension) and, when the study config is given, from its
columns (the group question with its groups; the open questions): words from the catalogue's
``package.questionnaire``. The parts follow the Thai custom: ตอนที่ 1 the respondent's
background (tick boxes), ตอนที่ 2 the rating table, ตอนที่ 3 the suggestions (dotted lines).

Both files have A4 pages with the DOCX edition's margins and a bordered rating grid: a
two-row header (``ข้อ``, ``ข้อคำถาม``, ``ระดับความคิดเห็น`` over the points ``5 … 1`` with
their labels) repeated on a new page, one column to tick per point. The DOCX has one table
for the whole instrument, a row with each dimension's heading kept with its first question,
so it fills every page from the first (:func:`analysis.report.wordfile.rating_table`); the
PDF a table per dimension under its heading, kept on one page with it.

- DOCX (:func:`questionnaire_docx`, python-docx): the write-up DOCX's styles and font
  (TH Sarabun New, Sarabun embedded: :mod:`analysis.report.wordfile`), column widths from
  the labels' widths, names (the model's) joined by no-break spaces.
- PDF (:func:`questionnaire_typst`, Typst with ``reports/templates/questionnaire.typ``): the
  write-up PDF's font (Norasi, for an exact text layer), Thai lines broken between words
  (:mod:`analysis.report.thai_text`), the names kept whole.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, fields, replace
from pathlib import Path

from analysis.config.codebook import Codebook
from analysis.config.study import StudyConfig
from analysis.report.messages import messages
from analysis.report.reporting import bare_dimension_name
from analysis.report.thai_text import NBSP, break_inlines

THAI_LETTERS = re.compile("[\\u0e01-\\u0e4e]")  # a Thai consonant, vowel or mark
TICK_BOX = "\u2610"  # ☐ in the DOCX (the PDF draws its boxes)
SYMBOL_FONT = "Segoe UI Symbol"  # Word's font for ☐; LibreOffice substitutes one that has it
WRITING_LINES = 4  # dotted lines under each open question


@dataclass(frozen=True)
class Questionnaire:
    """What the questionnaire says, in one language, in reading order."""

    title: str
    explanation: tuple[str, ...]  # คำชี้แจง, numbered
    parts: tuple[str, ...]  # "ตอนที่ 1 …" headings (empty: one part, no headings)
    group_question: str  # "" when there is no group question
    group_instructions: str
    group_options: tuple[str, ...]
    rating_instructions: str
    scale_explanation: str  # "ระดับความคิดเห็น มีความหมายดังนี้", above scale_lines
    scale_lines: tuple[str, ...]  # "5 หมายถึง มากที่สุด", highest first
    scale_heading: str  # above the table's points
    points: tuple[tuple[str, tuple[str, ...]], ...]  # (value, label cut by label_parts), highest first
    dimensions: tuple[tuple[str, tuple[str, ...]], ...]  # heading, questions (numbered 1…n)
    open_questions: tuple[str, ...]
    thanks: str
    labels: dict[str, str]  # the words คำชี้แจง (explanation) and the table's item and question


def dimension_heading(name: str, number: int, language: str = "th") -> str:
    """``ด้านที่ 1 การวางแผน`` / ``Dimension 1: Planning``: the dimension's name without the word
    the catalogue's ``names.dimension`` puts before it (a codebook may write ``ด้านการวางแผน``)."""
    return messages(language)(
        "package.questionnaire.dimension", number=number, name=bare_dimension_name(name, language)
    )


def questionnaire_content(
    codebook: Codebook, study: StudyConfig | None = None, language: str = "th"
) -> Questionnaire:
    """The questionnaire of ``codebook`` in ``language``; with ``study`` also its group question
    (the export's group column, Thai; the catalogue's words in English) with the groups, and its
    open questions (``columns.free_text``)."""
    m = messages(language)
    q = "package.questionnaire"
    groups = tuple(getattr(g, f"label_{language}") or g.label_th for g in study.groups) if study else ()
    group_question = ""
    if study and study.columns.group and groups:  # the export's column is the Thai form's question
        group_question = study.columns.group if language == "th" else m(f"{q}.group_question")
    free = tuple(study.columns.free_text) if study else ()
    open_questions = free if language == "th" else tuple(m(f"{q}.open_question") for _ in free)
    subject = (getattr(study, f"rating_subject_{language}", "") if study else "") or m(f"{q}.rating")
    names = [*([m(f"{q}.background")] if group_question else []), subject]
    names += [m(f"{q}.suggestions")] if open_questions else []
    parts = (
        tuple(m(f"{q}.part", number=i, name=n) for i, n in enumerate(names, start=1))
        if len(names) > 1
        else ()
    )
    explanation = (m(f"{q}.parts", count=len(parts), parts=listed(parts, language)),) if parts else ()
    explanation += (m(f"{q}.answer_all"),)
    dimensions = tuple(
        (
            dimension_heading(getattr(dim, f"name_{language}"), position, language),
            tuple(getattr(item, f"text_{language}") for item in dim.items),
        )
        for position, dim in enumerate(codebook.dimensions, start=1)
    )
    ordered = sorted(codebook.points, key=lambda p: -p.value)
    points = tuple((str(p.value), label_parts(getattr(p, language))) for p in ordered)
    return Questionnaire(
        title=getattr(codebook, f"instrument_{language}") or m(f"{q}.title"),
        explanation=explanation,
        parts=parts,
        group_question=group_question,
        group_options=groups if group_question else (),
        group_instructions=m(f"{q}.group_instructions"),
        rating_instructions=m(f"{q}.instructions"),
        scale_explanation=m(f"{q}.scale"),
        scale_lines=tuple(m(f"{q}.point", value=p.value, label=getattr(p, language)) for p in ordered),
        scale_heading=m(f"{q}.scale_header"),
        points=points,
        dimensions=dimensions,
        open_questions=open_questions,
        thanks=m(f"{q}.thanks"),
        labels={key: m(f"{q}.{key}") for key in ("explanation", "item", "question")},
    )


def label_parts(label: str) -> tuple[str, ...]:
    """A scale point's label cut where a narrow table header may break it: between its words
    (``มาก|ที่สุด``, ``เห็นด้วย|อย่างยิ่ง``; PyThaiNLP ``newmm``), and a label of one word
    between the two dictionary words it is made of (``ปาน|กลาง``, ``น้อย|ที่สุด``), the most
    even cut; never inside a word. Latin labels are cut at spaces."""
    from analysis.thai_words import dictionary, segment

    if not THAI_LETTERS.search(label):
        return tuple(label.split()) or (label,)
    words = tuple(w for w in segment(label, keep_whitespace=False) if w.strip())
    if len(words) != 1:
        return words
    known = dictionary()
    cuts = [i for i in range(1, len(label)) if label[:i] in known and label[i:] in known]
    if not cuts:
        return words
    cut = min(cuts, key=lambda i: abs(len(label) - 2 * i))
    return (label[:cut], label[cut:])


def listed(parts: tuple[str, ...], language: str = "th") -> str:
    """``ตอนที่ 1 … ตอนที่ 2 … และตอนที่ 3 …``: the parts joined as the catalogue's
    ``package.questionnaire.parts_join`` and ``parts_last`` say."""
    m = messages(language)
    if len(parts) < 2:
        return "".join(parts)
    head = m.get("package.questionnaire.parts_join").join(parts[:-1])
    return m("package.questionnaire.parts_last", parts=head, last=parts[-1])


def keep_names(text: str, names: tuple[str, ...]) -> str:
    """``text`` with the spaces inside each of ``names`` ("PHANAT Model") made no-break spaces,
    so no line ends inside a name."""
    for name in sorted(names, key=len, reverse=True):
        if " " in name:
            text = text.replace(name, name.replace(" ", NBSP))
    return text


def with_names_whole(q: Questionnaire, names: tuple[str, ...]) -> Questionnaire:
    """``q`` with :func:`keep_names` applied to every text."""

    def whole(value):
        if isinstance(value, str):
            return keep_names(value, names)
        if isinstance(value, tuple):
            return tuple(whole(v) for v in value)
        if isinstance(value, dict):
            return {k: whole(v) for k, v in value.items()}
        return value

    return replace(q, **{f.name: whole(getattr(q, f.name)) for f in fields(q)})


# --------------------------------------------------------------------------- PDF (Typst)
def typst_literal(text: str) -> str:
    """``text`` as a Typst string literal (``"…"``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_string(text: str) -> str:
    """``text`` as a Typst string in markup (``#"…";``): no character is markup."""
    return f"#{typst_literal(text)};"


def typst_text(text: str, names: tuple[str, ...] = ()) -> str:
    """Typst markup of plain ``text`` whose lines break only between Thai words and never inside
    ``names`` (:func:`analysis.report.thai_text.break_inlines`, the write-up's rules)."""
    inlines = [
        {"t": "Space"} if chunk.isspace() else {"t": "Str", "c": chunk}
        for chunk in re.split(r"( +)", keep_names(text, names))
        if chunk
    ]
    out = []
    for el in break_inlines(inlines, "typst", names):
        if el["t"] == "RawInline":
            out.append(el["c"][1])
        elif el["t"] == "Space":
            out.append(" ")
        else:
            out.append(typst_string(el["c"]))
    return "".join(out)


def questionnaire_typst(q: Questionnaire, names: tuple[str, ...] = ()) -> str:
    """The questionnaire as a Typst document using ``templates/questionnaire.typ``."""

    def c(text: str) -> str:
        return f"[{typst_text(text, names)}]"

    parts = iter(q.parts)
    lines = [
        '#import "templates/questionnaire.typ": *',
        "#show: setup",
        f"#title({c(q.title)})",
        f"#heading-line({c(q.labels['explanation'])})",
    ]
    lines += [f"#numbered([{n}], {c(text)})" for n, text in enumerate(q.explanation, start=1)]
    if q.group_question:
        lines += [f"#heading-line({c(next(parts))})", f"#par({c(q.group_instructions)})"]
        lines.append(f"#numbered([1], {c(q.group_question)})")
        lines.append(f"#options({', '.join(c(option) for option in q.group_options)})")
    if q.parts:
        lines.append(f"#heading-line({c(next(parts))})")
    lines += [f"#par({c(q.rating_instructions)})", f"#par({c(q.scale_explanation)})"]
    lines += [f"#pad(left: 1.6em, par({c(line)}))" for line in q.scale_lines]
    points = ", ".join(
        f"([{value}], ({''.join(f'{typst_literal(part)}, ' for part in parts)}))" for value, parts in q.points
    )
    for heading, questions in q.dimensions:
        rows = ", ".join(f"([{n}], {c(text)})" for n, text in enumerate(questions, start=1))
        lines += [
            f"#heading-line({c(heading)})",
            f"#rating-table({c(q.labels['item'])}, {c(q.labels['question'])}, {c(q.scale_heading)}, "
            f"({points},), ({rows},))",
        ]
    if q.open_questions:
        lines.append(f"#heading-line({c(next(parts))})")
        for n, text in enumerate(q.open_questions, start=1):
            lines += [f"#numbered([{n}], {c(text)})", f"#write-lines({WRITING_LINES})"]
    lines.append(f"#v(1.5em)\n#align(center, {c(q.thanks)})")
    return "\n".join(line for line in lines if line) + "\n"


# --------------------------------------------------------------------------- DOCX
def questionnaire_docx(q: Questionnaire, reference: Path, target: Path) -> Path:
    """The questionnaire as a DOCX at ``target``, on the styles of the write-up's reference
    document ``reference`` (:func:`analysis.report.render.reference_docx`) and finished as the
    write-up DOCX is (A4, Thai margins, ``- n -`` page numbers, TH Sarabun New with Sarabun
    embedded); the same content gives the same bytes."""
    from docx import Document

    from analysis.report import wordfile
    from analysis.results.store import fix_zip_timestamps

    doc = Document(str(reference))
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    wordfile.set_languages(doc)
    wordfile.set_page(doc)
    width = wordfile.text_width(doc)
    _paragraph(doc, q.title, bold=True, size=18, center=True, after=12)
    _paragraph(doc, q.labels["explanation"], bold=True, keep=True)
    for n, text in enumerate(q.explanation, start=1):
        _paragraph(doc, f"{n}.\t{text}", hanging=True)
    parts = iter(q.parts)
    if q.group_question:
        _paragraph(doc, next(parts), bold=True, keep=True, before=12)
        _paragraph(doc, q.group_instructions, keep=True)
        _paragraph(doc, f"1.\t{q.group_question}", hanging=True, keep=True)
        for option in q.group_options:
            paragraph = _paragraph(doc, "", indent=1.25, keep=option != q.group_options[-1])
            run = paragraph.add_run(TICK_BOX)
            wordfile.set_fonts(run._r.get_or_add_rPr(), SYMBOL_FONT)
            paragraph.add_run(f"  {option}")
    if q.parts:
        _paragraph(doc, next(parts), bold=True, keep=True, before=12)
    _paragraph(doc, q.rating_instructions)
    _paragraph(doc, q.scale_explanation, keep=True)
    for line in q.scale_lines:  # the list kept together, the table free to start on the same page
        last = line == q.scale_lines[-1]
        _paragraph(doc, line, indent=1.25, keep=not last, after=9 if last else 3)
    wordfile.rating_table(
        doc, q.labels["item"], q.labels["question"], q.scale_heading, q.points, q.dimensions, width
    )
    if q.open_questions:
        _paragraph(doc, next(parts), bold=True, keep=True, before=12)
        for n, text in enumerate(q.open_questions, start=1):
            _paragraph(doc, f"{n}.\t{text}", hanging=True, keep=True)
            for line in range(WRITING_LINES):
                wordfile.writing_line(_paragraph(doc, "", keep=line < WRITING_LINES - 1), width)
    _paragraph(doc, q.thanks, center=True, before=18)
    wordfile.embed_fonts(doc)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    fix_zip_timestamps(target)
    return target


def _paragraph(
    doc,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    center: bool = False,
    keep: bool = False,
    hanging: bool = False,
    indent: float = 0.0,
    before: float = 0,
    after: float = 3,
):
    """One body paragraph: ``hanging`` sets a number and its tab in a 0.75 cm hanging indent."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from analysis.report.wordfile import format_run

    paragraph = doc.add_paragraph(style="Normal")
    if text:
        format_run(paragraph.add_run(text), bold=bold, size=size)
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep or None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if hanging:
        fmt.left_indent, fmt.first_line_indent = Cm(0.75 + indent), Cm(-0.75)
        fmt.tab_stops.add_tab_stop(Cm(0.75 + indent))
    elif indent:
        fmt.left_indent = Cm(indent)
    return paragraph


def render_questionnaire(
    codebook: Codebook,
    build: Path,
    epoch: int,
    language: str = "th",
    study: StudyConfig | None = None,
    names: tuple[str, ...] = (),
) -> dict[str, bytes]:
    """The questionnaire (:func:`questionnaire_content`) in ``language`` as
    ``questionnaire.docx`` and ``questionnaire.pdf``, built in ``build``; ``names`` (the model,
    the agency) are never split across lines. Returns {file name: bytes}."""
    from analysis import paths
    from analysis.report.fonts import pdf_font_files, sarabun_dir
    from analysis.report.render import compile_typst, reference_docx

    q = with_names_whole(questionnaire_content(codebook, study, language), names)
    if build.exists():
        shutil.rmtree(build)
    (build / "fonts").mkdir(parents=True)
    (build / "templates").mkdir()
    shutil.copyfile(paths.TEMPLATES_DIR / "questionnaire.typ", build / "templates" / "questionnaire.typ")
    for font in sorted(sarabun_dir().glob("*.ttf")) + list(pdf_font_files()):
        shutil.copyfile(font, build / "fonts" / font.name)
    docx = questionnaire_docx(q, reference_docx(build / "reference.docx"), build / "questionnaire.docx")
    source = build / "questionnaire.typ"
    source.write_text(questionnaire_typst(q, names), encoding="utf-8")
    pdf = build / "questionnaire.pdf"
    compile_typst(source, pdf, build, build / "fonts", epoch, "the questionnaire")
    return {p.name: p.read_bytes() for p in (docx, pdf)}
