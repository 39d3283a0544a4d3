"""Rendering the write-up (HTML, DOCX, PDF) from a run folder: ``phanat render``.

Two steps:

1. :func:`prepare_build` makes ``<run>/report/_build/<language>/`` (never the source tree) with
   the document templates, and :func:`prepare_sources` reads only the run folder
   (``results.json``, figures and the copied narrative file) and writes its ``_generated/``:
   one Markdown fragment per section of the award form, ``metadata.yml``, the figures, the
   fonts, a CSS file and a DOCX reference document. ``writeup.qmd`` includes the fragments.
2. Quarto renders the build folder's ``writeup.qmd`` (with ``reports/_quarto.yml`` copied
   beside it) when ``quarto`` is on PATH; otherwise the same
   sources go through pandoc (``pypandoc-binary``) and Typst (``typst`` package), with
   ``reports/templates/crossref.lua`` numbering tables and figures (ตารางที่ / ภาพที่).

Outputs carry a fixed creation time (the run's last submission), so the same results give
the same documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from analysis import paths
from analysis.config.study import BE_OFFSET, read_yaml
from analysis.errors import PhanatError
from analysis.numbers import format_number as fmt
from analysis.report.citations import cite, reference_list
from analysis.report.fonts import FAMILY, pdf_font_files, sarabun_dir
from analysis.report.reporting import (
    accepted_losses_text,
    act_sentence,
    cfa_loadings_table_md,
    criterion_note,
    dimension_table_md,
    figure_md,
    group_sentence_th,
    group_table_md,
    ioc_sentence_th,
    item_analysis_table_md,
    item_findings_th,
    item_labels,
    item_table_md,
    join_list,
    markdown_table,
    number_or_dash,
    number_text,
    p_text,
    pdca_findings_th,
    pdca_note,
    pdca_table_md,
    reliability_coefficients_table_md,
    reliability_intervals_table_md,
    reliability_note,
    reliability_sentence_th,
    reliability_table_md,
    reliability_warning_text,
    sample_table_md,
    scale_names,
    software_text,
    statistics_used,
)
from analysis.report.thai_text import HTML_CSS, break_json
from analysis.report.wordfile import finish_docx
from analysis.results.store import fix_zip_timestamps, load_results, write_text_atomic

FORMATS = ("html", "docx", "pdf")
INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")
THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
SYNTHETIC_NOTICE = "ข้อมูลสังเคราะห์เพื่อการสาธิต ไม่ใช่ข้อมูลจริง (synthetic demonstration data)"


def thai_date(day: dt.date, era: str = "BE") -> str:
    """``21 พฤศจิกายน 2569`` — day, Thai month and the year, Buddhist Era unless ``era="CE"``."""
    year = day.year + BE_OFFSET if era == "BE" else day.year
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {'' if era == 'BE' else 'ค.ศ. '}{year}"


def source_epoch(results: dict) -> int:
    """Creation time declared in the documents: ``SOURCE_DATE_EPOCH`` if set, else the
    run's last submission (UTC), so reruns on the same data give the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    last = results["meta"].get("last_submission")
    moment = dt.datetime.fromisoformat(last) if last else dt.datetime(2000, 1, 1)
    return int(moment.replace(tzinfo=dt.UTC).timestamp())


# --------------------------------------------------------------------------- sources
LANGUAGES = ("th", "en")
SYNTHETIC_NOTICE_EN = "Synthetic demonstration data, not real responses"


def to_write(key: str, where: str = "narrative", language: str = "th") -> str:
    """What an award-form section shows while its text is not written yet: the key to fill in,
    so that a draft never prints a bare heading and nothing reads as finished."""
    file = {"narrative": f"writeup.{language}.yaml", "study": "study.yaml"}[where]
    if language == "th":
        return f"*(ยังไม่ได้เขียน: กรอก `{key}` ใน {file})*"
    return f"*(not written yet: fill in `{key}` in {file})*"


def load_narrative(results_dir: Path, results: dict, language: str = "th") -> dict:
    """The narrative file copied into the run folder (``config/<writeup_file>``, or
    ``writeup_file_en`` for the English edition)."""
    key = "writeup_file" if language == "th" else "writeup_file_en"
    name = results["meta"].get(key)
    if not name:
        if language == "th":
            return {}
        raise PhanatError(
            "the English edition needs an English narrative: set writeup_file_en in the study config "
            "(see data/raw/example/writeup.en.yaml) and run phanat run again",
            file=results_dir / paths.RESULTS_DIR,
        )
    return read_yaml(results_dir / "config" / name)


def with_n(name: str, n: int) -> str:
    """``วงรอบที่ 2 (ปีงบประมาณ พ.ศ. 2564, n = 360)``: n inside the name's own parentheses."""
    return f"{name[:-1]}, n = {n:,})" if name.endswith(")") else f"{name} (n = {n:,})"


