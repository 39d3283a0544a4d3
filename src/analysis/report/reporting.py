"""Text and tables for the write-up, generated from the numbers in ``results.json``.

Everything here takes plain dicts as stored in ``results.json``, so the write-up can be
rebuilt from a run folder without recomputing anything. Numbers are printed rounded half up
to two decimals (:func:`analysis.numbers.format_number`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.numbers import format_number as fmt
from analysis.report.citations import cite, narrative_cite

# A CFA result as fitted (``analysis.stats.validity.CfaResult``): read by attribute only.
CfaResult = Any

SD_LABELS = {
    "sd_respondents": {
        "th": "ส่วนเบี่ยงเบนมาตรฐานของคะแนนเฉลี่ยรายบุคคล",
        "en": "S.D. of respondents' overall scores",
    },
    "sd_pooled": {"th": "ส่วนเบี่ยงเบนมาตรฐานของคำตอบทุกข้อรวมกัน", "en": "S.D. of all item answers pooled"},
}


def dimension_label(dim: dict, language: str = "th") -> str:
    """``ด้านการดำเนินการอย่างเท่าเทียม`` / ``the Parity dimension``."""
    return f"ด้าน{dim['name_th']}" if language == "th" else f"{dim['name_en']}"


def _ordered(dimensions: list[dict]) -> list[dict]:
    return sorted(dimensions, key=lambda d: (d["rank"], d.get("order", 0)))


def join_list(parts: list[str], language: str) -> str:
    """Items joined as the language lists them: Thai by spaces with และ before the last (no
    commas), English by commas with "and"."""
    if len(parts) == 1:
        return parts[0]
    if language == "th":
        return " ".join(parts[:-1]) + " และ" + parts[-1]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def results_paragraph_th(
    dimensions: list[dict], overall: dict, *, subject: str, sd_key: str = "sd_respondents"
) -> str:
    """The field's results sentence: overall level, mean and S.D., then the dimensions from
    the highest mean to the lowest (ties keep the codebook order and are said to be equal)."""
    parts = []
    ordered = _ordered(dimensions)
    for i, d in enumerate(ordered):
        tie = any(o is not d and o["rank"] == d["rank"] for o in ordered)
        parts.append(
            f"{dimension_label(d, 'th')} (x̄ = {fmt(d['mean'])})"
            + (" ซึ่งเท่ากับด้านก่อนหน้า" if tie and i > 0 and ordered[i - 1]["rank"] == d["rank"] else "")
        )
    return (
        f"{subject} โดยภาพรวมอยู่ในระดับ{overall['level_th']} "
        f"(x̄ = {fmt(overall['mean'])}, S.D. = {fmt(overall[sd_key])}) "
        f"เมื่อพิจารณาเป็นรายด้าน พบว่า{_level_counts(ordered)} "
        f"เรียงลำดับค่าเฉลี่ยจากมากไปน้อย ได้แก่ {join_list(parts, 'th')} ตามลำดับ"
    )


def _level_counts(dimensions: list[dict]) -> str:
    """``อยู่ในระดับมากที่สุด 4 ด้าน และระดับมาก 2 ด้าน`` (levels from the highest mean down);
    ``ทุกด้านอยู่ในระดับมากที่สุด`` when they share one level."""
    counts: dict[str, int] = {}
    for d in dimensions:
        counts[d["level_th"]] = counts.get(d["level_th"], 0) + 1
    if len(counts) == 1:
        return f"ทุกด้านอยู่ในระดับ{next(iter(counts))}"
    parts = [f"ระดับ{level} {n} ด้าน" for level, n in counts.items()]
    return "อยู่ใน" + " ".join(parts[:-1]) + " และ" + parts[-1]


def results_paragraph_en(
    dimensions: list[dict], overall: dict, *, subject: str, sd_key: str = "sd_respondents"
) -> str:
    """English equivalent of :func:`results_paragraph_th`."""
    parts = [f"{dimension_label(d, 'en')} (M = {fmt(d['mean'])})" for d in _ordered(dimensions)]
    return (
        f"{subject} was at the {overall['level_en']} level overall (M = {fmt(overall['mean'])}, "
        f"SD = {fmt(overall[sd_key])}). "
        f"From the highest mean to the lowest, the dimensions were: {join_list(parts, 'en')}."
    )


def markdown_table(
    header: list[str],
    rows: list[list[str]],
    align: str,
    caption: str = "",
    label: str = "",
    widths: list[int] | None = None,
) -> str:
    """A pandoc/Quarto pipe table; ``align`` has one of ``l c r`` per column; ``widths`` are
    relative column widths (pandoc reads them from the number of dashes); the caption line
    ``: caption {#tbl-label}`` makes it a numbered, cross-referenced table."""
    widths = widths or [10] * len(header)

    def rule(a: str, w: int) -> str:
        dashes = "-" * max(3, w)
        return {"l": ":" + dashes, "c": ":" + dashes + ":", "r": dashes + ":"}[a]

    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(rule(a, w) for a, w in zip(align, widths, strict=True)) + "|",
    ]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    if caption:
        lines += ["", f": {caption}" + (f" {{#{label}}}" if label else "")]
    return "\n".join(lines) + "\n"


PUBLICATION_HEADER = {"th": ["x̄", "S.D.", "ระดับ", "ลำดับ"], "en": ["Mean", "S.D.", "Level", "Rank"]}


def _bold(cells: list[str], on: bool) -> list[str]:
    return [f"**{c}**" if on and c not in ("", "–") else c for c in cells]


def dimension_rows(
    descriptives: dict, sd_key: str = "sd_respondents", language: str = "th"
) -> list[list[str]]:
    """Rows of the dimensions table (x̄, S.D., level, rank) and the overall row last."""
    lang = "th" if language == "th" else "en"
    rows = [
        [
            f"{d['order']}. {dimension_label(d, 'th')} ({d['name_en']})" if lang == "th" else d["name_en"],
            fmt(d["mean"]),
            fmt(d["sd"]),
            d[f"level_{lang}"],
            str(d["rank"]),
        ]
        for d in sorted(descriptives["dimensions"], key=lambda d: d["order"])
    ]
    ov = descriptives["overall"]
    rows.append(
        [
            "โดยภาพรวม" if lang == "th" else "Overall",
            fmt(ov["mean"]),
            fmt(ov[sd_key]),
            ov[f"level_{lang}"],
            "–",
        ]
    )
    return rows


def item_rows(descriptives: dict, language: str = "th") -> list[tuple[bool, list[str]]]:
    """Rows of the item table grouped under their dimension: (is_dimension_row, cells)."""
    lang = "th" if language == "th" else "en"
    dims = {d["dimension"]: d for d in descriptives["dimensions"]}
    rows, current, number = [], None, 0
    for it in descriptives["items"]:
        number += 1
        if it["dimension"] != current:
            current, number = it["dimension"], 1
            d = dims[current]
            label = dimension_label(d, "th") if lang == "th" else d["name_en"]
            rows.append((True, [label, fmt(d["mean"]), fmt(d["sd"]), d[f"level_{lang}"], str(d["rank"])]))
        reverse = {"th": " (ข้อความเชิงลบ กลับคะแนนแล้ว)", "en": " (negatively worded, reverse-scored)"}
        text = it[f"text_{lang}"] or it["text_th"]
        rows.append(
            (
                False,
                [
                    f"{number}. {text}{reverse[lang] if it['reverse'] else ''}",
                    fmt(it["mean"]),
                    fmt(it["sd"]),
                    it[f"level_{lang}"],
                    str(it["rank"]),
                ],
            )
        )
    return rows


