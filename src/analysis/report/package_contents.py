"""What a committee finds in the submission package besides the write-up: the questionnaire as
a document, tables with Thai headers, and a Thai read-me (``อ่านก่อน.txt``).

Words only (the report layer): the numbers come from the run folder as they are.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd

from analysis.config.codebook import Codebook
from analysis.report.messages import messages
from analysis.report.reporting import bare_dimension_name

README_FILE = "report/writeup.pdf"  # where the read-me tells a committee to start


def table_headers(language: str = "th") -> dict[str, str]:
    """Column name → header for the run's tables in a package (catalogue ``package.columns``)."""
    return dict(messages(language).get("package.columns"))


def with_headers(frame: pd.DataFrame, language: str = "th") -> pd.DataFrame:
    """A table with its column names in ``language`` (:func:`table_headers`); others unchanged."""
    headers = table_headers(language)
    names: dict[str, str] = {}
    for column in frame.columns:
        name = headers.get(column, column)
        names[column] = name if name not in names.values() else f"{name} ({column})"  # never twice
    return frame.rename(columns=names)


def dimension_heading(name: str, number: int, language: str = "th") -> str:
    """``ด้านที่ 1 การวางแผน`` / ``Part 1: Planning``: the dimension's name without the word the
    catalogue's ``names.dimension`` puts before it (a codebook may write ``ด้านการวางแผน``)."""
    return messages(language)(
        "package.questionnaire.dimension", number=number, name=bare_dimension_name(name, language)
    )


def questionnaire_markdown(codebook: Codebook, language: str = "th") -> str:
    """The questionnaire as respondents saw it: instructions, the rating scale (one line per
    point), and one table
    per dimension (item number, question, one column per scale point to tick); words from the
    catalogue's ``package.questionnaire``, names and questions from the codebook."""
    m = messages(language)
    points = sorted(codebook.points, key=lambda p: -p.value)
    title = getattr(codebook, f"instrument_{language}") or m("package.questionnaire.title")
    lines = [
        f"# {title}",
        "",
        m("package.questionnaire.instructions"),
        "",
        m("package.questionnaire.scale"),
        "",
        *(f"- {m('package.questionnaire.point', value=p.value, label=getattr(p, language))}" for p in points),
        "",
    ]
    header = [
        m("package.questionnaire.item"),
        m("package.questionnaire.question"),
        *(str(p.value) for p in points),
    ]
    for position, dim in enumerate(codebook.dimensions, start=1):
        lines += [f"## {dimension_heading(getattr(dim, f'name_{language}'), position, language)}", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|:--:|:" + "-" * 50 + "|" + "|".join(":-:" for _ in points) + "|")
        for number, item in enumerate(dim.items, start=1):
            cells = [
                str(number),
                getattr(item, f"text_{language}").replace("|", "\\|"),
                *("" for _ in points),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def readme_text(entries: list[str], meta: dict, language: str = "th") -> str:
    """``อ่านก่อน.txt``: what the package holds, folder by folder, every member under its folder
    (catalogue ``package.readme``, whose ``folders`` are folder or file-name prefixes; CRLF line
    ends for Notepad). A member no prefix of the catalogue describes is an error: the read-me
    lists everything and only what is there."""
    m = messages(language)
    described: dict[str, str] = m.get("package.readme.folders")
    unlisted = [e for e in entries if not any(e.startswith(prefix) for prefix in described)]
    if unlisted:
        raise ValueError(f"no folder of catalogue package.readme.folders describes {', '.join(unlisted)}")
    lines = [
        m("package.readme.title", title=meta.get(f"title_{language}") or m("package.readme.default_title"))
    ]
    if meta.get(f"agency_{language}"):
        lines.append(m("package.readme.agency", agency=meta[f"agency_{language}"]))
    if meta.get("synthetic"):
        lines.append(m("package.readme.synthetic"))
    lines += [
        "",
        m("package.readme.made_by"),
        m("package.readme.no_personal_data"),
        "",
        m("package.readme.contents"),
    ]
    for prefix, text in described.items():  # a folder and its members, or each file by itself
        members = [e for e in entries if e.startswith(prefix)]
        if prefix.endswith("/") and members:
            lines.append(m("package.readme.folder", folder=prefix, text=text))
            lines += [m("package.readme.member", name=e) for e in members]
        else:
            lines += [m("package.readme.folder", folder=e, text=text) for e in members]
    lines += ["", m("package.readme.start", file=README_FILE)]
    return "\r\n".join(lines) + "\r\n"


def package_timestamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The date every member of the zip carries: the documents' creation time
    (:func:`analysis.report.render.source_epoch`, the data's last submission), so the same data give
    the same zip and the dates a committee sees are the data's, not 1980."""
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second - moment.second % 2,
    )


def render_questionnaire(
    codebook: Codebook, build: Path, epoch: int, language: str = "th"
) -> dict[str, bytes]:
    """The questionnaire (:func:`questionnaire_markdown`) in ``language`` as DOCX and PDF
    (through the write-up's pandoc/Typst path and fonts), built in ``build``; returns
    {file name: bytes}."""
    import yaml

    from analysis import paths
    from analysis.report.fonts import pdf_font_files, sarabun_dir
    from analysis.report.render import reference_docx, render_with_pandoc

    if build.exists():
        shutil.rmtree(build)
    gen = build / "_generated"
    (gen / "fonts").mkdir(parents=True)
    shutil.copytree(paths.TEMPLATES_DIR, build / "templates")
    for font in sorted(sarabun_dir().glob("*.ttf")) + list(pdf_font_files()):
        shutil.copyfile(font, gen / "fonts" / font.name)
    # no title page and no title block: the questionnaire's first heading is its title
    metadata = {"title": "", "no-title-page": True, "lang": language, "synthetic": False, "date": "",
                "agency": "", "award-name": "", "subtitle": "", "synthetic-notice": ""}  # fmt: skip
    (gen / "metadata.yml").write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), "utf-8")
    (gen / "thai.css").write_text("", encoding="utf-8")
    reference_docx(gen / "reference.docx")
    (build / "questionnaire.qmd").write_text(questionnaire_markdown(codebook, language), encoding="utf-8")
    outputs = render_with_pandoc(build, build / "out", ("docx", "pdf"), epoch, "questionnaire")
    return {p.name: p.read_bytes() for p in outputs}