def group_word(groups: dict) -> str:
    """What the respondent groups are called in the text: the export's group column header
    when it is a short Thai word (สถานภาพ, ตำแหน่ง), else กลุ่ม."""
    column = str(groups.get("column") or "")
    return column if column and len(column) <= 20 and " " not in column else "กลุ่ม"


def results_section(results: dict, narrative: dict) -> str:
    """The results chapter: paragraph, tables, figures — every number from results.json."""
    desc, meta = results["descriptives"], results["meta"]
    names = scale_names(results)
    cycle = desc["cycle_name_th"]
    parts = [
        "## ผลการประเมินตามรูปแบบ" + (f" {meta['model_name']}" if meta.get("model_name") else ""),
        desc["paragraph_th"]
        + " ดัง[@tbl-results]"
        + (" [@fig-dimensions]" if desc.get("figures", {}).get("dimension_means") else "")
        + (" และ[@fig-radar]" if desc.get("figures", {}).get("dimension_radar") else ""),
        dimension_table_md(
            desc,
            caption=f"ค่าเฉลี่ย (x̄) ส่วนเบี่ยงเบนมาตรฐาน (S.D.) ระดับ และลำดับ จำแนกรายด้านและโดยภาพรวม ใน{cycle}",
        ),
        criterion_note(meta["criterion"], desc["overall"]),
        figure_md(
            desc.get("figures", {}),
            "dimension_means",
            f"ค่าเฉลี่ยรายด้าน ใน{with_n(cycle, desc['overall']['n'])}",
            "fig-dimensions",
        ),
        figure_md(
            desc.get("figures", {}),
            "dimension_radar",
            f"ค่าเฉลี่ยรายด้านในรูปแผนภูมิเรดาร์ ใน{cycle}",
            "fig-radar",
            75,
        ),
    ]
    parts += [
        "## รายละเอียดผลการประเมินรายข้อ",
        (item_findings_th(desc) or "ผลการประเมินรายข้อ จำแนกตามด้าน")
        + " ดัง[@tbl-items]"
        + (" และ[@fig-answers]" if desc.get("figures", {}).get("answers_per_item") else ""),
        item_table_md(desc, caption=f"ค่าเฉลี่ย (x̄) ส่วนเบี่ยงเบนมาตรฐาน (S.D.) ระดับ และลำดับ รายข้อ ใน{cycle}"),
        criterion_note(meta["criterion"], desc["overall"], overall_row=False),
        figure_md(
            desc.get("figures", {}),
            "answers_per_item",
            f"ร้อยละของคำตอบแต่ละระดับ รายข้อ ใน{cycle}",
            "fig-answers",
            100,
        ),
    ]
    groups = desc.get("groups")
    if groups and groups.get("comparisons"):
        parts += [
            f"## ผลการเปรียบเทียบจำแนกตาม{group_word(groups)}ของผู้ตอบ",
            group_sentence_th(groups["comparisons"], names, group_word(groups)),
            group_table_md(
                groups["comparisons"],
                names,
                groups["labels_th"],
                caption=f"ค่าเฉลี่ย (x̄) และส่วนเบี่ยงเบนมาตรฐาน (S.D.) จำแนกตาม{group_word(groups)}ของผู้ตอบ "
                f"และผลการทดสอบความแตกต่าง ใน{cycle}",
            ),
        ]
    pdca = results.get("pdca")
    if pdca and pdca.get("comparisons"):
        cyc = {c["code"]: c["name_th"] for c in meta["cycles"]}
        before, after = cyc[pdca["before"]], cyc[pdca["after"]]
        short = (before.split(" (")[0], after.split(" (")[0])
        parts += [
            "## ผลการเปลี่ยนแปลงระหว่างวงรอบ PDCA",
            f"การเปรียบเทียบค่าเฉลี่ยระหว่าง{before} และ{after} กรณีผู้ตอบที่ตอบแบบสอบถามทั้งสองวงรอบ "
            "ใช้การทดสอบค่าทีแบบกลุ่มตัวอย่างไม่อิสระ (paired t-test) กรณีอื่นใช้ Welch's t-test "
            "และปรับค่า p ด้วยวิธีของ Holm (1979) ดัง[@tbl-pdca]"
            + (" และ[@fig-cycles] " if pdca.get("figures", {}).get("cycle_change") else " ")
            + "(ผลการทดสอบแบบไม่อิงพารามิเตอร์ Wilcoxon signed-rank test และ Mann–Whitney U test แสดงในภาคผนวก)",
            pdca_table_md(
                pdca, names, short, caption=f"การเปลี่ยนแปลงของค่าเฉลี่ยรายด้าน ระหว่าง{before} และ{after}"
            ),
            pdca_note(pdca),
            pdca_findings_th(pdca, names, short),
            figure_md(
                pdca.get("figures", {}),
                "cycle_change",
                f"ค่าเฉลี่ยรายด้านใน{before} และ{after} (ช่วงความเชื่อมั่น 95%)",
                "fig-cycles",
            ),
        ]
    parts += pdca_check_act_md(results)
    if narrative.get("impact"):
        parts += ["## ผลกระทบที่เกิดขึ้น", narrative["impact"].strip()]
    return "\n\n".join(p for p in parts if p) + "\n"