def dimension_table_md(
    descriptives: dict,
    *,
    caption: str,
    label: str = "tbl-results",
    sd_key: str = "sd_respondents",
    language: str = "th",
) -> str:
    """x̄, S.D., ระดับ, ลำดับ per dimension and overall (Thai, or English)."""
    rows = dimension_rows(descriptives, sd_key, language)
    rows[-1] = _bold(rows[-1], True)
    first = "ด้าน" if language == "th" else "Dimension"
    return markdown_table(
        [first, *PUBLICATION_HEADER[language]], rows, "lrrcc", caption, label, [52, 10, 10, 16, 10]
    )


def item_table_md(descriptives: dict, *, caption: str, label: str = "tbl-items", language: str = "th") -> str:
    """x̄, S.D., ระดับ, ลำดับ per item, grouped by dimension (Thai, or English)."""
    rows = [_bold(cells, is_dim) for is_dim, cells in item_rows(descriptives, language)]
    first = "ข้อคำถาม" if language == "th" else "Item"
    return markdown_table(
        [first, *PUBLICATION_HEADER[language]], rows, "lrrcc", caption, label, [58, 9, 9, 14, 9]
    )


def criterion_note(
    criterion: dict, overall: dict, sd_key: str = "sd_respondents", *, overall_row: bool = True
) -> str:
    """The note printed under a results table: the criterion used and, for a table with an
    overall row, which S.D. that row shows."""
    other = "sd_pooled" if sd_key == "sd_respondents" else "sd_respondents"
    text = f"หมายเหตุ: แปลผลค่าเฉลี่ยตาม{criterion['name_th']}" + (
        f" {cite(criterion['reference'])}" if criterion.get("reference") else ""
    )
    if overall_row:
        text += (
            " S.D. โดยภาพรวมคำนวณจากคะแนนเฉลี่ยของผู้ตอบแต่ละคน "
            f"(หากคำนวณจากคำตอบทุกข้อรวมกัน S.D. = {fmt(overall[other])})"
            if sd_key == "sd_respondents"
            else f" S.D. โดยภาพรวมคือ{SD_LABELS[sd_key]['th']} "
            f"({SD_LABELS[other]['th']} = {fmt(overall[other])})"
        )
    return text


def _interval(low: float | None, high: float | None) -> str:
    return "–" if low is None else f"[{fmt(low)}, {fmt(high)}]"


def _range(low: float | None, high: float | None) -> str:
    return "–" if low is None else f"{fmt(low)}–{fmt(high)}"


def number_or_dash(x: float | None) -> str:
    """A number to two decimals, or a dash when it could not be computed."""
    return "–" if x is None else fmt(x)


def figure_md(
    figures: dict, name: str, caption: str, label: str, width: int = 95, folder: str = "_generated/figures"
) -> str:
    """A numbered figure (``figures`` maps a name to its saved files, as in results.json), or
    nothing when the stage did not make it."""
    figure = figures.get(name)
    if not figure:
        return ""
    return f"![{caption}]({folder}/{figure['png']}){{#{label} width={width}%}}"


def scale_names(results: dict, language: str = "th") -> dict[str, str]:
    """Dimension code → ``ด้าน…`` label (English: its English name), plus ``overall``."""
    dims = results["descriptives"]["dimensions"]
    if language == "th":
        return {d["dimension"]: f"ด้าน{d['name_th'].removeprefix('ด้าน')}" for d in dims} | {
            "overall": "โดยภาพรวม"
        }
    return {d["dimension"]: d["name_en"] for d in dims} | {"overall": "Overall"}


def item_labels(results: dict, language: str = "th") -> dict[str, str]:
    """Codes as a report names them: an item by its number within its dimension (``ข้อ 3
    ด้านการวางแผน`` / ``item 3 of Planning``), a dimension by its name."""
    names = scale_names(results, language)
    out = dict(names)
    counts: dict[str, int] = {}
    for item in results["descriptives"]["items"]:
        number = counts[item["dimension"]] = counts.get(item["dimension"], 0) + 1
        dim = names.get(item["dimension"], item["dimension"])
        out[item["item"]] = f"ข้อ {number} {dim}" if language == "th" else f"{number} of {dim}"
    return out


def english_label(row: dict, results: dict) -> str:
    """How the English edition names the subject of an Act priority."""
    if row["kind"] == "indicator":
        return row.get("name_en") or row["code"]
    return item_labels(results, "en").get(row["code"], row["code"])


def reliability_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability",
    language: str = "th",
) -> str:
    """Dimension, number of items, alpha with its 95% CI (method named in the header), omega
    total and the interpretation of alpha (Thai). Undefined alpha is said, with the reason."""
    rows = []
    for r in reliability["scales"]:
        name = names.get(r["scale"], r["scale"])
        if r["alpha"] is None:
            undefined = "ไม่สามารถคำนวณได้" if language == "th" else "not defined"
            rows.append([name, str(r["n_items"]), undefined, "–", alpha_undefined_text(r, language)])
            continue
        rows.append(
            [
                name,
                str(r["n_items"]),
                f"{fmt(r['alpha'])} {_interval(r['ci_low'], r['ci_high'])}",
                number_or_dash(r.get("omega_total")),
                r.get(f"interpretation_{language}", ""),
            ]
        )
    method = reliability["scales"][0]["ci_method"] if reliability["scales"] else ""
    header = {
        "th": ["ด้าน", "จำนวนข้อ", "ค่าสัมประสิทธิ์แอลฟา [ช่วงความเชื่อมั่นร้อยละ 95]", "ค่าโอเมกา", "การแปลผล"],
        "en": ["Dimension", "Items", f"Cronbach's alpha [95% CI, {method}]", "omega total", "Interpretation"],
    }[language]
    return markdown_table(
        header,
        rows,
        "lcccc",
        caption,
        label,
        [38, 10, 26, 12, 14],
    )


def reliability_note(reliability: dict) -> str:
    """The note under the reliability table: missing-data policy, bootstrap, interpretation."""
    policy = {"pairwise": "แบบรายคู่ (pairwise)", "listwise": "แบบตัดทั้งราย (listwise)"}
    text = (
        "หมายเหตุ: ช่วงความเชื่อมั่นคำนวณตามวิธีของ Feldt et al. (1987) "
        f"จัดการข้อมูลสูญหาย{policy.get(reliability['missing_policy'], reliability['missing_policy'])}"
    )
    if reliability.get("levels_reference"):
        text += f" แปลผลค่าความเชื่อมั่นตามเกณฑ์ของ {narrative_cite(reliability['levels_reference'])}"
    if reliability.get("n_boot"):
        text += (
            f" ส่วนช่วงความเชื่อมั่นแบบบูตสแตรป (แบบเปอร์เซ็นไทล์และแบบ BCa สุ่มซ้ำ {reliability['n_boot']:,} รอบ "
            f"กำหนดค่าเริ่มต้นการสุ่ม (seed) เท่ากับ {reliability['bootstrap_seed']}) แสดงในภาคผนวก"
        )
    return text


