"""Text and tables for the write-up, generated from the numbers in ``results.json``.

Everything here takes plain dicts as stored in ``results.json``, so the write-up can be
rebuilt from a run folder without recomputing anything. Numbers are printed rounded half up
to two decimals (:func:`analysis.interpretation.format_number`).
"""

from __future__ import annotations

from analysis.interpretation import format_number as fmt

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


def _join(parts: list[str], language: str) -> str:
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
            f"{dimension_label(d, 'th')} มีค่าเฉลี่ยเท่ากับ {fmt(d['mean'])}"
            + (" (เท่ากัน)" if tie and i > 0 and ordered[i - 1]["rank"] == d["rank"] else "")
        )
    sd_text = SD_LABELS[sd_key]["th"]
    return (
        f"{subject} โดยภาพรวมอยู่ในระดับ{overall['level_th']} "
        f"มีค่าเฉลี่ยเท่ากับ {fmt(overall['mean'])} {sd_text}เท่ากับ {fmt(overall[sd_key])} "
        f"เรียงลำดับค่าเฉลี่ยจากมากไปน้อย ได้แก่ {_join(parts, 'th')} ตามลำดับ"
    )


def results_paragraph_en(
    dimensions: list[dict], overall: dict, *, subject: str, sd_key: str = "sd_respondents"
) -> str:
    """English equivalent of :func:`results_paragraph_th`."""
    parts = [f"{dimension_label(d, 'en')} (mean {fmt(d['mean'])})" for d in _ordered(dimensions)]
    return (
        f"{subject} was at the {overall['level_en']} level overall, with a mean of "
        f"{fmt(overall['mean'])} and an {SD_LABELS[sd_key]['en']} of {fmt(overall[sd_key])}. "
        f"From the highest mean to the lowest, the dimensions were: {_join(parts, 'en')}."
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


def dimension_table_md(
    descriptives: dict, *, caption: str, label: str = "tbl-results", sd_key: str = "sd_respondents"
) -> str:
    """x̄, S.D., ระดับ, ลำดับ per dimension and overall (Thai)."""
    rows = [
        [
            f"{d['order']}. {dimension_label(d, 'th')} ({d['name_en']})",
            fmt(d["mean"]),
            fmt(d["sd"]),
            d["level_th"],
            str(d["rank"]),
        ]
        for d in sorted(descriptives["dimensions"], key=lambda d: d["order"])
    ]
    ov = descriptives["overall"]
    rows.append(
        ["**โดยภาพรวม**", f"**{fmt(ov['mean'])}**", f"**{fmt(ov[sd_key])}**", f"**{ov['level_th']}**", "–"]
    )
    return markdown_table(
        ["ด้าน", "x̄", "S.D.", "ระดับ", "ลำดับ"], rows, "lrrcc", caption, label, [52, 10, 10, 16, 10]
    )


def item_table_md(descriptives: dict, *, caption: str, label: str = "tbl-items") -> str:
    """x̄, S.D., ระดับ, ลำดับ per item, grouped by dimension (Thai)."""
    dims = {d["dimension"]: d for d in descriptives["dimensions"]}
    rows, current = [], None
    for it in descriptives["items"]:
        if it["dimension"] != current:
            current = it["dimension"]
            d = dims[current]
            rows.append(
                [
                    f"**{dimension_label(d, 'th')}**",
                    f"**{fmt(d['mean'])}**",
                    f"**{fmt(d['sd'])}**",
                    f"**{d['level_th']}**",
                    f"**{d['rank']}**",
                ]
            )
        mark = " (ข้อความเชิงลบ กลับคะแนนแล้ว)" if it["reverse"] else ""
        rows.append(
            [
                f"{it['item']} {it['text_th']}{mark}",
                fmt(it["mean"]),
                fmt(it["sd"]),
                it["level_th"],
                str(it["rank"]),
            ]
        )
    return markdown_table(
        ["ข้อคำถาม", "x̄", "S.D.", "ระดับ", "ลำดับ"], rows, "lrrcc", caption, label, [58, 9, 9, 14, 9]
    )


def criterion_note(criterion: dict, overall: dict, sd_key: str = "sd_respondents") -> str:
    """The note printed under every results table: criterion used and which S.D. is shown."""
    other = "sd_pooled" if sd_key == "sd_respondents" else "sd_respondents"
    return (
        f"หมายเหตุ: แปลผลค่าเฉลี่ยตาม{criterion['name_th']}"
        + (f" ({criterion['reference']})" if criterion.get("reference") else "")
        + f"; S.D. โดยภาพรวมในตารางคือ{SD_LABELS[sd_key]['th']}"
        + f" ({SD_LABELS[other]['th']} = {fmt(overall[other])})"
    )


def _interval(low: float | None, high: float | None) -> str:
    return "–" if low is None else f"[{fmt(low)}, {fmt(high)}]"


def _range(low: float | None, high: float | None) -> str:
    return "–" if low is None else f"{fmt(low)}–{fmt(high)}"


def _value(x: float | None) -> str:
    return "–" if x is None else fmt(x)


def reliability_table_md(
    reliability: dict, names: dict[str, str], *, caption: str, label: str = "tbl-reliability"
) -> str:
    """Dimension, number of items, alpha with its 95% CI (method named in the header), omega
    total and the interpretation of alpha (Thai). Undefined alpha is said, with the reason."""
    rows = []
    for r in reliability["scales"]:
        name = names.get(r["scale"], r["scale"])
        if r["alpha"] is None:
            rows.append([name, str(r["n_items"]), "ไม่สามารถคำนวณได้", "–", r["note"]])
            continue
        rows.append(
            [
                name,
                str(r["n_items"]),
                f"{fmt(r['alpha'])} {_interval(r['ci_low'], r['ci_high'])}",
                _value(r.get("omega_total")),
                r.get("interpretation_th", ""),
            ]
        )
    method = reliability["scales"][0]["ci_method"] if reliability["scales"] else ""
    return markdown_table(
        ["ด้าน", "จำนวนข้อ", f"Cronbach's alpha [ช่วงความเชื่อมั่น 95%, {method}]", "omega total", "การแปลผล"],
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
        f"หมายเหตุ: จัดการข้อมูลสูญหาย{policy.get(reliability['missing_policy'], reliability['missing_policy'])}"
    )
    if reliability.get("levels_reference"):
        text += f"; แปลผลค่าความเชื่อมั่นตามเกณฑ์ของ {reliability['levels_reference']}"
    if reliability.get("n_boot"):
        text += (
            f"; ช่วงความเชื่อมั่นแบบบูตสแตรป (percentile และ BCa, {reliability['n_boot']} ตัวอย่างซ้ำ, "
            f"seed {reliability['bootstrap_seed']}) อยู่ในภาคผนวก"
        )
    return text


def reliability_intervals_table_md(
    reliability: dict, names: dict[str, str], *, caption: str, label: str = "tbl-reliability-ci"
) -> str:
    """Appendix: alpha with all three 95% intervals, each headed by its method."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_obs"]),
            _value(r["alpha"]),
            _range(r["ci_low"], r["ci_high"]),
            _range(r.get("boot_percentile_low"), r.get("boot_percentile_high")),
            _range(r.get("boot_bca_low"), r.get("boot_bca_high")),
        ]
        for r in reliability["scales"]
    ]
    return markdown_table(
        ["ด้าน", "n", "alpha", "Feldt", "bootstrap percentile", "bootstrap BCa"],
        rows,
        "lrrccc",
        caption,
        label,
        [34, 8, 10, 16, 16, 16],
    )


def reliability_coefficients_table_md(
    reliability: dict, names: dict[str, str], *, caption: str, label: str = "tbl-reliability-coef"
) -> str:
    """Appendix: raw and standardized alpha, lambda-6, average inter-item r and omega total."""
    rows = [
        [
            names.get(r["scale"], r["scale"]),
            str(r["n_items"]),
            _value(r["alpha"]),
            _value(r.get("std_alpha")),
            _value(r.get("lambda6")),
            _value(r.get("average_r")),
            _value(r.get("omega_total")),
        ]
        for r in reliability["scales"]
    ]
    return markdown_table(
        ["ด้าน", "จำนวนข้อ", "alpha", "alpha มาตรฐาน", "lambda-6", "r̄", "omega total"],
        rows,
        "lcrrrrr",
        caption,
        label,
        [34, 10, 10, 14, 12, 8, 12],
    )


def item_analysis_table_md(
    items: list[dict], names: dict[str, str], *, caption: str, label: str = "tbl-item-analysis"
) -> str:
    """Appendix: mean, S.D., corrected item-total r and alpha if deleted, per item."""
    rows, current = [], None
    for it in items:
        if it["dimension"] != current:
            current = it["dimension"]
            rows.append([f"**{names.get(current, current)}**", "", "", "", "", ""])
        rows.append(
            [
                it["item"],
                str(it["n"]),
                _value(it["mean"]),
                _value(it["sd"]),
                _value(it["r_drop"]),
                _value(it["alpha_if_deleted"]),
            ]
        )
    return markdown_table(
        ["ข้อ", "n", "x̄", "S.D.", "r (ข้อกับข้ออื่นในด้าน)", "alpha เมื่อตัดข้อนี้"],
        rows,
        "lrrrrr",
        caption,
        label,
        [40, 8, 9, 9, 18, 16],
    )


def ioc_sentence_th(ioc: dict) -> str:
    """Content validity in the field's phrasing, naming items below the cut-off."""
    text = (
        f"ตรวจสอบความตรงเชิงเนื้อหาโดยผู้เชี่ยวชาญ {ioc['n_experts']} คน "
        f"ได้ค่าดัชนีความสอดคล้อง (IOC) ระหว่าง {fmt(ioc['min'])}–{fmt(ioc['max'])} "
    )
    if ioc["flagged"]:
        text += f"ข้อที่มีค่า IOC ต่ำกว่า {fmt(ioc['cutoff'])} ได้แก่ {', '.join(ioc['flagged'])} ควรปรับปรุง"
    else:
        text += f"ทุกข้อมีค่าตั้งแต่ {fmt(ioc['cutoff'])} ขึ้นไป ใช้ได้ทุกข้อ"
    if ioc.get("not_rated"):
        text += f" (ข้อที่ไม่ได้ประเมิน: {', '.join(ioc['not_rated'])})"
    return text


def reliability_sentence_th(reliability: dict) -> str:
    """Whole-scale alpha with its interval and the range over dimensions."""
    scales = {r["scale"]: r for r in reliability["scales"]}
    overall = scales.get("overall")
    if not overall or overall["alpha"] is None:
        return "ไม่สามารถคำนวณค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับได้" + (f" ({overall['note']})" if overall else "")
    dims = [r["alpha"] for k, r in scales.items() if k != "overall" and r["alpha"] is not None]
    text = (
        f"ค่าความเชื่อมั่นของแบบสอบถามทั้งฉบับ (Cronbach's alpha) เท่ากับ {fmt(overall['alpha'])} "
        f"(ช่วงความเชื่อมั่น 95% ตามวิธีของ Feldt {fmt(overall['ci_low'])}–{fmt(overall['ci_high'])})"
    )
    if overall.get("omega_total") is not None:
        text += f" ค่า omega total เท่ากับ {fmt(overall['omega_total'])}"
    if dims:
        text += f" รายด้านอยู่ระหว่าง {fmt(min(dims))}–{fmt(max(dims))}"
    return text


def cfa_loadings_table_md(cfa: dict, names: dict[str, str], *, caption: str, label: str = "tbl-cfa") -> str:
    """Standardized loadings of the CFA, per dimension."""
    rows = [
        [names.get(r["dimension"], r["dimension"]), r["item"], fmt(r["std_loading"])] for r in cfa["loadings"]
    ]
    return markdown_table(["ด้าน", "ข้อ", "น้ำหนักองค์ประกอบมาตรฐาน"], rows, "llr", caption, label, [50, 15, 30])


def pdca_table_md(
    pdca: dict, names: dict[str, str], cycle_names: tuple[str, str], *, caption: str, label: str = "tbl-pdca"
) -> str:
    """Mean per cycle, difference, the test used, Holm-adjusted p and the verdict (Thai)."""
    verdict_th = {"improved": "ดีขึ้น", "declined": "ลดลง", "no clear change": "ไม่เปลี่ยนแปลงชัดเจน"}
    rows = []
    for r in pdca["comparisons"]:
        p = r["p_holm"] if r["scale"] != "overall" else r["p"]
        effect = r["cohens_dz"] if r["test"] == "paired t-test" else r["hedges_g"]
        rows.append(
            [
                names.get(r["scale"], r["scale"]),
                fmt(r["mean_before"]),
                fmt(r["mean_after"]),
                fmt(r["difference"]),
                r["test"],
                "< .001" if p is not None and p < 0.001 else fmt(p, 3),
                fmt(effect),
                verdict_th[r["verdict"]],
            ]
        )
    return markdown_table(
        ["ด้าน", cycle_names[0], cycle_names[1], "ผลต่าง", "สถิติที่ใช้", "p (Holm)", "ขนาดอิทธิพล (d_z / g)", "ผล"],
        rows,
        "lrrrlrrc",
        caption,
        label,
        [23, 8, 8, 8, 17, 9, 13, 14],
    )