def creation_section(results: dict, narrative: dict) -> str:
    """How the innovation was created: the narrative, then the PDCA and system diagrams."""
    figures = (results.get("pdca") or {}).get("figures", {})
    lead = [f"[@{label}]" for key, label in (("system_theory", "fig-system"), ("pdca_cycle", "fig-pdca"))
            if figures.get(key)]  # fmt: skip
    parts = [
        narrative.get("creation", ""),
        f"การพัฒนารูปแบบตามทฤษฎีระบบและวงจรคุณภาพ PDCA แสดงดัง{' และ'.join(lead)}" if lead else "",
        figure_md(figures, "system_theory", "การพัฒนารูปแบบตามทฤษฎีระบบ (Input – Process – Output – Feedback)",
                  "fig-system", 90),
        figure_md(figures, "pdca_cycle", "วงจรคุณภาพ PDCA ที่ใช้ในแต่ละวงรอบ", "fig-pdca", 70),
    ]  # fmt: skip
    return "\n\n".join(p for p in parts if p)


def pdca_check_act_md(results: dict) -> list[str]:
    """Indicators against targets, rubric scores and the Act list (Thai)."""
    pdca = results.get("pdca") or {}
    report_cycle = results["descriptives"]["cycle"]
    cycle_name = results["descriptives"]["cycle_name_th"]
    parts: list[str] = []
    indicators = [r for r in pdca.get("indicators") or [] if r["cycle"] == report_cycle]
    if indicators:
        trend_th = {"improving": "ดีขึ้น", "declining": "ลดลง", "stable": "คงที่", "one cycle only": "–"}
        rows = [
            [
                r["name_th"],
                r["unit"],
                "–" if r["target"] is None else number_text(r["target"]),
                "–" if r["actual"] is None else number_text(r["actual"]),
                "–" if r["attainment_pct"] is None else f"{r['attainment_pct']:.1f}",
                {True: "บรรลุ", False: "ไม่บรรลุ"}.get(r["met"], r["note"] or "–"),
                trend_th.get(r["trend"], r["trend"]),
            ]
            for r in indicators
        ]
        met = sum(1 for r in indicators if r["met"])
        parts += [
            "## ผลการดำเนินงานตามตัวชี้วัด",
            f"ใน{cycle_name} บรรลุเป้าหมาย {met} ตัวชี้วัด จากทั้งหมด {len(indicators)} ตัวชี้วัด ดัง[@tbl-indicators]"
            + (" และ[@fig-attainment]" if (pdca.get("figures") or {}).get("indicator_attainment") else ""),
            markdown_table(
                ["ตัวชี้วัด", "หน่วย", "เป้าหมาย", "ผล", "ร้อยละของเป้าหมาย", "ผลการประเมิน", "แนวโน้ม"],
                rows,
                "llrrrcc",
                f"ผลการดำเนินงานเทียบกับเป้าหมายของตัวชี้วัด ใน{cycle_name}",
                "tbl-indicators",
                [30, 14, 11, 11, 11, 11, 12],
            ),
            figure_md(pdca.get("figures", {}), "indicator_attainment",
                      f"ร้อยละของการบรรลุเป้าหมายรายตัวชี้วัด ใน{cycle_name}", "fig-attainment", 90),
        ]  # fmt: skip
    rubrics = pdca.get("rubrics") or {}
    if rubrics.get("esa") or rubrics.get("milestones"):
        rows = [[r["name_th"], "ระดับคุณภาพ (มาตรฐาน สพท.)", str(r["level"]), r["note"] or r["description_th"]]
                for r in rubrics.get("esa", [])]  # fmt: skip
        rows += [
            [r["name_th"], "คะแนนตามขั้นความสำเร็จ", f"{r['score']:g}",
             r["note"] or (f"รวมคะแนนเพิ่ม {r['bonus']:g}" if r["bonus"] else f"ผ่าน {r['milestones_met']} ขั้น")]
            for r in rubrics.get("milestones", [])
        ]  # fmt: skip
        parts += [
            "## ผลการประเมินตามเกณฑ์การให้คะแนน",
            "ผลการประเมินตัวชี้วัดตามเกณฑ์การให้คะแนน แสดงดัง[@tbl-rubrics]",
            markdown_table(["ตัวชี้วัด", "เกณฑ์", "ผล", "คำอธิบาย"], rows, "llcl",
                           "ผลการประเมินตามเกณฑ์การให้คะแนน", "tbl-rubrics", [34, 22, 8, 36]),
        ]  # fmt: skip
    act = pdca.get("act") or []
    if act:
        labels = item_labels(results)
        parts += [
            "## ประเด็นที่ต้องปรับปรุงในวงรอบถัดไป (Act)",
            "\n".join(f"{a['priority']}. {act_sentence(a, 'th', labels.get(a['code'], ''))}" for a in act),
        ]
    return parts