def reliability_intervals_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability-ci",
    language: str = "th",
) -> str:
    """Appendix: alpha with all three 95% intervals, each headed by its method."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_obs"]),
            number_or_dash(r["alpha"]),
            _range(r["ci_low"], r["ci_high"]),
            _range(r.get("boot_percentile_low"), r.get("boot_percentile_high")),
            _range(r.get("boot_bca_low"), r.get("boot_bca_high")),
        ]
        for r in reliability["scales"]
    ]
    return markdown_table(
        [
            "ด้าน" if language == "th" else "Dimension",
            "จำนวน" if language == "th" else "n",
            "ค่าแอลฟา" if language == "th" else "alpha",
            "Feldt",
            "บูตสแตรปแบบเปอร์เซ็นไทล์" if language == "th" else "bootstrap percentile",
            "บูตสแตรปแบบ BCa" if language == "th" else "bootstrap BCa",
        ],
        rows,
        "lrrccc",
        caption,
        label,
        [34, 8, 10, 16, 16, 16],
    )


def reliability_coefficients_table_md(
    reliability: dict,
    names: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-reliability-coef",
    language: str = "th",
) -> str:
    """Appendix: raw and standardized alpha, lambda-6, average inter-item r and omega total."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_items"]),
            number_or_dash(r["alpha"]),
            number_or_dash(r.get("std_alpha")),
            number_or_dash(r.get("lambda6")),
            number_or_dash(r.get("average_r")),
            number_or_dash(r.get("omega_total")),
        ]
        for r in reliability["scales"]
    ]
    return markdown_table(
        ["ด้าน", "จำนวนข้อ", "ค่าแอลฟา", "ค่าแอลฟาแบบมาตรฐาน", "ค่าแลมบ์ดา-6", "r̄", "ค่าโอเมกา"]
        if language == "th"
        else ["Dimension", "Items", "alpha", "std. alpha", "lambda-6", "r̄", "omega total"],
        rows,
        "lcrrrrr",
        caption,
        label,
        [34, 10, 10, 14, 12, 8, 12],
    )


def item_analysis_table_md(
    items: list[dict], names: dict[str, str], *, caption: str, label: str = "tbl-item-analysis"
) -> str:
    """Appendix: mean, S.D., corrected item-total r and alpha if deleted, per item (items by
    their number within their dimension, as the item table numbers them)."""
    rows, current, labels, number = [], None, {}, 0
    for it in items:
        if it["dimension"] != current:
            current, number = it["dimension"], 0
            rows.append([f"**{names.get(current, current)}**", "", "", "", "", ""])
        number += 1
        labels[it["item"]] = f"ข้อ {number}"
        rows.append(
            [
                labels.get(it["item"], it["item"]),
                str(it["n"]),
                number_or_dash(it["mean"]),
                number_or_dash(it["sd"]),
                number_or_dash(it["r_drop"]),
                number_or_dash(it["alpha_if_deleted"]),
            ]
        )
    return markdown_table(
        ["ข้อ", "จำนวน", "x̄", "S.D.", "สหสัมพันธ์ระหว่างข้อกับคะแนนรวมของข้ออื่นในด้าน (r)", "ค่าแอลฟาเมื่อตัดข้อนั้นออก"],
        rows,
        "lrrrrr",
        caption,
        label,
        [40, 8, 9, 9, 18, 16],
    )


def ioc_sentence_th(ioc: dict) -> str:
    """Content validity in the field's phrasing, naming items below the cut-off."""
    text = (
        f"ตรวจสอบความตรงเชิงเนื้อหาโดยผู้เชี่ยวชาญ {ioc['n_experts']} ท่าน "
        "ได้ค่าดัชนีความสอดคล้องระหว่างข้อคำถามกับวัตถุประสงค์ (Index of Item-Objective Congruence: IOC) "
        f"อยู่ระหว่าง {fmt(ioc['min'])}–{fmt(ioc['max'])} "
    )
    if ioc["flagged"]:
        text += f"ข้อที่มีค่า IOC ต่ำกว่า {fmt(ioc['cutoff'])} ได้แก่ {' '.join(ioc['flagged'])} ควรปรับปรุง"
    else:
        text += f"ซึ่งผ่านเกณฑ์ตั้งแต่ {fmt(ioc['cutoff'])} ขึ้นไปทุกข้อ"
    if ioc.get("not_rated"):
        text += f" (ข้อที่ไม่ได้ประเมิน: {', '.join(ioc['not_rated'])})"
    return text


TEST_NAMES_TH = {
    "paired t-test": "การทดสอบทีแบบไม่อิสระ (paired t-test)",
    "Welch t-test": "การทดสอบทีของ Welch",
    "Wilcoxon signed-rank test": "การทดสอบของ Wilcoxon (signed-rank)",
}


