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

CATALOGUE = Path(__file__).parent / "catalogue"


def table_headers(language: str = "th") -> dict[str, str]:
    """Column name → header for the run's tables in a package (``catalogue/table_headers.<lang>.yaml``)."""
    import yaml

    path = CATALOGUE / f"table_headers.{language}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def with_headers(frame: pd.DataFrame, language: str = "th") -> pd.DataFrame:
    """A table with its column names in ``language`` (:func:`table_headers`); others unchanged."""
    headers = table_headers(language)
    names: dict[str, str] = {}
    for column in frame.columns:
        name = headers.get(column, column)
        names[column] = name if name not in names.values() else f"{name} ({column})"  # never twice
    return frame.rename(columns=names)


def questionnaire_markdown(codebook: Codebook) -> str:
    """The questionnaire as respondents saw it: instructions, the rating scale, and one table
    per dimension (item number, question, one column per scale point to tick)."""
    points = sorted(codebook.points, key=lambda p: -p.value)
    legend = " ".join(f"{p.value} หมายถึง {p.th}" for p in points)
    lines = [
        f"# {codebook.instrument_th or 'แบบสอบถาม'}",
        "",
        "**คำชี้แจง** โปรดทำเครื่องหมาย ✓ ในช่องที่ตรงกับความคิดเห็นของท่านมากที่สุด เพียงช่องเดียวในแต่ละข้อ",
        "",
        f"ระดับความคิดเห็น: {legend}",
        "",
    ]
    for position, dim in enumerate(codebook.dimensions, start=1):
        name = dim.name_th if dim.name_th.startswith("ด้าน") else f"ด้าน{dim.name_th}"
        header = ["ข้อ", "ข้อคำถาม", *(str(p.value) for p in points)]
        lines += [f"## ตอนที่ {position} {name}", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|:--:|:" + "-" * 50 + "|" + "|".join(":-:" for _ in points) + "|")
        for number, item in enumerate(dim.items, start=1):
            cells = [str(number), item.text_th.replace("|", "\\|"), *("" for _ in points)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def readme_text(entries: list[str], meta: dict) -> str:
    """``อ่านก่อน.txt``: what the package holds, folder by folder, in Thai."""
    described = {
        "report/": "รายงานผลการประเมิน (PDF สำหรับพิมพ์และส่ง, DOCX สำหรับแก้ไข, HTML สำหรับเปิดในเว็บเบราว์เซอร์)",
        "figures/": "แผนภาพและแผนภูมิทั้งหมดในรายงาน ภาพละหนึ่งไฟล์ PDF (ภาพเวกเตอร์ ขยายได้ไม่แตก)",
        "tables/": "ตารางผลการวิเคราะห์ทั้งหมดในรูปแบบ Excel (XLSX) หัวตารางภาษาไทย",
        "instrument/": "แบบสอบถาม (DOCX และ PDF) รหัสคำถาม เกณฑ์การแปลผล และพจนานุกรมข้อมูล",
        "cleaning/": "สรุปการทำความสะอาดข้อมูล (จำนวนแถวที่ตัดออกและเหตุผล ไม่มีข้อมูลรายบุคคล)",
        "MANIFEST.json": "รายการไฟล์ทั้งหมดพร้อมค่า SHA-256 สำหรับตรวจสอบว่าไฟล์ไม่ถูกแก้ไข และรุ่นของซอฟต์แวร์",
    }
    title = meta.get("title_th") or "ผลการประเมิน"
    lines = [
        f"ชุดเอกสารประกอบการพิจารณา: {title}",
        f"หน่วยงาน: {meta['agency_th']}" if meta.get("agency_th") else "",
        "",
        "ชุดเอกสารนี้สร้างจากข้อมูลแบบสอบถามด้วยชุดคำสั่ง phanat ตัวเลขทุกค่าในรายงานคำนวณจากข้อมูลโดยตรง",
        "ไม่มีข้อมูลส่วนบุคคลของผู้ตอบ (ชื่อ อีเมล เบอร์โทรศัพท์ เลขประจำตัวประชาชน) และไม่มีข้อมูลรายบุคคล",
        "",
        "สิ่งที่อยู่ในชุดเอกสาร",
    ]
    if meta.get("synthetic"):
        lines.insert(2, "ข้อมูลสังเคราะห์เพื่อการสาธิต ไม่ใช่ข้อมูลจริง")
    for prefix, text in described.items():
        members = [e for e in entries if e.startswith(prefix) or e == prefix]
        if members:
            lines.append(f"- {prefix} {text}")
            lines += [f"    {m}" for m in members if m != prefix]
    lines += ["", "เริ่มอ่านจาก report/writeup.pdf"]
    return "\r\n".join(line for i, line in enumerate(lines) if line or i) + "\r\n"


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


def render_questionnaire(codebook: Codebook, build: Path, epoch: int) -> dict[str, bytes]:
    """The questionnaire as DOCX and PDF (through the write-up's pandoc/Typst path and fonts),
    built in ``build``; returns {file name: bytes}."""
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
    metadata = {"title": codebook.instrument_th or "แบบสอบถาม", "lang": "th", "synthetic": False, "date": "",
                "agency": "", "award-name": "", "subtitle": "", "synthetic-notice": ""}  # fmt: skip
    (gen / "metadata.yml").write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), "utf-8")
    (gen / "thai.css").write_text("", encoding="utf-8")
    reference_docx(gen / "reference.docx")
    (build / "questionnaire.qmd").write_text(questionnaire_markdown(codebook), encoding="utf-8")
    outputs = render_with_pandoc(build, build / "out", ("docx", "pdf"), epoch, "questionnaire")
    return {p.name: p.read_bytes() for p in outputs}