def methods_section(results: dict) -> str:
    """How the evaluation was done: instrument, its validity and reliability, criterion,
    statistics and software — every number from results.json."""
    meta, desc = results["meta"], results["descriptives"]
    names = scale_names(results)
    scale = meta["scale"]
    n_items = sum(d["n_items"] for d in desc["dimensions"])
    parts = []
    sample = desc.get("sample")
    if sample:
        parts += [
            "## ประชากรและกลุ่มตัวอย่าง",
            sample["sentence_th"],
            sample_table_md(
                sample["table"], caption=f"ประชากร ผู้ตอบ และขนาดกลุ่มตัวอย่างที่ต้องการ ใน{desc['cycle_name_th']}"
            )
            if any(r.get("population") for r in sample["table"])
            else "",
            "\\* จำนวนผู้ตอบน้อยกว่าขนาดกลุ่มตัวอย่างที่กำหนด"
            if any(r.get("population") and not r.get("adequate_krejcie_morgan") for r in sample["table"])
            else "",
        ]
    parts.append(accepted_losses_text(results.get("cleaning") or {}))
    parts += [
        "## เครื่องมือที่ใช้ในการประเมิน",
        f"{meta.get('instrument_th', 'แบบสอบถาม')} "
        + f"จำนวน {n_items} ข้อ "
        + f"ครอบคลุม {len(desc['dimensions'])} ด้าน เป็นมาตราส่วนประมาณค่า {scale['max'] - scale['min'] + 1} ระดับ "
        + f"({join_list([p['th'] for p in scale['points']], 'th')})",
    ]
    rel = results.get("reliability")
    if rel:
        if rel.get("ioc"):
            parts.append(ioc_sentence_th(rel["ioc"]))
        if rel.get("scales"):
            cycle = desc["cycle_name_th"]
            parts += [
                reliability_sentence_th(rel),
                reliability_table_md(rel, names, caption=f"ค่าความเชื่อมั่นของแบบสอบถามรายด้าน ใน{cycle}"),
                reliability_note(rel),
            ]
        for code in rel.get("warning_codes") or []:
            parts.append(f"ข้อควรระวัง: {reliability_warning_text(code, names)}")
        if rel.get("cfa"):
            parts.append(rel["cfa"]["sentence_th"])
    criterion = meta["criterion"]
    parts += [
        "## เกณฑ์การแปลผล",
        f"แปลผลค่าเฉลี่ยตาม{criterion['name_th']}"
        + (f" {cite(criterion['reference'])}" if criterion.get("reference") else ""),
        "\n".join(f"- ค่าเฉลี่ย {b['min']:.2f}–{b['max']:.2f} หมายถึง ระดับ{b['th']}" for b in criterion["bands"]),
    ]
    parts += ["## สถิติที่ใช้ในการวิเคราะห์ข้อมูล", "\n".join(f"- {line}" for line in statistics_used(results))]
    parts.append("วิเคราะห์ข้อมูลด้วยชุดคำสั่ง phanat ซึ่งประมวลผลผ่านสมุดบันทึก Jupyter ที่รันซ้ำได้ (รุ่นของซอฟต์แวร์อยู่ในภาคผนวก)")
    return "\n\n".join(p for p in parts if p) + "\n"


def software_section(results: dict, language: str = "th") -> str:
    """The software versions of the run, for the appendix."""
    software = results["meta"].get("software", {})
    if not software:
        return ""
    if language == "th":
        return f"## ซอฟต์แวร์ที่ใช้\n\nวิเคราะห์ด้วย {software_text(software)}"
    return f"## Software\n\nAnalysed with {software_text(software)}."


def references_section(fragments: dict[str, str], results: dict, language: str = "th") -> str:
    """The reference list (บรรณานุกรม) of the works cited in the document's fragments."""
    extra = [
        results["meta"]["criterion"].get("reference", ""),
        (results.get("reliability") or {}).get("levels_reference", ""),
    ]
    return "\n\n".join(reference_list(list(fragments.values()), extra)) + "\n"