def number_text(value: float) -> str:
    """A register number as written: whole numbers with thousands separators, others to 2 dp."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def act_sentence(row: dict, language: str = "th", item_label: str = "") -> str:
    """One priority of the Act list as a sentence a director would sign, from its reason code
    and numbers (:func:`analysis.stats.pdca.act_priorities`); ``item_label`` names an item as the
    report numbers it (e.g. "ข้อ 3 ของด้านการวางแผน")."""
    reason, name, value = row["reason"], row["name_th"], row["value"]
    dim = name if name.startswith("ด้าน") else f"ด้าน{name}"
    if language == "th":
        if reason == "declined":
            test = TEST_NAMES_TH.get(row.get("test"), row.get("test"))
            return (
                f"ควรเร่งพัฒนา{dim} เนื่องจากค่าเฉลี่ยลดลงจากวงรอบก่อน {abs(value):.2f} "
                f"(p ปรับตามวิธีของ Holm = {row['p_holm']:.3f}, {test})"
            )
        if reason == "indicator_not_met":
            unit = row.get("unit") or ""
            if "ค่าเฉลี่ย" in unit:
                result = f"ค่าเฉลี่ย {number_text(row['actual'])} เทียบกับค่าเป้าหมาย {number_text(row['target'])}"
            else:
                result = (
                    f"ผลการดำเนินงาน {number_text(row['actual'])} {unit} เทียบกับค่าเป้าหมาย "
                    f"{number_text(row['target'])} {unit}"
                )
            return (
                f"ควรปรับปรุงการดำเนินงานเพื่อให้บรรลุตัวชี้วัด “{name}” เนื่องจากยังไม่บรรลุเป้าหมาย "
                f"({result} คิดเป็นร้อยละ {value:.1f} ของค่าเป้าหมาย)"
            )
        if reason == "lowest_dimension":
            return f"ควรพัฒนา{dim}เป็นลำดับแรก เนื่องจากมีค่าเฉลี่ยต่ำที่สุดเมื่อเทียบกับด้านอื่น (x̄ = {value:.2f})"
        if reason == "lowest_item":
            label = item_label or f"ข้อ {row['code']}"
            order = int(row.get("rank") or 1)
            rank = "ต่ำที่สุด" if order == 1 else f"ต่ำเป็นลำดับที่ {order} "
            tied = int(row.get("tied") or 0)
            together = f" ร่วมกับอีก {tied} ข้อ" if tied else ""
            return (
                f"ควรพัฒนาเรื่อง “{name}” ({label}) เนื่องจากมีค่าเฉลี่ย{rank}ในบรรดาข้อคำถามทั้งหมด"
                f"{together} (x̄ = {value:.2f})"
            )
        if reason == "weak_item":
            label = item_label or f"ข้อ {row['code']}"
            return (
                f"ควรทบทวนถ้อยคำของข้อคำถาม “{name}” ({label}) เนื่องจากมีสหสัมพันธ์กับข้ออื่นในด้านเดียวกันต่ำ "
                f"(r = {value:.2f} ต่ำกว่าเกณฑ์ {row['threshold']:.2f})"
            )
        return f"{name}: {reason}"
    label = item_label or row["code"]
    if reason == "declined":
        return (
            f"Strengthen {label}: its mean declined by {abs(value):.2f} "
            f"(Holm p = {row['p_holm']:.3f}, {row.get('test')})"
        )
    if reason == "indicator_not_met":
        unit = row.get("unit_en") or row.get("unit") or ""
        return (
            f"Improve “{label}”: target not met ({number_text(row['actual'])} against "
            f"{number_text(row['target'])} {unit}, {value:.1f}% of the target)"
        )
    if reason == "lowest_dimension":
        return f"Develop {label} first: the lowest mean of all dimensions (mean = {value:.2f})"
    if reason == "lowest_item":
        return f"Develop item {label}: among the lowest item means (mean = {value:.2f})"
    if reason == "weak_item":
        return (
            f"Review the wording of item {label}: weak item-rest correlation "
            f"(r = {value:.2f} < {row['threshold']:.2f})"
        )
    return f"{label}: {reason}"


LOSS_RULES = {
    "unknown_answer": (
        "คำตอบที่ไม่ตรงกับระดับใดของมาตราส่วน",
        "คำตอบ",
        "answers matching no scale point",
        "answers",
    ),
    "timestamp_unreadable": (
        "แถวที่อ่านวันเวลาที่ส่งแบบสอบถามไม่ได้",
        "แถว",
        "rows with an unreadable timestamp",
        "rows",
    ),
    "outside_cycles": ("แถวที่ส่งนอกช่วงเวลาของทุกวงรอบ", "แถว", "rows outside every cycle window", "rows"),
    "unknown_cycle": ("แถวที่ระบุวงรอบไม่ตรงกับวงรอบที่กำหนด", "แถว", "rows naming an unknown cycle", "rows"),
    "no_respondent_key": ("แถวที่ไม่มีรหัสผู้ตอบ", "แถว", "rows without a respondent key", "rows"),
    "incomplete": ("แถวที่ตอบไม่ครบตามเกณฑ์", "แถว", "rows answering too few items", "rows"),
    "unknown_group": ("แถวที่ระบุกลุ่มผู้ตอบไม่ตรงกับกลุ่มที่กำหนด", "แถว", "rows naming an unknown group", "rows"),
}


def accepted_losses_text(cleaning: dict, language: str = "th") -> str:
    """The methods' statement of cleaning losses above ``cleaning.max_loss`` that the run was
    told to accept (``phanat run --accept-losses``); empty when there are none."""
    over = [loss for loss in cleaning.get("losses") or [] if loss.get("over")]
    if not over:
        return ""
    threshold = 100 * (cleaning.get("rules") or {}).get("max_loss", 0.05)
    parts = []
    for loss in over:
        th, unit_th, en, unit_en = LOSS_RULES.get(loss["rule"], (loss["rule"], "", loss["rule"], ""))
        share = f"{100 * loss['share']:.1f}"
        if language == "th":
            parts.append(f"{th} {loss['count']:,} จาก {loss['of']:,} {unit_th} (ร้อยละ {share})")
        else:
            parts.append(f"{en}: {loss['count']:,} of {loss['of']:,} {unit_en} ({share}%)")
    if language == "th":
        return (
            f"ข้อควรระวัง: การทำความสะอาดข้อมูลตัดออกหรือกำหนดเป็นค่าสูญหายเกินเกณฑ์ร้อยละ {threshold:.0f} "
            f"ที่กำหนดไว้ ได้แก่ {' และ'.join(parts)} ผู้ประเมินยืนยันให้วิเคราะห์ต่อ "
            "ผลการวิเคราะห์จึงอาจไม่ครอบคลุมข้อมูลส่วนนี้"
        )
    return (
        f"Caution: cleaning removed or blanked more than the {threshold:.0f}% threshold "
        f"({'; '.join(parts)}); "
        "the evaluator chose to analyse the data nonetheless, so the results leave these out."
    )


ALPHA_UNDEFINED = {
    "th": {
        "fewer_than_two_items": "มีข้อคำถามน้อยกว่า 2 ข้อ",
        "fewer_than_three_respondents": "มีผู้ตอบน้อยกว่า 3 คน",
        "pair_without_common_answers": "มีข้อคำถามบางคู่ที่ตอบร่วมกันน้อยกว่า 2 คน",
        "no_item_varies": "ทุกข้อไม่มีความแปรปรวน",
        "total_does_not_vary": "คะแนนรวมไม่มีความแปรปรวน",
    },
    "en": {
        "fewer_than_two_items": "fewer than two items",
        "fewer_than_three_respondents": "fewer than three respondents",
        "pair_without_common_answers": "some pair of items has fewer than two common answers",
        "no_item_varies": "no item varies",
        "total_does_not_vary": "the total score does not vary",
    },
}


def alpha_undefined_text(row: dict, language: str = "th") -> str:
    """Why alpha is not defined for a scale, in words (from ``note_code``)."""
    text = ALPHA_UNDEFINED[language].get(row.get("note_code") or "")
    if text:
        return text
    return row.get("note", "").removeprefix("not defined: ")


def reliability_warning_text(code: list, names: dict[str, str], language: str = "th") -> str:
    """A reliability warning (code, scale, item(s), value) as a sentence."""
    kind, scale, item, value = code
    scale_name = names.get(scale, scale)
    if language == "th":
        texts = {
            "negative_item_rest_r": f"ข้อ {item} ใน{scale_name} มีสหสัมพันธ์กับข้ออื่นในด้านเดียวกันเป็นลบ "
            f"(r = {value:.2f}) ควรตรวจสอบว่าเป็นข้อคำถามเชิงลบที่ต้องกลับคะแนนหรือไม่",
            "zero_variance": f"ข้อ {item} ใน{scale_name} ไม่มีความแปรปรวน (ผู้ตอบทุกคนตอบเหมือนกัน)",
            "fewer_than_two_items": f"{scale_name} มีข้อคำถามน้อยกว่า 2 ข้อ จึงคำนวณค่าแอลฟาไม่ได้",
            "negative_loading": f"ข้อ {item} ใน{scale_name} มีน้ำหนักองค์ประกอบเป็นลบ "
            "ค่า omega คำนวณโดยกลับทิศข้อดังกล่าว (เช่นเดียวกับ psych::omega)",
        }
    else:
        texts = {
            "negative_item_rest_r": f"item {item} of {scale_name} correlates negatively with the rest "
            f"(r = {value:.2f}); check whether it should be reverse-keyed",
            "zero_variance": f"item {item} of {scale_name} has zero variance (everyone gave the same answer)",
            "fewer_than_two_items": f"{scale_name} has fewer than two items, so alpha is not defined",
            "negative_loading": f"{item} of {scale_name} load negatively on the single factor; omega total "
            "counts them reversed (as psych::omega does)",
        }
    return texts.get(kind, f"{kind} {scale} {item}")


def reliability_sentence_th(reliability: dict) -> str:
    """Whole-scale alpha with its interval and the range over dimensions."""
    scales = {r["scale"]: r for r in reliability["scales"]}
    overall = scales.get("overall")
    if not overall or overall["alpha"] is None:
        reason = f" เนื่องจาก{alpha_undefined_text(overall)}" if overall else ""
        return "ไม่สามารถคำนวณค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับได้" + reason
    dims = [r["alpha"] for k, r in scales.items() if k != "overall" and r["alpha"] is not None]
    text = (
        "ค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับ โดยวิธีหาค่าสัมประสิทธิ์แอลฟาของครอนบาค (Cronbach's alpha) "
        f"เท่ากับ {fmt(overall['alpha'])} (ช่วงความเชื่อมั่นร้อยละ 95 ตามวิธีของ Feldt อยู่ระหว่าง "
        f"{fmt(overall['ci_low'])}–{fmt(overall['ci_high'])})"
    )
    if overall.get("omega_total") is not None:
        text += f" ค่าสัมประสิทธิ์โอเมกาของ McDonald (omega total) เท่ากับ {fmt(overall['omega_total'])}"
    if dims:
        text += f" และค่าความเชื่อมั่นรายด้านอยู่ระหว่าง {fmt(min(dims))}–{fmt(max(dims))}"
    return text + " ดัง[@tbl-reliability]"


def cfa_loadings_table_md(cfa: dict, names: dict[str, str], *, caption: str, label: str = "tbl-cfa") -> str:
    """Standardized loadings of the CFA, per dimension."""
    rows, counts = [], {}
    for r in cfa["loadings"]:
        counts[r["dimension"]] = counts.get(r["dimension"], 0) + 1  # items by number within the dimension
        rows.append(
            [names.get(r["dimension"], r["dimension"]), f"ข้อ {counts[r['dimension']]}", fmt(r["std_loading"])]
        )
    return markdown_table(["ด้าน", "ข้อ", "น้ำหนักองค์ประกอบมาตรฐาน"], rows, "llr", caption, label, [50, 15, 30])


def pdca_findings_th(pdca: dict, names: dict[str, str], cycle_names: tuple[str, str]) -> str:
    """What the cycle comparison found, in words: the dimensions that rose or fell
    significantly (Holm-adjusted, .05) and the overall change."""
    rows = {r["scale"]: r for r in pdca["comparisons"]}
    dims = [r for code, r in rows.items() if code != "overall"]
    up = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "improved"]
    down = [names.get(r["scale"], r["scale"]) for r in dims if r["verdict"] == "declined"]
    before, after = cycle_names
    overall = rows.get("overall")
    parts = []
    if overall is not None and overall["verdict"] != "no clear change":
        word = "สูงกว่า" if overall["verdict"] == "improved" else "ต่ำกว่า"
        parts.append(f"ความคิดเห็นโดยภาพรวมใน{after} {word}{before} อย่างมีนัยสำคัญทางสถิติที่ระดับ .05")
    elif overall is not None:
        parts.append(f"ความคิดเห็นโดยภาพรวมใน{after} และ{before} ไม่แตกต่างกันอย่างมีนัยสำคัญทางสถิติ")
    if up and len(up) == len(dims):
        parts.append("และเพิ่มขึ้นอย่างมีนัยสำคัญทุกด้าน")
    elif up:
        parts.append(f"ด้านที่เพิ่มขึ้นอย่างมีนัยสำคัญ ได้แก่ {join_list(up, 'th')}")
    if down:
        parts.append(f"ด้านที่ลดลงอย่างมีนัยสำคัญ ได้แก่ {join_list(down, 'th')}")
    return "ผลการเปรียบเทียบ พบว่า " + " ".join(parts) if parts else ""


def item_findings_th(descriptives: dict) -> str:
    """The highest- and lowest-rated items in words, for the item table's lead-in."""
    items = [i for i in descriptives["items"] if i.get("mean") is not None]
    if len(items) < 2:
        return ""
    high = max(items, key=lambda i: i["mean"])
    low = min(items, key=lambda i: i["mean"])
    return (
        f"ผลการประเมินรายข้อ พบว่า ข้อที่มีค่าเฉลี่ยสูงที่สุด คือ “{high['text_th']}” (x̄ = {fmt(high['mean'])}) "
        f"ส่วนข้อที่มีค่าเฉลี่ยต่ำที่สุด คือ “{low['text_th']}” (x̄ = {fmt(low['mean'])})"
    )