def appendix_section(results: dict) -> str:
    """Appendix: full reliability statistics, item analysis, CFA loadings."""
    names = scale_names(results)
    parts: list[str] = []
    cleaning = results.get("cleaning") or {}
    if cleaning:
        reasons = {
            "exact duplicate submission": "ฉบับที่ซ้ำกันทุกคำตอบ",
            "earlier submission by the same respondent in the cycle": (
                "ฉบับที่ผู้ตอบคนเดิมส่งซ้ำในวงรอบเดียวกัน (คงไว้เฉพาะฉบับล่าสุด)"
            ),
            "no respondent key": "ฉบับที่ไม่มีรหัสผู้ตอบ",
            "timestamp not readable": "ฉบับที่อ่านวันเวลาที่ส่งไม่ได้",
            "timestamp outside every cycle window": "ฉบับที่ส่งนอกช่วงเวลาของทุกวงรอบ",
            "cycle value not one of the study's cycles": "ฉบับที่ระบุวงรอบไม่ตรงกับที่กำหนด",
        }
        dropped = [
            f"{reasons.get(k, 'ฉบับที่ตอบไม่ครบตามเกณฑ์' if k.startswith('fewer than') else k)} {v:,} ฉบับ"
            for k, v in sorted(cleaning.get("dropped_by_reason", {}).items(), key=lambda kv: -kv[1])
        ]
        missing = cleaning["n_cells_set_missing"]
        parts += [
            "## การตรวจสอบและคัดกรองข้อมูล",
            f"ได้รับแบบสอบถามทั้งหมด {cleaning['n_raw']:,} ฉบับ "
            + (f"คัดออก {cleaning['n_dropped']:,} ฉบับ ได้แก่ {join_list(dropped, 'th')} " if dropped else "")
            + f"คงเหลือแบบสอบถามที่นำไปวิเคราะห์ {cleaning['n_kept']:,} ฉบับ "
            + (
                f"และมีคำตอบที่ไม่ตรงกับระดับของมาตราส่วนซึ่งกำหนดเป็นค่าสูญหาย {missing:,} คำตอบ"
                if missing
                else "โดยไม่มีคำตอบที่ต้องกำหนดเป็นค่าสูญหาย"
            )
            + " ทุกฉบับที่คัดออกบันทึกเหตุผลไว้ในบันทึกการคัดกรองข้อมูล",
        ]
    rel = results.get("reliability")
    if rel and rel.get("scales"):
        parts += [
            "## ค่าสถิติความเชื่อมั่นทั้งหมด",
            reliability_intervals_table_md(
                rel, names, caption="ค่าสัมประสิทธิ์แอลฟาของครอนบาคและช่วงความเชื่อมั่นร้อยละ 95 ตามวิธีต่าง ๆ"
            ),
            reliability_coefficients_table_md(rel, names, caption="ค่าสัมประสิทธิ์ความเชื่อมั่นแบบต่าง ๆ"),
            "หมายเหตุ: r̄ = ค่าเฉลี่ยของสหสัมพันธ์ระหว่างข้อ ค่าแลมบ์ดา-6 = Guttman's lambda-6 "
            "ค่าโอเมกา = McDonald's omega total จากโมเดลองค์ประกอบเดียว",
        ]
    if rel and rel.get("items"):
        parts += [
            "## การวิเคราะห์รายข้อ",
            item_analysis_table_md(rel["items"], names, caption="ค่าสถิติรายข้อ (item analysis)"),
        ]
    if rel and rel.get("cfa") and rel["cfa"].get("loadings"):
        parts += [
            "## การวิเคราะห์องค์ประกอบเชิงยืนยัน",
            "น้ำหนักองค์ประกอบมาตรฐานของข้อคำถามแต่ละข้อ แสดงดัง[@tbl-cfa]",
            cfa_loadings_table_md(rel["cfa"], names, caption="น้ำหนักองค์ประกอบมาตรฐาน (standardized loadings)"),
        ]
    pdca = results.get("pdca") or {}
    if pdca.get("comparisons"):

        def ci(r: dict, kind: str) -> str:
            low, high = r[f"{kind}_ci_low"], r[f"{kind}_ci_high"]
            return "–" if low is None else f"{fmt(low)}–{fmt(high)}"

        paired = [
            [names.get(r["scale"], r["scale"]), str(r["n_paired"]),
             number_or_dash(r["paired_mean_difference"]), ci(r, "paired"), number_or_dash(r["cohens_dz"]),
             p_text(r["wilcoxon_p"]), number_or_dash(r["rank_biserial_paired"])]
            for r in pdca["comparisons"]
        ]  # fmt: skip
        independent = [
            [names.get(r["scale"], r["scale"]), f"{r['n_before']}/{r['n_after']}",
             number_or_dash(r["difference"]), ci(r, "welch"), number_or_dash(r["hedges_g"]),
             p_text(r["mann_whitney_p"]), number_or_dash(r["rank_biserial"])]
            for r in pdca["comparisons"]
        ]  # fmt: skip
        parts += [
            "## สถิติการเปรียบเทียบระหว่างวงรอบ PDCA",
            markdown_table(
                ["ด้าน", "จำนวนคู่", "ผลต่างเฉลี่ย", "ช่วงความเชื่อมั่น 95%", "dz", "Wilcoxon p", "r (rank-biserial)"],
                paired, "lrrcrrr",
                "ผลการเปรียบเทียบค่าเฉลี่ยระหว่างวงรอบของผู้ตอบที่ตอบทั้งสองวงรอบ (paired t-test และ Wilcoxon "
                "signed-rank test)",
                "tbl-pdca-paired", [30, 8, 10, 17, 7, 12, 13],
            ),
            markdown_table(
                ["ด้าน", "จำนวน (ก่อน/หลัง)", "ผลต่างเฉลี่ย", "ช่วงความเชื่อมั่น 95% (Welch)", "Hedges' g",
                 "Mann–Whitney p", "r (rank-biserial)"],
                independent, "lrrcrrr",
                "ผลการเปรียบเทียบค่าเฉลี่ยระหว่างวงรอบ โดยใช้ผู้ตอบทั้งหมดของแต่ละวงรอบ (Welch's t-test "
                "และ Mann–Whitney U test)",
                "tbl-pdca-independent", [30, 11, 10, 17, 9, 12, 11],
            ),
        ]  # fmt: skip
    groups = results["descriptives"].get("groups") or {}
    posthoc = [(c["scale"], p) for c in groups.get("comparisons", []) for p in c["posthoc"]]
    if posthoc:
        labels = groups["labels_th"]
        rows = [
            [
                names.get(scale, scale),
                f"{labels.get(p['group_a'], p['group_a'])} – {labels.get(p['group_b'], p['group_b'])}",
                fmt(p["difference"]),
                f"{p['t']:.2f}",
                f"{p['df']:.1f}",
                p_text(p["p"]),
                fmt(p["hedges_g"]),
            ]
            for scale, p in posthoc
        ]
        parts += [
            "## การเปรียบเทียบรายคู่ระหว่างกลุ่ม (Games–Howell)",
            markdown_table(
                ["ด้าน", "คู่ที่เปรียบเทียบ", "ผลต่าง", "t", "df", "p", "Hedges' g"],
                rows,
                "llrrrrr",
                "การเปรียบเทียบรายคู่ระหว่างกลุ่มผู้ตอบแบบ Games–Howell",
                "tbl-posthoc",
                [26, 34, 9, 8, 8, 8, 9],
            ),
            "หมายเหตุ: ผลต่าง = ค่าเฉลี่ยของกลุ่มแรก − ค่าเฉลี่ยของกลุ่มหลังในคู่ที่เปรียบเทียบ ค่า g ของ Hedges มีทิศทางเดียวกัน",
        ]
    parts.append(software_section(results))
    return "\n\n".join(parts) + "\n" if parts else ""


def reference_docx(target: Path) -> Path:
    """A DOCX reference document: pandoc's default styles set for a Thai office's Word
    (TH Sarabun New, 16 pt body text, bold headings, upright captions; see
    :mod:`analysis.report.wordfile`)."""
    from docx import Document

    from analysis.report.wordfile import style_reference

    base = target.with_suffix(".default.docx")
    subprocess.run(
        [pandoc_path(), "-o", str(base), "--print-default-data-file", "reference.docx"], check=True
    )
    doc = Document(str(base))
    style_reference(doc)
    doc.save(str(target))
    base.unlink()
    fix_zip_timestamps(target)
    return target


def prepare_sources(
    results_dir: str | Path, reports_dir: str | Path = paths.REPORTS_DIR, language: str = "th"
) -> Path:
    """Write ``reports/_generated/`` from a run folder (see module docstring), for the Thai
    edition or (``language="en"``) the English one."""
    if language not in LANGUAGES:
        raise PhanatError(f"unknown language {language!r}: choose th or en")
    results_dir, reports_dir = Path(results_dir), Path(reports_dir)
    results = load_results(results_dir)  # every stage's section, validated (analysis.results.models)
    narrative = load_narrative(results_dir, results, language)
    meta = results["meta"]
    gen = reports_dir / "_generated"
    if gen.exists():
        shutil.rmtree(gen)
    (gen / "figures").mkdir(parents=True)
    for fig in sorted((results_dir / paths.FIGURES).glob("*.*")):
        shutil.copyfile(fig, gen / "figures" / fig.name)
    shutil.copytree(sarabun_dir(), gen / "fonts", ignore=shutil.ignore_patterns("*.json", "LICENSE"))
    for ttf in pdf_font_files():  # the PDF's font (Sarabun stays the fallback for x̄, Greek)
        shutil.copyfile(ttf, gen / "fonts" / ttf.name)
    synthetic = bool(meta.get("synthetic"))
    notice = SYNTHETIC_NOTICE if language == "th" else SYNTHETIC_NOTICE_EN
    fragments = {
        "notice": f"::: {{.data-notice}}\n**{notice}**\n:::\n" if synthetic else "",
        "award": narrative.get("award_name") or to_write("award_name"),
        "agency": meta.get("agency_th") or to_write("agency_th", "study"),
        "innovation": narrative.get("innovation_name")
        or meta.get("model_name")
        or to_write("innovation_name"),
        "creation": creation_section(results, narrative),
        "use": narrative.get("use") or to_write("use"),
        "methods": methods_section(results),
        "results": results_section(results, narrative),
        "appendix": appendix_section(results),
        "quote": f"> “{narrative['quote'].strip()}”" if narrative.get("quote") else to_write("quote"),
    }
    if language == "en":
        from analysis.report.writeup_en import english_fragments

        fragments |= english_fragments(results, narrative, gen)
    fragments["references"] = references_section(fragments, results, language)
    for name, text in fragments.items():
        write_text_atomic(gen / f"{name}.md", text.strip() + "\n")
    last = meta.get("last_submission")
    era = results["descriptives"].get("text_options", {}).get("year_era", "BE")
    if language == "th":
        date = f"ข้อมูล ณ วันที่ {thai_date(dt.date.fromisoformat(last[:10]), era)}" if last else ""
    else:
        date = f"Data as of {dt.date.fromisoformat(last[:10]):%d %B %Y}" if last else ""
    metadata = {
        "title": meta.get(f"title_{language}", ""),
        "subtitle": narrative.get("innovation_name", ""),
        "award-name": narrative.get("award_name", ""),
        "agency": meta.get(f"agency_{language}", ""),
        "date": date,
        "lang": language,
        "synthetic": synthetic,
        "synthetic-notice": notice if synthetic else "",
    }
    write_text_atomic(gen / "metadata.yml", yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True))
    css = [
        f"@font-face {{ font-family: '{FAMILY}'; src: url('fonts/Sarabun-{w}.ttf'); font-weight: {n}; }}"
        for w, n in (("Regular", 400), ("Bold", 700))
    ]
    css += [
        f"body {{ font-family: '{FAMILY}', sans-serif; font-size: 17px; line-height: 1.7; "
        "max-width: 56em; margin: auto; padding: 1em 2em; }",
        "table { border-collapse: collapse; margin: 1em 0; } "
        "th, td { border: 1px solid #999; padding: 0.25em 0.6em; }",
        ".data-notice { border: 2px solid #b03030; color: #b03030; padding: 0.5em 1em; }",
        "figure img { max-width: 100%; }",
        HTML_CSS,  # Thai words (analysis.report.thai_text) never break inside
    ]
    write_text_atomic(gen / "thai.css", "\n".join(css) + "\n")
    reference_docx(gen / "reference.docx")
    return gen