def pdca_note(pdca: dict, language: str = "th") -> str:
    """The note under the cycle comparison table: which difference each test is about."""
    paired = [r for r in pdca["comparisons"] if r["test"] != "Welch t-test"]
    if not paired:
        return (
            "* ผลต่างของค่าเฉลี่ยผู้ตอบทั้งหมดของแต่ละวงรอบ (Welch's t-test)"
            if language == "th"
            else "* Difference of the means of all respondents of each cycle (Welch's t-test)."
        )
    n = max(r["n_paired"] for r in paired)
    if language == "th":
        return (
            "หมายเหตุ: ค่าเฉลี่ยของแต่ละวงรอบคำนวณจากผู้ตอบทั้งหมดของวงรอบนั้น "
            "ขนาดอิทธิพล dz ใช้กับการทดสอบแบบไม่อิสระ และ g ของ Hedges ใช้กับ Welch's t-test\n\n"
            f"\\* ผลต่างสำหรับการทดสอบแบบไม่อิสระ คำนวณจากผู้ตอบคนเดียวกันที่ตอบทั้งสองวงรอบ (ไม่เกิน {n:,} คน)"
        )
    return (
        "Note: each cycle's mean is of all its respondents. * For the paired tests the difference is "
        f"that of the respondents who answered in both cycles (up to {n:,}); dz goes with the paired tests, "
        "Hedges' g with Welch's t-test."
    )


def pdca_table_md(
    pdca: dict,
    names: dict[str, str],
    cycle_names: tuple[str, str],
    *,
    caption: str,
    label: str = "tbl-pdca",
    language: str = "th",
) -> str:
    """Mean per cycle, difference, the test used, Holm-adjusted p and the verdict."""
    verdict_th = {"improved": "เพิ่มขึ้น", "declined": "ลดลง", "no clear change": "ไม่เปลี่ยนแปลงอย่างมีนัยสำคัญ"}
    if language != "th":
        verdict_th = {k: k for k in verdict_th}
    rows = []
    for r in pdca["comparisons"]:
        p = r["p_holm"] if r["scale"] != "overall" else r["p"]
        paired = r["test"] != "Welch t-test"
        effect = r["cohens_dz"] if paired else r["hedges_g"]
        # the difference the reported test is about: of the paired respondents for a paired test
        difference = r["paired_mean_difference"] if paired else r["difference"]
        rows.append(
            [
                names.get(r["scale"], r["scale"]),
                fmt(r["mean_before"]),
                fmt(r["mean_after"]),
                fmt(difference),
                r["test"],
                "< .001" if p is not None and p < 0.001 else fmt(p, 3),
                fmt(effect),
                verdict_th[r["verdict"]],
            ]
        )
    return markdown_table(
        [
            "ด้าน",
            cycle_names[0],
            cycle_names[1],
            "ผลต่าง*",
            "สถิติที่ใช้",
            "p (Holm)",
            "ขนาดอิทธิพล (dz / g)",
            "ผลการเปลี่ยนแปลง",
        ]
        if language == "th"
        else [
            "Dimension",
            *cycle_names,
            "Difference*",
            "Test",
            "p (Holm)",
            "Effect size (dz / g)",
            "Verdict",
        ],
        rows,
        "lrrrlrrc",
        caption,
        label,
        [22, 10, 10, 8, 15, 8, 13, 14],
    )


# --------------------------------------------------------------------------- text options
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
BE_OFFSET_YEARS = 543


def to_thai_digits(text: str) -> str:
    """Arabic digits written as Thai digits (4.34 → ๔.๓๔), the style of many official papers."""
    return text.translate(THAI_DIGITS)


def format_year(ce_year: int, era: str = "BE", language: str = "th") -> str:
    """A year in the chosen era: ``พ.ศ. 2564`` / ``ค.ศ. 2021`` (Thai), ``B.E. 2564`` / ``2021``."""
    if era == "BE":
        return f"{'พ.ศ.' if language == 'th' else 'B.E.'} {ce_year + BE_OFFSET_YEARS}"
    return f"ค.ศ. {ce_year}" if language == "th" else str(ce_year)


def apply_text_options(text: str, thai_digits: bool) -> str:
    """The study's text options applied to a generated Thai paragraph."""
    return to_thai_digits(text) if thai_digits else text


# --------------------------------------------------------------------------- groups
def p_text(p: float | None) -> str:
    """p printed as the field does: ``< .001`` or three decimals."""
    if p is None:
        return "–"
    return "< .001" if p < 0.001 else f"{p:.3f}".removeprefix("0")


def p_relation(p: float | None) -> str:
    """``< .001`` or ``= 0.253``: p with its relation sign, for "p …" in text."""
    text = p_text(p)
    return text if text.startswith("<") or text == "–" else f"= {text}"


def group_table_md(
    comparisons: list[dict],
    names: dict[str, str],
    group_labels: dict[str, str],
    *,
    caption: str,
    label: str = "tbl-groups",
    language: str = "th",
) -> str:
    """Mean (S.D.) per group for each scale, the parametric test with its p and effect size,
    and Kruskal–Wallis p."""
    groups = comparisons[0]["groups"] if comparisons else []
    rows = []
    for c in comparisons:
        cells = [names.get(c["scale"], c["scale"])]
        by_group = {g: (m, s) for g, m, s in zip(c["groups"], c["means"], c["sds"], strict=True)}
        cells += [f"{fmt(by_group[g][0])} ({fmt(by_group[g][1])})" if g in by_group else "–" for g in groups]
        if c["p"] is None:
            cells += ["–", "–", p_text(c["kruskal_p"])]
        else:
            stat = "F" if c["test"] == "Welch's ANOVA" else "t"
            cells += [
                f"{stat} = {c['statistic']:.2f}, p {p_relation(c['p'])}",
                f"{c['effect_size']:.3f}",
                p_text(c["kruskal_p"]),
            ]
        rows.append(cells)
    test = next((c["test"] for c in comparisons if c["test"]), "Welch")
    effect = next((c["effect_size_name"] for c in comparisons if c["effect_size_name"]), "")
    effect = {"eta squared": "eta²"}.get(effect, effect)
    header = [
        "ด้าน" if language == "th" else "Dimension",
        *[f"{group_labels.get(g, g)} x̄ (S.D.)" for g in groups],
        test,
        effect,
        "Kruskal–Wallis p",
    ]
    widths = [22, *([15] * len(groups)), 18, 9, 10]
    return markdown_table(header, rows, "l" + "c" * (len(header) - 1), caption, label, widths)


def group_sentence_th(comparisons: list[dict], names: dict[str, str], group_word: str = "สถานภาพ") -> str:
    """Which scales differ between groups at .05 by the parametric test (with Kruskal–Wallis)."""
    tested = [c for c in comparisons if c["p"] is not None]
    if not tested:
        reasons = "; ".join(sorted({c["note"] for c in comparisons if c["note"]}))
        return f"ไม่ได้เปรียบเทียบระหว่างกลุ่ม ({reasons})" if reasons else ""
    test = tested[0]["test"]
    differ = [names.get(c["scale"], c["scale"]) for c in tested if c["p"] < 0.05]
    text = f"ผลการเปรียบเทียบความคิดเห็นจำแนกตาม{group_word}ของผู้ตอบ ด้วย {test} และ Kruskal–Wallis test พบว่า "
    if not differ:
        return (
            text + f"ผู้ตอบที่มี{group_word}ต่างกันมีความคิดเห็นทั้งโดยภาพรวมและรายด้านไม่แตกต่างกัน"
            "อย่างมีนัยสำคัญทางสถิติที่ระดับ .05 ดัง[@tbl-groups]"
        )
    return (
        text
        + f"{join_list(differ, 'th')} แตกต่างกันอย่างมีนัยสำคัญทางสถิติที่ระดับ .05 ดัง[@tbl-groups]"
        + " (การเปรียบเทียบรายคู่แบบ Games–Howell แสดงในภาคผนวก)"
    )


def sample_table_md(
    table: list[dict], *, caption: str, label: str = "tbl-sample", language: str = "th"
) -> str:
    """Population, responses, response rate and the required samples, per group and overall."""
    rows = []
    total = "รวม" if language == "th" else "Total"
    for r in table:
        name = r[f"label_{language}"] or (total if r["group"] == "overall" else r["group"])
        if r.get("population") is None:
            rows.append([name, "–", str(r["n"]), "–", "–", "–"])
            continue
        short = "*"
        rows.append(
            [
                name,
                f"{r['population']:,}",
                f"{r['n']:,}",
                f"{r['response_rate']:.2f}",
                f"{r['required_krejcie_morgan']:,}" + ("" if r["adequate_krejcie_morgan"] else short),
                f"{r['required_yamane']:,}" + ("" if r["adequate_yamane"] else short),
            ]
        )
    return markdown_table(
        [
            "กลุ่ม",
            "ประชากร",
            "ผู้ตอบ",
            "ร้อยละของประชากร",
            "ขนาดกลุ่มตัวอย่างตาม Krejcie และ Morgan",
            "ขนาดกลุ่มตัวอย่างตามสูตรของ Yamane (e = .05)",
        ]
        if language == "th"
        else ["Group", "Population", "Responses", "% of population", "Krejcie & Morgan", "Yamane (e = .05)"],
        rows,
        "lrrrrr",
        caption,
        label,
        [36, 12, 10, 10, 16, 16],
    )