# --------------------------------------------------------------------------- engines
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def expand_includes(text: str, base: Path, depth: int = 0) -> str:
    """Replace Quarto ``{{< include file >}}`` shortcodes by the files' text."""
    if depth > 5:
        raise PhanatError("includes nested too deeply", file=base)

    def repl(match: re.Match) -> str:
        path = base / match.group(1)
        if not path.is_file():
            raise PhanatError("included file not found", file=path)
        return expand_includes(path.read_text(encoding="utf-8"), base, depth + 1)

    return INCLUDE.sub(repl, text)


def _pandoc(args: list[str], source: str, epoch: int) -> str:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    proc = subprocess.run([pandoc_path(), *args], input=source.encode("utf-8"), env=env, capture_output=True)
    if proc.returncode != 0:
        raise PhanatError(f"pandoc failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode("utf-8")


@contextlib.contextmanager
def _replaced_when_done(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target`` that replaces it (one rename) only if the block
    succeeds; on any failure (a full disk, a compile error, Ctrl-C) it is removed, so a
    failed render never leaves a truncated write-up and the previous one stays."""
    tmp = target.with_name(f".{target.stem}.partial{target.suffix}")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def read_ast(reports_dir: Path, stem: str = "writeup", epoch: int = 0) -> str:
    """pandoc's JSON AST of ``reports/<stem>.qmd`` (includes expanded, metadata merged,
    tables and figures numbered by ``crossref.lua``): the text every format is written from."""
    source = expand_includes((reports_dir / f"{stem}.qmd").read_text(encoding="utf-8"), reports_dir)
    reader = [
        "--from",
        "markdown",
        "--metadata-file",
        str(reports_dir / "_generated" / "metadata.yml"),
        "--lua-filter",
        str(paths.TEMPLATES_DIR / "crossref.lua"),
        "--to",
        "json",
    ]
    return _pandoc(reader, source, epoch)


def render_with_pandoc(
    reports_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    epoch: int,
    stem: str = "writeup",
    keep_whole: tuple[str, ...] = (),
    progress: Callable[[str], None] = lambda _message: None,
) -> list[Path]:
    """pandoc → HTML (self-contained), DOCX (reference doc) and Typst → PDF; *progress* hears
    each format's time.

    The Markdown is read once into pandoc's AST (with ``crossref.lua``); for HTML and Typst
    :mod:`analysis.report.thai_text` then marks where Thai lines may break (between words, never
    inside the names in ``keep_whole``)."""
    import typst

    gen = reports_dir / "_generated"
    ast = read_ast(reports_dir, stem, epoch)
    common = ["--from", "json", "--resource-path", str(reports_dir)]
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = []
    direct = {
        "html": ["--to", "html5", "--standalone", "--embed-resources", "--css", str(gen / "thai.css")],
        "docx": ["--to", "docx", "--reference-doc", str(gen / "reference.docx")],
    }
    for fmt_name, args in direct.items():
        if fmt_name in formats:
            start = time.perf_counter()
            target = out_dir / f"{stem}.{fmt_name}"
            text = break_json(ast, "html", keep_whole) if fmt_name == "html" else ast
            with _replaced_when_done(target) as tmp:
                _pandoc([*common, *args, "--output", str(tmp)], text, epoch)
                if fmt_name == "docx":
                    finish_docx(tmp)
            outputs.append(target)
            progress(f"  {fmt_name}: {time.perf_counter() - start:.1f} s")
    if "pdf" in formats:
        start = time.perf_counter()
        typ = reports_dir / f"{stem}.typ"
        _pandoc(
            [
                *common,
                "--to",
                "typst",
                "--wrap",
                "none",  # a line end in Typst markup is a space: it would split Thai words
                "--template",
                str(paths.TEMPLATES_DIR / "phanat.typ"),
                "--output",
                str(typ),
            ],
            break_json(ast, "typst", keep_whole),
            epoch,
        )
        target = out_dir / f"{stem}.pdf"
        with _replaced_when_done(target) as tmp:
            try:
                typst.compile(
                    str(typ),
                    output=str(tmp),
                    root=str(reports_dir),
                    font_paths=[str(gen / "fonts")],
                    ignore_system_fonts=True,
                    timestamp=epoch,
                )
            except Exception as exc:  # noqa: BLE001 - Typst reports its own errors as one text
                raise PhanatError(
                    f"Typst could not compile the PDF: {' '.join(str(exc).split())[:500]}", file=typ
                ) from None
        outputs.append(target)
        progress(f"  pdf: {time.perf_counter() - start:.1f} s")
    return outputs


def render_with_quarto(build: Path, out_dir: Path, formats: tuple[str, ...], stem: str) -> list[Path]:
    """``quarto render <stem>.qmd --to <format>`` inside the build folder (:func:`prepare_build`
    wrote its ``_quarto.yml`` and sources), one format at a time; outputs are copied to
    ``out_dir``."""
    to = {"html": "html", "docx": "docx", "pdf": "typst"}
    outputs = []
    for fmt_name in formats:
        proc = subprocess.run(
            ["quarto", "render", f"{stem}.qmd", "--to", to[fmt_name]],
            cwd=build,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise PhanatError(f"quarto render failed: {proc.stderr.strip().splitlines()[-1:]}", file=build)
        produced = build / "_output" / f"{stem}.{fmt_name}"
        out_dir.mkdir(parents=True, exist_ok=True)
        with _replaced_when_done(out_dir / produced.name) as tmp:
            shutil.copyfile(produced, tmp)
            if fmt_name == "docx":
                finish_docx(tmp)
        outputs.append(out_dir / produced.name)
    return outputs


def render(
    results: str | Path = paths.EXAMPLE_OUT,
    *,
    out_dir: str | Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    engine: str = "auto",
    progress: Callable[[str], None] = print,
    language: str = "th",
) -> list[Path]:
    """Render the write-up of a run folder; ``engine`` is ``auto``, ``quarto`` or ``pandoc``;
    ``language="en"`` renders the English edition (``writeup.en.*``)."""
    results_dir = Path(results).resolve()
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise PhanatError(f"unknown format(s) {unknown}: choose from {', '.join(FORMATS)}")
    out = Path(out_dir).resolve() if out_dir else results_dir / paths.REPORT
    stem = "writeup" if language == "th" else f"writeup.{language}"
    if engine == "auto":
        engine = "quarto" if shutil.which("quarto") else "pandoc"
    if engine == "quarto" and not shutil.which("quarto"):
        raise PhanatError("quarto is not on PATH: use --engine pandoc")
    build = prepare_build(results_dir, language)
    if engine == "quarto":
        progress(f"rendering with Quarto (quarto render {stem}.qmd in {build})")
        return render_with_quarto(build, out, formats, stem)
    progress("rendering without Quarto: pandoc " + _pandoc_version() + " + Typst (typst package)")
    results = load_results(results_dir)
    return render_with_pandoc(
        build, out, formats, source_epoch(results), stem, names_kept_whole(results), progress
    )


def build_dir(results_dir: str | Path, language: str = "th") -> Path:
    """Where a render of a run builds its sources: ``<run>/report/_build/<language>/``, never
    the source tree, so renders of two runs (or two editions) at once do not meet."""
    return Path(results_dir) / paths.REPORT / "_build" / language


def prepare_build(results_dir: str | Path, language: str = "th") -> Path:
    """A fresh build folder (:func:`build_dir`) with the document templates (``writeup.qmd``,
    ``writeup.en.qmd``, ``templates/``) and the sources :func:`prepare_sources` generates."""
    build = build_dir(results_dir, language)
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    for name in ("writeup.qmd", "writeup.en.qmd", "_quarto.yml"):
        shutil.copyfile(paths.REPORTS_DIR / name, build / name)
    shutil.copytree(paths.TEMPLATES_DIR, build / "templates")
    prepare_sources(results_dir, build, language=language)
    return build


def names_kept_whole(results: dict) -> tuple[str, ...]:
    """Names a Thai line must not split (each space-separated part stays whole): the agency
    and the model."""
    meta = results["meta"]
    return tuple(sorted({n for n in (meta.get("agency_th"), meta.get("model_name")) if n}))


def _pandoc_version() -> str:
    import pypandoc

    return pypandoc.get_pandoc_version()