def software_text(software: dict[str, str]) -> str:
    """``matplotlib 3.11.2, numpy 2.4.6, ...``: the run's software versions, sorted by name."""
    return ", ".join(f"{k} {v}" for k, v in sorted(software.items()))


STATISTICS_TEXT = {
    "descriptives": (
        "ร้อยละ ค่าเฉลี่ย (x̄) ส่วนเบี่ยงเบนมาตรฐาน (S.D.) มัธยฐาน และความเบ้ (Joanes & Gill, 1998)",
        "Percentages, mean (x̄), standard deviation (S.D.), median and skewness (Joanes & Gill, 1998)",
    ),
    "reliability": (
        "ค่าความเชื่อมั่นแบบสัมประสิทธิ์แอลฟาของครอนบาค (Cronbach, 1951) พร้อมช่วงความเชื่อมั่นของ "
        "Feldt et al. (1987) ค่าสัมประสิทธิ์โอเมกาของ McDonald (1999) และค่าแลมบ์ดา-6 ของ Guttman (1945)",
        "Cronbach's alpha (Cronbach, 1951) with Feldt's interval (Feldt et al., 1987), McDonald's omega "
        "total (McDonald, 1999) and Guttman's lambda-6 (Guttman, 1945)",
    ),
    "bootstrap": (
        "ช่วงความเชื่อมั่นแบบบูตสแตรป (percentile และ BCa; Efron & Tibshirani, 1993)",
        "Bootstrap intervals (percentile and BCa; Efron & Tibshirani, 1993)",
    ),
    "ioc": (
        "ดัชนีความสอดคล้อง IOC (Rovinelli & Hambleton, 1977)",
        "Index of item-objective congruence, IOC (Rovinelli & Hambleton, 1977)",
    ),
    "cfa": (
        "การวิเคราะห์องค์ประกอบเชิงยืนยัน โดยวิธีประมาณค่าความควรจะเป็นสูงสุด (Maximum Likelihood: ML) "
        "และดัชนี CFI TLI RMSEA และ SRMR (Hu & Bentler, 1999)",
        "Confirmatory factor analysis (ML) with CFI, TLI, RMSEA and SRMR (Hu & Bentler, 1999)",
    ),
    "groups": (
        "การเปรียบเทียบระหว่างกลุ่ม: Welch's ANOVA (Welch, 1951) หรือ Welch's t-test, Kruskal–Wallis test "
        "(Kruskal & Wallis, 1952) และการเปรียบเทียบรายคู่แบบ Games–Howell (Games & Howell, 1976)",
        "Group comparisons: Welch's ANOVA (Welch, 1951) or Welch's t-test, Kruskal–Wallis (Kruskal & Wallis, "
        "1952) and Games–Howell (Games & Howell, 1976)",
    ),
    "pdca": (
        "การเปรียบเทียบระหว่างวงรอบ PDCA: paired t-test, Wilcoxon signed-rank test (Wilcoxon, 1945), "
        "Welch's t-test, Mann–Whitney U test (Mann & Whitney, 1947), ขนาดอิทธิพล Cohen's dz (Cohen, 1988) "
        "Hedges' g (Hedges, 1981) และ rank-biserial r และการปรับค่า p ด้วยวิธีของ Holm (1979)",
        "PDCA cycle comparison: paired t-test, Wilcoxon (Wilcoxon, 1945), Welch's t-test, Mann–Whitney "
        "(Mann & Whitney, 1947), effect sizes Cohen's dz (Cohen, 1988) and Hedges' g (Hedges, 1981), "
        "rank-biserial r, Holm-adjusted p-values (Holm, 1979)",
    ),
}


def statistics_used(results: dict, language: str = "th") -> list[str]:
    """The statistics this run actually computed, one line each, for the methods section."""
    rel = results.get("reliability") or {}
    groups = (results.get("descriptives") or {}).get("groups") or {}
    used = {
        "descriptives": True,
        "reliability": bool(rel.get("scales")),
        "bootstrap": bool(rel.get("n_boot")),
        "ioc": bool(rel.get("ioc")),
        "cfa": bool(rel.get("cfa") and rel["cfa"].get("fitted")),
        "groups": any(c.get("p") is not None for c in groups.get("comparisons", [])),
        "pdca": bool((results.get("pdca") or {}).get("comparisons")),
    }
    index = 0 if language == "th" else 1
    return [STATISTICS_TEXT[key][index] for key, on in used.items() if on]


# --------------------------------------------------------------------------- CFA and sample sentences
def not_fitted_reason(result: CfaResult, language: str, names: dict[str, str] | None = None) -> str:
    """Why the CFA was not fitted, in Thai or English, from its reason code; ``names`` turns
    dimension codes into names."""
    names = names or {}
    v = [names.get(x, x) if isinstance(x, str) else x for x in result.reason_values]
    th = {
        "too_few_items": lambda: f"{' และ'.join(map(str, v))} มีข้อคำถามน้อยกว่า 2 ข้อ",
        "no_degrees_of_freedom": lambda: f"โมเดลมีองศาอิสระเท่ากับ {v[0]} จึงทดสอบความสอดคล้องของโมเดลไม่ได้",
        "too_few_responses": lambda: f"มีผู้ตอบครบทุกข้อเพียง {v[0]} คน น้อยกว่าจำนวนพารามิเตอร์ ({v[1]})",
        "no_variation": lambda: f"ข้อ {', '.join(map(str, v))} ไม่มีความแปรปรวน (ทุกคนตอบเหมือนกัน)",
        "estimation_failed": lambda: "การประมาณค่าไม่ลู่เข้า",
    }
    en = {
        "too_few_items": lambda: f"{', '.join(map(str, v))} have fewer than two items",
        "no_degrees_of_freedom": lambda: (
            f"the model has {v[0]} degrees of freedom, so its fit cannot be tested"
        ),
        "too_few_responses": lambda: f"only {v[0]} complete responses for {v[1]} parameters",
        "no_variation": lambda: f"no variation in {', '.join(map(str, v))}",
        "estimation_failed": lambda: "the estimation did not converge",
    }
    table = th if language == "th" else en
    if result.reason in table:
        return table[result.reason]()
    return result.note.removeprefix("not fitted: ")


def fit_sentence_en(result: CfaResult, names: dict[str, str] | None = None) -> str:
    """A plain sentence on fit against Hu & Bentler's (1999) cut-offs."""
    if not result.fitted:
        return (
            "The confirmatory factor analysis was not fitted: " + not_fitted_reason(result, "en", names) + "."
        )
    met = [k.upper() for k, ok in result.meets.items() if ok]
    missed = [k.upper() for k, ok in result.meets.items() if not ok]
    verdict = (
        "The model fits the data well"
        if not missed
        else "The model fits acceptably on " + ", ".join(met) + " but not on " + ", ".join(missed)
        if met
        else "The model does not fit the data"
    )
    return (
        f"{verdict}: chi-square({result.df}) = {result.chi2:.2f}, CFI = {result.cfi:.3f}, "
        f"TLI = {result.tli:.3f}, RMSEA = {result.rmsea:.3f} (90% CI {result.rmsea_ci_low:.3f}–"
        f"{result.rmsea_ci_high:.3f}), SRMR = {result.srmr:.3f} (cut-offs: CFI and TLI ≥ 0.95, "
        f"RMSEA ≤ 0.06, SRMR ≤ 0.08; Hu & Bentler, 1999; n = {result.n_obs} complete responses)."
    )


def fit_sentence_th(result: CfaResult, names: dict[str, str] | None = None) -> str:
    """The same sentence in Thai."""
    if not result.fitted:
        return "ไม่ได้วิเคราะห์องค์ประกอบเชิงยืนยัน เนื่องจาก" + not_fitted_reason(result, "th", names)
    missed = [k.upper() for k, ok in result.meets.items() if not ok]
    verdict = (
        "โมเดลการวัดมีความสอดคล้องกลมกลืนกับข้อมูลเชิงประจักษ์"
        if not missed
        else "โมเดลการวัดสอดคล้องกับข้อมูลเชิงประจักษ์บางส่วน (ดัชนี " + ", ".join(missed) + " ไม่ผ่านเกณฑ์)"
    )
    return (
        f"ผลการวิเคราะห์องค์ประกอบเชิงยืนยัน พบว่า{verdict} "
        f"(ค่าไค-สแควร์ = {result.chi2:.2f}, df = {result.df}, CFI = {result.cfi:.3f}, TLI = {result.tli:.3f}, "
        f"RMSEA = {result.rmsea:.3f} มีช่วงความเชื่อมั่นร้อยละ 90 อยู่ระหว่าง "
        f"{result.rmsea_ci_low:.3f}–{result.rmsea_ci_high:.3f}, SRMR = {result.srmr:.3f}; "
        f"จากผู้ตอบครบทุกข้อ {result.n_obs:,} คน) ตามเกณฑ์ของ Hu และ Bentler (1999) ได้แก่ "
        "CFI และ TLI ≥ 0.95 RMSEA ≤ 0.06 และ SRMR ≤ 0.08"
    )


def _returned_th(overall) -> str:
    """How many questionnaires came back: of those sent when the study says how many were
    sent, else as a share of the population (said as such, not as a return rate)."""
    sent = overall.get("sent")
    if sent is not None and not pd.isna(sent):
        return (
            f"ส่งแบบสอบถามไปยังกลุ่มตัวอย่าง {int(sent):,} ฉบับ ได้รับคืน {overall['n']:,} ฉบับ "
            f"คิดเป็นอัตราการตอบกลับร้อยละ {overall['return_rate']:.2f}"
        )
    if pd.isna(overall.get("population")):
        return f"ได้รับแบบสอบถามคืน {overall['n']:,} ฉบับ"
    return f"มีผู้ตอบแบบสอบถาม {overall['n']:,} คน คิดเป็นร้อยละ {overall['response_rate']:.2f} ของประชากร"


def adequacy_sentence_th(table: pd.DataFrame) -> str:
    """The sentence the methods section prints: the population and the required sizes, the
    questionnaires returned, the overall verdict, then (several groups) the groups whose
    responses fall short of their proportional share."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return _returned_th(overall) + " (ไม่ได้ระบุขนาดประชากร จึงไม่ได้ประเมินความเพียงพอของขนาดกลุ่มตัวอย่าง)"
    if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]:
        verdict = "จึงมีขนาดกลุ่มตัวอย่างเพียงพอตามเกณฑ์ทั้งสอง"
    elif overall["adequate_yamane"] or overall["adequate_krejcie_morgan"]:
        which = "Yamane" if overall["adequate_yamane"] else "Krejcie และ Morgan"
        verdict = f"จึงมีขนาดกลุ่มตัวอย่างเพียงพอตามเกณฑ์ของ {which} เท่านั้น"
    else:
        verdict = "จึงมีขนาดกลุ่มตัวอย่างไม่เพียงพอ ควรระมัดระวังในการสรุปผลไปยังประชากร"
    text = (
        f"ประชากรมีจำนวน {int(overall['population']):,} คน "
        f"ขนาดกลุ่มตัวอย่างที่กำหนดตามตารางของ Krejcie และ Morgan (1970) คือ "
        f"{overall['required_krejcie_morgan']:,} คน และตามสูตรของ Yamane (1967) ที่ระดับความคลาดเคลื่อน .05 "
        f"คือ {overall['required_yamane']:,} คน " + _returned_th(overall) + f" {verdict}"
    )
    groups = table[table["group"] != "overall"]
    if len(groups) and groups["population"].notna().all():
        text += " เมื่อจัดสรรขนาดกลุ่มตัวอย่างตามสัดส่วนประชากรของแต่ละกลุ่ม"
        short = [r["label_th"] for _, r in groups.iterrows() if not r["adequate_krejcie_morgan"]]
        if short:
            text += f" กลุ่ม{'และกลุ่ม'.join(short)}มีผู้ตอบน้อยกว่าขนาดที่จัดสรร จึงควรระมัดระวังในการสรุปผลรายกลุ่ม"
        else:
            text += " ทุกกลุ่มมีผู้ตอบครบตามขนาดที่จัดสรร"
    return text + " ดัง[@tbl-sample]"


def adequacy_sentence_en(table: pd.DataFrame) -> str:
    """English equivalent of :func:`adequacy_sentence_th`."""
    overall = table[table["group"] == "overall"].iloc[0]
    if pd.isna(overall.get("population")):
        return (
            f"{overall['n']:,} questionnaires were returned (no population size given, so adequacy "
            "is not assessed)."
        )
    verdict = (
        "adequate by both criteria"
        if overall["adequate_krejcie_morgan"] and overall["adequate_yamane"]
        else "adequate by one of the two criteria"
        if overall["adequate_krejcie_morgan"] or overall["adequate_yamane"]
        else "below both criteria"
    )
    text = (
        f"The sample is {verdict}: of a population of {int(overall['population']):,}, "
        f"{overall['n']:,} responded ({overall['response_rate']:.2f}%); Krejcie and Morgan's table "
        f"(Krejcie & Morgan, 1970) requires {overall['required_krejcie_morgan']:,} and Yamane's formula "
        f"with e = 0.05 (Yamane, 1967) {overall['required_yamane']:,}."
    )
    groups = table[table["group"] != "overall"]
    if len(groups) and groups["population"].notna().all():
        short = [
            r["label_en"] or r["label_th"] for _, r in groups.iterrows() if not r["adequate_krejcie_morgan"]
        ]
        text += " Allocated to the groups in proportion to their populations, " + (
            f"{', '.join(short)} fall short of their share." if short else "every group reaches its share."
        )
    return text
