"""The whole path on a small synthetic study: export → notebooks → results → HTML, DOCX, PDF,
read back as a reader would (text of the PDF and the DOCX, fonts of the PDF)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.data.synthetic import write_example
from analysis.errors import PhanatError
from analysis.numbers import format_number
from analysis.report.figures import draw_figures
from analysis.report.render import SYNTHETIC_NOTICE, figures_dir, load_narrative, render
from analysis.report.reporting import adequacy_sentence, descriptives_paragraph
from analysis.report.thai_text import NBSP
from analysis.report.wordfile import WORD_FONT
from analysis.results.store import load_results
from analysis.run.runner import NOTEBOOKS, run_pipeline
from tests.conftest import copy_study_config
from tests.test_wordfile import check_pages, check_word_layout, letter_breaks, to_pdf

pytestmark = pytest.mark.e2e
HEADINGS = [
    "ชื่อรางวัล",
    "หน่วยงาน",
    "นวัตกรรมที่ทำให้ได้รับรางวัล",
    "กระบวนการสร้างนวัตกรรม",
    "การนำไปใช้",
    "วิธีดำเนินการประเมิน",
    "ผลลัพธ์และผลกระทบที่เกิดขึ้น",
    "คำคมที่ส่งต่อแรงบันดาลใจ",
    "บรรณานุกรม",
    "ภาคผนวก",
]


THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
REPEATED_CLUSTER = re.compile(f"([\u0e01-\u0e2e][{THAI_MARKS}]+)\\1+")
REPEATED_MARK = re.compile(f"([{THAI_MARKS}])\\1+")


def squash(text: str) -> str:
    """Text as compared in these tests, applied to both sides: no whitespace (PDF extraction
    breaks Thai lines at arbitrary places) and no repeated clusters of a Thai consonant with
    its marks: MuPDF reports some stacked clusters twice (``ขึ้ขึ้``) where poppler's pdftotext and
    the eye see them once."""
    text = re.sub(r"\s+", "", text)
    return REPEATED_MARK.sub(r"\1", REPEATED_CLUSTER.sub(r"\1", text))


def in_order(text: str, needles: list[str]) -> bool:
    """Each needle occurs after the previous one."""
    pos = 0
    for needle in needles:
        pos = text.find(squash(needle), pos)
        if pos < 0:
            return False
    return True


def small_study(base: Path, synthetic: bool) -> dict[str, Path]:
    study = base / "study"
    study.mkdir(parents=True)
    copy_study_config(study)
    settings = yaml.safe_load((study / "synthetic.yaml").read_text(encoding="utf-8"))
    settings["respondents"] = {"C1": 50, "C2": 60, "C3": 70, "in_both": 40}  # the example's three cycles
    (study / "synthetic.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    data = write_example(study / "synthetic.yaml")
    if not synthetic:  # the same bytes without the generator's sidecar count as real data
        Path(str(data) + ".synthetic.json").unlink()
    return {"data": data, "codebook": study / "codebook.yaml", "study": study / "study.yaml"}


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("synthetic")
    inputs = small_study(base, synthetic=True)
    out = base / "run"
    messages: list[str] = []
    run_pipeline(inputs["data"], inputs["codebook"], inputs["study"], out, progress=messages.append)
    outputs = render(out, progress=messages.append)
    return out, {p.suffix: p for p in outputs}, messages


def pdf_text(path: Path, body_only: bool = False) -> str:
    """The PDF's text; ``body_only`` leaves out the running footer (the blocks that start in the
    bottom 7% of a page), which a page break can otherwise put in the middle of a sentence."""
    import pymupdf

    with pymupdf.open(path) as doc:
        if not body_only:
            return "\n".join(page.get_text() for page in doc)
        return "\n".join(
            block[4]
            for page in doc
            for block in page.get_text("blocks", sort=True)
            if block[1] < page.rect.height * 0.93
        )


def test_run_folder_holds_every_stage(synthetic_run):
    out, _, messages = synthetic_run
    assert [m for m in messages if m.endswith("...")] == [
        f"[{i}/4] {n} ..." for i, n in enumerate(NOTEBOOKS, 1)
    ]
    for name in NOTEBOOKS:
        nb = nbformat.read(out / "notebooks" / name, as_version=4)
        assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    for rel in (
        "processed/responses_clean.csv",
        "logs/cleaning_log.csv",
        "tables/descriptives_dimensions.csv",
        "tables/reliability.csv",
        "tables/item_analysis.csv",
        "tables/sample_adequacy.csv",
        "tables/group_comparisons.csv",
        "tables/indicator_attainment.csv",
        "tables/act_priorities.csv",
        "tables/rubric_esa.csv",
        "tables/ioc.csv",
        "tables/pdca_comparison.csv",
    ):
        assert (out / rel).is_file(), rel
    # the run computes; figures and publication tables are drawn by the render, per language
    run_files = [p.relative_to(out) for p in out.rglob("*") if not p.is_relative_to(out / "report")]
    assert [p for p in run_files if p.suffix in (".png", ".svg", ".pdf", ".xlsx", ".md")] == []
    results = load_results(out)
    assert "figures" not in results["descriptives"] and "figures" not in results["pdca"]
    figures = ["answers_per_item", "cycle_change", "cycle_trend", "dimension_means", "dimension_radar",
               "indicator_attainment", "pdca_cycle", "system_theory"]  # fmt: skip
    # the write-ups embed PNGs; the PDF copies are the package's (drawn by phanat package)
    assert sorted(p.name for p in figures_dir(out, "th").glob("*.*")) == [f"{name}.png" for name in figures]
    processed = (out / "processed/responses_clean.csv").read_text(encoding="utf-8")
    assert "@" not in processed


def test_results_have_every_quoted_number(synthetic_run):
    out, _, _ = synthetic_run
    results = load_results(out)
    assert results["meta"]["synthetic"] is True
    cleaning = results["cleaning"]
    assert cleaning["n_raw"] == cleaning["n_kept"] + sum(cleaning["dropped_by_reason"].values())
    desc = results["descriptives"]
    assert desc["cycle"] == "C3" and desc["overall"]["n"] == cleaning["n_by_cycle"]["C3"] == 70
    for row in desc["items"] + desc["dimensions"]:
        assert {"mean", "sd", "level_th", "rank"} <= set(row) and row["mean"] is not None
    assert {"mean", "sd_respondents", "sd_pooled", "level_th"} <= set(desc["overall"])
    for row in desc["items"]:
        assert {"median", "skew", "pct_1", "pct_5"} <= set(row)
    assert desc["sample"]["table"][-1]["group"] == "overall" and adequacy_sentence(desc["sample"]["table"])
    assert len(desc["groups"]["comparisons"]) == 7
    scales = {r["scale"]: r for r in results["reliability"]["scales"]}
    assert set(scales) == {"PAR", "HAP", "ACC", "NET", "AST", "TEC", "overall"}
    assert all(r["alpha"] is not None for r in scales.values())
    for key in ("std_alpha", "lambda6", "average_r", "omega_total", "boot_bca_low", "interpretation_th"):
        assert all(r[key] not in (None, "") for r in scales.values()), key
    rel = results["reliability"]
    assert rel["missing_policy"] == "pairwise" and rel["n_boot"] == 2000
    assert len(rel["items"]) == 27 and rel["ioc"]["n_experts"] == 5
    # 70 respondents are too few for the 75 parameters of the six-factor model: said, not hidden
    assert not rel["cfa"]["fitted"] and rel["cfa"]["reason"] == "too_few_responses"
    assert rel["cfa"]["reason_values"] == [rel["cfa"]["n_obs"], 75]
    pdca = results["pdca"]
    assert len(pdca["comparisons"]) == 7
    for row in pdca["comparisons"]:
        assert (
            row["wilcoxon_p"] is not None
            and row["rank_biserial"] is not None
            and row["welch_ci_low"] is not None
        )
    assert pdca["act"] and all(a["reason"] and a["value"] is not None for a in pdca["act"])
    assert {r["indicator"] for r in pdca["indicators"]} >= {"SAT_PAR", "OSS_TIME", "FUNDS"}
    assert pdca["rubrics"]["milestones"][1]["score"] == 7


def test_each_stage_writes_its_own_typed_file_from_the_same_processed_data(synthetic_run):
    from analysis.data.reading import sha256_file
    from analysis.results.store import STAGES, read_run

    out, _, _ = synthetic_run
    assert sorted(p.name for p in (out / "results").iterdir()) == sorted(f"{s}.json" for s in STAGES)
    run = read_run(out)
    processed = sha256_file(out / paths.PROCESSED_CSV)
    assert {getattr(run, s).processed_sha256 for s in STAGES} == {processed}
    assert load_results(out) == run.sections()
    assert set(run.sections()) == {"meta", "cleaning", "suggestions", "reliability", "descriptives", "pdca"}
    part = load_results(out, stages=("clean", "descriptives"))  # what a notebook reads mid-run
    shown = ("meta", "cleaning", "suggestions", "descriptives")
    assert part == {k: v for k, v in run.sections().items() if k in shown}
    for stage in STAGES:  # sorted keys, no NaN, no time of the run
        text = (out / "results" / f"{stage}.json").read_text(encoding="utf-8")
        assert json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
        assert "NaN" not in text and "Infinity" not in text


def copy_of_run(synthetic_run, tmp_path: Path) -> Path:
    out = tmp_path / "run"
    shutil.copytree(synthetic_run[0], out, ignore=shutil.ignore_patterns("report", "notebooks", "figures"))
    return out


def set_processed_sha256(out: Path, stage: str, value: str) -> None:
    path = out / "results" / f"{stage}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["processed_sha256"] = value
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_mixed_run_is_refused_in_one_line_naming_the_files_and_the_fix(synthetic_run, tmp_path):
    out = copy_of_run(synthetic_run, tmp_path)
    for stage in ("descriptives", "pdca"):
        set_processed_sha256(out, stage, "0" * 64)
    for read in (load_results, lambda o: render(o, formats=("html",))):
        with pytest.raises(PhanatError, match="mixed run") as err:
            read(out)
        line = str(err.value)
        assert "\n" not in line and "run phanat run again" in line
        assert "results/descriptives.json, results/pdca.json" in line
        assert "results/reliability.json" not in line


def test_a_missing_stage_is_one_line(synthetic_run, tmp_path):
    out = copy_of_run(synthetic_run, tmp_path)
    (out / "results" / "reliability.json").unlink()
    with pytest.raises(PhanatError, match="results/reliability.json not found") as err:
        load_results(out)
    assert "\n" not in str(err.value) and "run phanat run again" in str(err.value)


def test_stage_4_refuses_stage_2_or_3_results_of_other_data(synthetic_run, tmp_path):
    from analysis.run.pipeline import load_context, load_processed, stage_pdca

    out = copy_of_run(synthetic_run, tmp_path)
    set_processed_sha256(out, "reliability", "0" * 64)
    config = out / "config"
    ctx = load_context(tmp_path / "no-data.csv", config / "codebook.yaml", config / "study.yaml", out)
    with pytest.raises(PhanatError, match="results/reliability.json were made from other processed data"):
        stage_pdca(ctx, load_processed(ctx))


def test_pdf_reads_right(synthetic_run):
    out, outputs, _ = synthetic_run
    results = load_results(out)
    desc = results["descriptives"]
    text = squash(pdf_text(outputs[".pdf"]))
    body = squash(pdf_text(outputs[".pdf"], body_only=True))  # sentences read across page breaks
    assert in_order(text, [*HEADINGS, "การวิเคราะห์รายข้อ"])
    assert (
        squash(
            f"โดยภาพรวมอยู่ในระดับ{desc['overall']['level_th']} (x̄ = "
            f"{format_number(desc['overall']['mean'])}, "
            f"S.D. = {format_number(desc['overall']['sd_respondents'])})"
        )
        in body
    )
    for dim in desc["dimensions"]:
        assert squash(f"ด้าน{dim['name_th']} (x̄ = {format_number(dim['mean'])})") in body
    assert squash("บรรณานุกรม") in text and squash("Cronbach, L. J. (1951). Coefficient alpha") in text
    assert text.index(squash("บรรณานุกรม")) < text.index(squash("Best, J. W. (1977)"))
    assert squash("(Best, 1977)") in text and squash("(Best, J. W. (1977)") not in text
    assert "ตารางที่1" in text and "ภาพที่1" in text
    reliability = results["reliability"]
    overall = next(r for r in reliability["scales"] if r["scale"] == "overall")
    assert squash(f"alpha) เท่ากับ {format_number(overall['alpha'])}") in text
    assert (
        squash("ค่าดัชนีความสอดคล้องระหว่างข้อคำถามกับวัตถุประสงค์ (Index of Item-Objective Congruence: IOC)") in text
    )
    assert "Feldt" in text
    assert squash("ไม่ได้วิเคราะห์องค์ประกอบเชิงยืนยัน เนื่องจาก") in text
    assert squash("ประเด็นที่ต้องปรับปรุงในวงรอบถัดไป (Act)") in text and squash("ผลการดำเนินงานตามตัวชี้วัด") in text
    assert squash("เนื่องจากมีค่าเฉลี่ยต่ำที่สุดเมื่อเทียบกับด้านอื่น (x̄ =") in text
    assert text.count(squash(SYNTHETIC_NOTICE)) >= 3  # title page, banner and every page footer


def test_pdf_fonts_are_embedded_norasi_and_sarabun_only(synthetic_run):
    import pymupdf

    _, outputs, _ = synthetic_run
    with pymupdf.open(outputs[".pdf"]) as doc:
        fonts = {(name, ext) for page in doc for (_, ext, _, name, _, _) in page.get_fonts()}
    assert fonts, "no fonts found"
    assert all(ext != "n/a" for _, ext in fonts), f"not embedded: {fonts}"  # n/a = not embedded
    families = {name.split("+")[-1].split("-")[0] for name, _ in fonts}
    # Sarabun: x̄ and ≥; Libertinus Serif (built into Typst): the Greek letters neither has (χ², η², ε²)
    assert "Norasi" in families and families <= {"Norasi", "Sarabun", "LibertinusSerif"}, fonts
    with pymupdf.open(outputs[".pdf"]) as doc:
        greek_font_text = "".join(
            span["text"]
            for page in doc
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if "Libertinus" in span["font"]
        )
    assert all("\u0370" <= c <= "\u03ff" for c in greek_font_text), greek_font_text


def test_docx_reads_right(synthetic_run):
    from docx import Document

    out, outputs, _ = synthetic_run
    results = load_results(out)
    doc = Document(str(outputs[".docx"]))
    heading1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heading1 == HEADINGS
    raw = "\n".join(p.text for p in doc.paragraphs)
    assert "x̄\u00a0=\u00a04." in raw and "x̄ = 4." not in raw  # a statistic held on one line
    body = raw.replace("\u00a0", " ")
    assert descriptives_paragraph(results, "th") in body
    assert len(doc.tables) >= 4
    headers = [["".join(c.text.split()) for c in t.rows[0].cells] for t in doc.tables]  # lines broken
    assert headers[0][:3] == ["กลุ่ม", "ประชากร", "ผู้ตอบ"]  # methods: sample adequacy comes first
    assert ["ด้าน", "จำนวนข้อ", "ค่าสัมประสิทธิ์แอลฟา[ช่วงความเชื่อมั่นร้อยละ95]"] in [h[:3] for h in headers]
    results_table = doc.tables[headers.index(next(h for h in headers if h[:3] == ["ด้าน", "x̄", "S.D."]))]
    assert format_number(results["descriptives"]["overall"]["mean"]) in results_table.rows[-1].cells[1].text
    assert SYNTHETIC_NOTICE in body
    assert doc.styles["Normal"].font.name == WORD_FONT  # Sarabun embedded as its alternate
    first = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert first.paragraph_format.page_break_before  # the title block is a page of its own
    assert all(s.footer.paragraphs[0].text == SYNTHETIC_NOTICE for s in doc.sections)  # on every page
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for table in doc.tables:  # a closing rule under every table, as in the PDF
        assert all(c._tc.find(f"{w}tcPr/{w}tcBorders/{w}bottom") is not None for c in table.rows[-1].cells)
    spans = [  # a dimension's name above its items is one cell across the table
        row._tr.find(f"{w}tc/{w}tcPr/{w}gridSpan").get(f"{w}val")
        for table in doc.tables
        for row in table.rows
        if row._tr.find(f"{w}tc/{w}tcPr/{w}gridSpan") is not None
    ]
    assert spans and all(int(n) > 1 for n in spans)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_docx_pages_in_libreoffice(synthetic_run, tmp_path):
    """The whole Thai DOCX as LibreOffice sets it: A4, page numbers, no number broken."""
    _, outputs, _ = synthetic_run
    check_pages(outputs[".docx"], to_pdf(outputs[".docx"], tmp_path))


def test_html_is_self_contained(synthetic_run):
    out, outputs, _ = synthetic_run
    html = outputs[".html"].read_text(encoding="utf-8")
    results = load_results(out)
    text = re.sub(r'<wbr>|<span class="thw">|</span>', "", html).replace("&nbsp;", " ").replace(NBSP, " ")
    assert squash(descriptives_paragraph(results, "th")) in squash(text)
    assert "ตารางที่ 1" in text and "ภาพที่ 1" in text
    assert 'src="_generated' not in html and "data:image/png;base64" in html
    assert "font/ttf" in html or "font/sfnt" in html or "application/octet-stream" in html


def test_rerender_gives_the_same_bytes(synthetic_run, tmp_path):
    out, outputs, _ = synthetic_run
    again = {p.suffix: p for p in render(out, out_dir=tmp_path, progress=lambda _m: None)}
    for suffix in (".pdf", ".docx", ".html"):
        assert again[suffix].read_bytes() == outputs[suffix].read_bytes(), suffix


def test_real_data_with_only_the_required_files(tmp_path):
    """Real data (no sidecar) and a study without any optional file: no expert ratings, no
    indicator register, no rubrics, no English narrative, no CFA, no bootstrap. Nothing says
    "synthetic", and the sections of the optional inputs are left out, not broken."""
    inputs = small_study(tmp_path, synthetic=False)
    config = yaml.safe_load(inputs["study"].read_text(encoding="utf-8"))
    for key in ("pdca", "writeup_file_en"):
        config.pop(key)
    config["validity"] = {"cfa": False}  # no ioc_file; the CFA (on by default) switched off
    config["reliability"] = {"n_boot": 0}
    inputs["study"].write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for name in ("ioc.csv", "indicators.yaml", "rubrics.yaml", "writeup.en.yaml"):
        (inputs["study"].parent / name).unlink()
    out = tmp_path / "run"
    run_pipeline(inputs["data"], inputs["codebook"], inputs["study"], out, progress=lambda _m: None)
    results = load_results(out)
    assert results["meta"]["synthetic"] is False
    outputs = {p.suffix: p for p in render(out, formats=("pdf", "html"), progress=lambda _m: None)}
    text = squash(pdf_text(outputs[".pdf"]))
    assert squash(SYNTHETIC_NOTICE) not in text
    assert "synthetic" not in outputs[".html"].read_text(encoding="utf-8").lower()
    assert "IOC" not in text and squash("ผลการดำเนินงานตามตัวชี้วัด") not in text
    assert squash("ผลการประเมินตามรูปแบบ") in text and squash("ประเด็นที่ต้องปรับปรุงในวงรอบถัดไป") in text
    assert results["reliability"]["ioc"] is None and results["reliability"]["cfa"] is None
    assert results["pdca"]["indicators"] is None and results["pdca"]["rubrics"] is None
    with pytest.raises(PhanatError, match="English edition needs an English narrative"):
        render(out, out_dir=tmp_path / "en", language="en", progress=lambda _m: None)


def test_failing_notebook_is_named_and_output_untouched(tmp_path):
    inputs = small_study(tmp_path, synthetic=True)
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    shutil.copyfile(paths.NOTEBOOKS_DIR / "01_clean.ipynb", nb_dir / "01_clean.ipynb")
    broken = nbformat.read(paths.NOTEBOOKS_DIR / "02_reliability.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise ValueError('broken on purpose')"))
    nbformat.write(broken, nb_dir / "02_reliability.ipynb")
    out = tmp_path / "run"
    with pytest.raises(
        PhanatError, match=r"notebook 02_reliability.ipynb failed in cell \d+ .*broken on purpose"
    ) as err:
        run_pipeline(
            inputs["data"],
            inputs["codebook"],
            inputs["study"],
            out,
            notebooks_dir=nb_dir,
            notebooks=("01_clean.ipynb", "02_reliability.ipynb"),
            progress=lambda _m: None,
        )
    assert not out.exists()
    assert (tmp_path / "run.failed" / "notebooks" / "02_reliability.ipynb").is_file()
    # the message names the folder that exists afterwards, not the .partial one
    assert str(err.value).endswith(str(tmp_path / "run.failed" / "notebooks" / "02_reliability.ipynb"))


# --------------------------------------------------------------------------- submission package
def test_submission_package_is_complete_reproducible_and_free_of_personal_data(synthetic_run, tmp_path):
    import hashlib
    import zipfile

    from analysis.config.codebook import load_codebook
    from analysis.data.privacy import EMAIL, NATIONAL_ID, PHONE
    from analysis.report.package import build_package, entry_texts
    from analysis.report.package_contents import code_names, table_headers, with_headers
    from analysis.results.store import xlsx_bytes

    out, outputs, _ = synthetic_run
    report_dir = outputs[".pdf"].parent
    first = build_package(out, tmp_path / "a.zip", report_dir)
    second = build_package(out, tmp_path / "b.zip", report_dir)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("MANIFEST.json"))
        for name in names - {"MANIFEST.json"}:
            data = z.read(name)
            assert manifest["files"][name] == hashlib.sha256(data).hexdigest()
            for text in entry_texts(name, data):  # the scan a committee's auditor would run
                for pattern in (EMAIL, PHONE, NATIONAL_ID):
                    assert not pattern.search(text), (name, pattern.pattern)
    assert {"report/writeup.pdf", "report/writeup.docx", "instrument/codebook.yaml",
            "instrument/data_dictionary.xlsx", "cleaning/cleaning_summary.json"} <= names  # fmt: skip
    assert any(n.startswith("figures/") and n.endswith(".pdf") for n in names)
    figures = [n for n in names if n.startswith("figures/")]
    assert all(n.endswith(".pdf") for n in figures)  # one vector file per figure, not three
    assert len(figures) == len({Path(n).stem for n in figures})
    assert any(n.startswith("tables/") and n.endswith(".xlsx") for n in names)
    assert not any(n.endswith("_en.xlsx") for n in names)  # the Thai package has Thai tables
    assert not any(n.endswith(".csv") or "processed" in n or "log" in n.split("/")[-1] for n in names)
    assert manifest["software"]["pandas"] and manifest["synthetic_data"] is True
    assert {"instrument/questionnaire.docx", "instrument/questionnaire.pdf"} <= names
    assert {"tables/publication_dimensions.xlsx", "tables/publication_items.xlsx"} <= names
    assert not any(n.startswith("report/") and n.endswith(".xlsx") for n in names)
    assert not any(n.startswith("report/writeup.en") for n in names)  # the Thai package
    # the figures are the Thai write-up's: one PDF for each PNG the render drew, in Thai
    rendered = sorted(p.stem for p in figures_dir(out, "th").glob("*.png"))
    assert sorted(Path(n).stem for n in names if n.startswith("figures/")) == rendered
    assert all(n.endswith(".pdf") for n in names if n.startswith("figures/"))
    with zipfile.ZipFile(first) as z:
        radar = entry_texts("figures/dimension_radar.pdf", z.read("figures/dimension_radar.pdf"))
    assert any("สังเคราะห์" in text for text in radar)
    with zipfile.ZipFile(first) as z:
        infos = z.infolist()
        readme = z.read("อ่านก่อน.txt").decode("utf-8-sig")
        reliability = entry_texts("tables/reliability.xlsx", z.read("tables/reliability.xlsx"))
        questionnaire = entry_texts("instrument/questionnaire.docx", z.read("instrument/questionnaire.docx"))
        pages = entry_texts("instrument/questionnaire.pdf", z.read("instrument/questionnaire.pdf"))
    assert infos[0].filename == "อ่านก่อน.txt" and "report/writeup.pdf" in readme and "แบบสอบถาม" in readme
    last = load_results(out)["meta"]["last_submission"]
    assert {i.date_time[:3] for i in infos} == {tuple(int(x) for x in last[:10].split("-"))}
    assert "ค่าแอลฟา" in reliability and "alpha" not in reliability  # Thai headers
    headers = table_headers("th")  # every column of every table has its Thai header
    columns = {c for path in (out / "tables").glob("*.csv") for c in pd.read_csv(path, nrows=0).columns}
    assert columns - set(headers) == set()
    with zipfile.ZipFile(first) as z:
        sheets = {n: z.read(n) for n in names if n.endswith(".xlsx")}
    assert not [problem for n, data in sheets.items() for problem in table_problems(n, data, "th")]
    codebook = load_codebook(out / "config" / "codebook.yaml")
    english = code_names(codebook, load_results(out)["meta"], "en")  # the English edition's tables
    for path in sorted((out / "tables").glob("*.csv")):
        table = with_headers(pd.read_csv(path, encoding="utf-8-sig"), "en", path.stem, english)
        assert not table_problems(path.name, xlsx_bytes({"t": table}), "en")
    assert "คำชี้แจง" in questionnaire[0] and "ด้านที่ 1" in questionnaire[0]
    assert "คำชี้แจง" in pages[0]  # no title page before the questions
    codebook = load_codebook(out / "config" / "codebook.yaml")  # items with the scale
    assert squash(questionnaire[0]).count(squash(codebook.instrument_th)) == 1  # the title once
    assert all(item.text_th in questionnaire[0] for item in codebook.items)
    assert all(point.th in questionnaire[0] for point in codebook.points)
    listed = {w for w in readme.split() if ("/" in w and not w.endswith("/")) or w == "MANIFEST.json"}
    assert listed == names - {"อ่านก่อน.txt"}  # every member listed, nothing listed that is absent


def table_problems(name: str, data: bytes, language: str) -> list[str]:
    """What a committee could not read in one XLSX of a package, read with openpyxl: a header
    given twice or left as the run's column name, a cell holding a code of the catalogue's
    code columns (``lowest_dimension``, ``ok``), a Python list (``['C1', 'C2']``) or a truth
    value (TRUE/FALSE) instead of words."""
    import io

    from openpyxl import load_workbook

    from analysis.report.messages import messages
    from analysis.report.package_contents import value_words

    codes = {code for words in value_words(language).values() for code, word in words.items() if word != code}
    raw = set(messages(language).get("package.columns"))
    problems = []
    for sheet in load_workbook(io.BytesIO(data), read_only=True).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h) for h in rows[0]]
        problems += [f"{name}: header {h!r} twice" for h in set(header) if header.count(h) > 1]
        problems += [
            f"{name}: header {h!r} not translated"
            for h in header
            if h in raw and h not in ("p", "t", "df", "z", "df1", "df2")
        ]
        for row in rows[1:]:
            for h, value in zip(header, row, strict=False):
                if isinstance(value, bool) or (
                    isinstance(value, str) and (value in codes or value.startswith("['"))
                ):
                    problems.append(f"{name}: {h} holds {value!r}")
    return problems


def test_package_refuses_personal_data(synthetic_run, tmp_path):
    import shutil

    from analysis.report.package import build_package

    out, outputs, _ = synthetic_run
    copy = tmp_path / "run"
    shutil.copytree(out, copy)
    leaked = copy / "tables" / "leak.csv"
    leaked.write_text("note\nติดต่อ somchai.k@example.ac.th\n", encoding="utf-8")
    with pytest.raises(PhanatError, match=r"personal data found in tables/leak.xlsx"):
        build_package(copy, tmp_path / "p.zip", outputs[".pdf"].parent)
    assert not (tmp_path / "p.zip").exists()


def test_pdf_fonts_are_embedded_per_pdffonts(synthetic_run):
    """poppler's pdffonts (installed by .ci/run) lists every font: all embedded, Norasi or Sarabun
    (or Typst's Libertinus Serif, for Greek letters only: checked above)."""
    import shutil
    import subprocess

    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed; .ci/run installs it")
    _, outputs, _ = synthetic_run
    lines = subprocess.run(
        ["pdffonts", str(outputs[".pdf"])], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in lines.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, emb = row[0], row[-5]
        assert emb == "yes", row
        assert any(family in name for family in ("Norasi", "Sarabun", "LibertinusSerif")), row


@pytest.fixture(scope="module")
def english_run(synthetic_run, tmp_path_factory):
    out, _, _ = synthetic_run
    outputs = render(out, out_dir=tmp_path_factory.mktemp("en"), progress=lambda _m: None, language="en")
    return out, {p.suffix: p for p in outputs}


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_table_caption_of_one_cycle_names_it(synthetic_run, english_run, language):
    """The Games–Howell table's caption did not say which cycle it is of, while the other
    tables of the report cycle do ("ใน วงรอบที่ 3 (ปีงบประมาณ พ.ศ. 2565)")."""
    from analysis.report.render import build_dir

    out, _, _ = synthetic_run
    cycles = {c["code"]: c for c in load_results(out)["meta"]["cycles"]}
    name = cycles[load_results(out)["meta"]["report_cycle"]][f"name_{language}"]
    appendix = (build_dir(out, language) / "_generated" / "appendix.md").read_text(encoding="utf-8")
    (caption,) = [line for line in appendix.splitlines() if line.endswith("{#tbl-posthoc}")]
    assert name in caption, caption


@pytest.mark.parametrize("language", ["th", "en"])
def test_pdf_text_layer_is_the_source_text(synthetic_run, english_run, language):
    """Every paragraph, heading, caption, list item and table cell of the document, in order,
    is what MuPDF and poppler's pdftotext extract from the PDF (whitespace aside): nothing
    doubled ("ขั้ขั้นต่ำ"), missing or garbled, no zero-width characters."""
    from analysis.report.render import build_dir, read_ast
    from tests.pdf_reading import (
        mupdf_pages,
        poppler_pages,
        repeated_texts,
        source_units,
        text_layer_differences,
    )

    out, outputs = (synthetic_run[0], synthetic_run[1]) if language == "th" else english_run
    ast = read_ast(build_dir(out, language), "writeup" if language == "th" else "writeup.en")
    units, repeats = source_units(ast), repeated_texts(ast)
    assert len(units) > 300
    mupdf = mupdf_pages(outputs[".pdf"])
    assert text_layer_differences(units, mupdf, repeats) == []
    assert not re.search("[\u200b\u2060\ufeff]", "".join(mupdf))
    if language == "th":  # a viewer's search finds the phrases that were doubled before
        import pymupdf

        with pymupdf.open(outputs[".pdf"]) as doc:
            for phrase in ("ความเชื่อมั่น", "ขั้นตอน", "มากที่สุด", "เทคโนโลยี", "สัมประสิทธิ์"):
                assert any(page.search_for(phrase) for page in doc), phrase
    poppler = poppler_pages(outputs[".pdf"])
    if poppler is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    assert text_layer_differences(units, poppler, repeats) == []
    if language == "th":  # copy and search by position (pdftotext's layout mode) keep words whole
        from analysis.report.thai_text import segment
        from tests.test_thai_pdf import layout_text

        stacked = re.compile("[\u0e31\u0e34-\u0e37][\u0e48-\u0e4b]")
        words = {w for u in units for w in segment(u) if stacked.search(w) and len(w) > 2}
        assert len(words) > 20
        text = layout_text(outputs[".pdf"])
        assert sorted(w for w in words if w not in text) == []


@pytest.mark.parametrize("language", ["th", "en"])
def test_pdf_layout_keeps_captions_with_their_tables_and_figures(synthetic_run, english_run, language):
    """Read page by page: every ตารางที่ n / ภาพที่ n caption is on the page of its table or
    figure with at least two rows of the table, no page ends with a heading or holds only
    headings or one table row, a table continued on a new page starts there with "ตารางที่ n
    (ต่อ)" (the catalogue's word) and its header row, and no table moved whole leaves more than a
    third of a page blank."""
    from analysis.report.messages import messages
    from analysis.report.render import build_dir, read_ast
    from tests.pdf_reading import (
        CAPTION,
        comparable,
        continuation_pages,
        continued_tables,
        layout_problems,
        pdf_lines,
        repeated_texts,
        table_break_problems,
        words_over_column_rules,
    )

    out, outputs = (synthetic_run[0], synthetic_run[1]) if language == "th" else english_run
    pdf = outputs[".pdf"]
    word = messages(language)("tables.continued")
    captions = [line for line in pdf_lines(pdf) if CAPTION.match(line.text) and line.bold_start]
    assert len(captions) >= 12
    assert layout_problems(pdf, heading_size=16.5) == []
    assert table_break_problems(pdf, word) == []
    assert words_over_column_rules(pdf) == []
    assert continued_tables(pdf) == []  # no table goes on without its "(ต่อ)" line
    headers = repeated_texts(
        read_ast(build_dir(out, language), "writeup" if language == "th" else "writeup.en")
    )
    continued = continuation_pages(pdf, word)
    assert continued, "no table long enough to break: the header-row check would test nothing"
    # lines of a multi-line header cell interleave with their neighbours': compare the letters
    header_letters = {"".join(sorted(h)) for h in headers}
    rows = [(page, "".join(line.text for line in row)) for page, _, _, row in continued]
    assert [(p, row) for p, row in rows if "".join(sorted(comparable(row))) not in header_letters] == []


def test_english_edition_reads_right(english_run, tmp_path):
    from docx import Document

    out, outputs = english_run
    assert sorted(p.name for p in outputs.values()) == [
        "writeup.en.docx",
        "writeup.en.html",
        "writeup.en.pdf",
    ]
    results = load_results(out)
    text = " ".join(pdf_text(outputs[".pdf"]).split())
    assert in_order(
        squash(text),
        [
            "Award",
            "How the innovation was created",
            "Methods",
            "Results and impact",
            "Inspiring quote",
            "Appendix",
        ],
    )
    # pandoc typesets ' as ’; line breaks differ: compare without whitespace (nor the running
    # footer, which a page break may put in the middle of the paragraph)
    body = squash(pdf_text(outputs[".pdf"], body_only=True))
    assert squash(descriptives_paragraph(results, "en").replace("'", "’")) in body
    assert "Table 1" in text and "Figure 1" in text and "ตารางที่" not in text
    assert "Synthetic demonstration data, not real responses" in text
    # every figure of the English edition is drawn in English: the render's PNGs, drawn again
    # as PDF by the same figure makers (pymupdf reads their text layers)
    assert len(list(figures_dir(out, "en").glob("*.png"))) == 8
    drawn = draw_figures(
        load_results(out), "en", tmp_path / "figures", narrative=load_narrative(out, load_results(out), "en")
    )
    figures = sorted(tmp_path / "figures" / files["pdf"] for files in drawn.values())
    assert len(figures) == 8
    thai = {f.name: re.findall("[\u0e00-\u0e7f]+", pdf_text(f)) for f in figures}
    assert {name: words for name, words in thai.items() if words} == {}
    tables = pd.read_excel(outputs[".pdf"].with_name("writeup.en.tables.xlsx"), sheet_name=None)
    assert list(tables["dimensions"].columns) == ["Dimension", "Mean", "SD", "Level", "Rank"]
    doc = Document(str(outputs[".docx"]))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Award"
    assert len(doc.tables) >= 5
    if shutil.which("soffice"):
        check_pages(outputs[".docx"], to_pdf(outputs[".docx"], tmp_path / "pdf"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("language", ["th", "en"])
def test_docx_as_a_word_user_sees_it(synthetic_run, english_run, language, tmp_path):
    """Both DOCX editions on LibreOffice's pages: tables within their section's text area (the
    widest on landscape pages: the English group comparisons, the Thai indicator table whose
    header words stay whole), numbers signed with U+2212, no page left half empty, no line
    broken after "(" (see :func:`tests.test_wordfile.check_word_layout`; LibreOffice's Thai
    dictionary can break there, ``test_libreoffice_breaks_no_line_after_an_opening_bracket``,
    but does not in this write-up), and
    no Thai word broken between letters ("อิทธิพ|ล", "จำนว|นข้อ" in narrow header cells;
    :func:`tests.test_wordfile.letter_breaks`)."""
    docx = (synthetic_run[1] if language == "th" else english_run[1])[".docx"]
    pdf = to_pdf(docx, tmp_path)
    check_word_layout(docx, pdf, landscape=True)
    assert not letter_breaks(docx, pdf)


def test_two_renders_at_once_build_inside_their_run_folders(synthetic_run, tmp_path):
    """Each render builds in <run>/report/_build/, so two runs render side by side, the source
    tree gets nothing, and the English edition leaves the Thai write-up as it was."""
    import subprocess
    import sys

    out, outputs, _ = synthetic_run
    other = tmp_path / "other"
    shutil.copytree(out, other, ignore=shutil.ignore_patterns("report"))
    thai_pdf = outputs[".pdf"].read_bytes()
    before = sorted(p.name for p in paths.REPORTS_DIR.iterdir())
    command = [sys.executable, "-m", "analysis.cli", "render", "--to", "html,pdf", "--results"]
    procs = [
        subprocess.Popen([*command, str(other)], stdout=subprocess.PIPE, stderr=subprocess.PIPE),
        subprocess.Popen(
            [*command, str(out), "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ),
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    assert (other / "report/writeup.pdf").is_file() and (out / "report/writeup.en.pdf").is_file()
    assert (other / "report/_build/th/_generated/results.md").is_file()
    assert sorted(p.name for p in paths.REPORTS_DIR.iterdir()) == before  # nothing in the source tree
    assert outputs[".pdf"].read_bytes() == thai_pdf  # the Thai write-up untouched by the English render


def test_package_without_a_rendered_write_up_says_how_to_render(synthetic_run, tmp_path):
    from analysis.report.package import build_package

    out, _, _ = synthetic_run
    copy = tmp_path / "run"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("report"))
    with pytest.raises(PhanatError, match=r"the write-up has not been rendered .*run phanat render"):
        build_package(copy, tmp_path / "p.zip", copy / "report")


# --------------------------------------------------------------------------- one document, two languages
THAI = re.compile("[\u0e00-\u0e7f]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# English the Thai edition may show: names of statistics, methods and software, the glosses a
# Thai report gives beside them, and the synthetic-data notice (bilingual on purpose).
ALLOWED_ENGLISH = set(
    """Cronbach's alpha omega total McDonald's McDonald Guttman's lambda Feldt et al BCa percentile
    bootstrap IOC Index of Item Objective Congruence CFI TLI RMSEA SRMR ML Maximum Likelihood PDCA
    Welch's Welch t test ANOVA Kruskal Wallis Games Howell Wilcoxon signed rank Mann Whitney U Hedges'
    Cohen's dz rank biserial r paired Holm Act Input Process Output Feedback standardized loadings
    item analysis pairwise listwise Jupyter phanat synthetic demonstration data S D x e p df g n F H eta
    psych Joanes Gill Efron Tibshirani Rovinelli Hambleton Hu Bentler Krejcie Morgan Yamane Best Cohen
    Cronbach Hedges Guttman Chen Hakstian Whalen measurement invariance configural metric scalar W
    PyThaiNLP Phatthiyaphaibun linear mixed model random intercept fixed effect Laird Ware REML Wald ICC
    epsilon squared""".split()
)


def ast_texts(ast_json: str) -> tuple[dict[str, int], list[str]]:
    """Counts of headings, tables and figures in pandoc's AST, and its text (the reference list
    left out: works are listed in their own language)."""
    ast = json.loads(ast_json)
    counts = {"Header": 0, "Table": 0, "Figure": 0}
    texts: list[str] = []
    blocks = ast["blocks"]
    cut = next(
        (
            i
            for i, b in enumerate(blocks)
            if b["t"] == "Header" and b["c"][0] == 1 and "unnumbered" in b["c"][1][1]
        ),
        None,
    )
    if cut is not None:  # drop the reference list: up to the next level-1 heading
        end = next(
            i for i in range(cut + 1, len(blocks)) if blocks[i]["t"] == "Header" and blocks[i]["c"][0] == 1
        )
        blocks = blocks[:cut] + blocks[end:]

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") in counts:
                counts[node["t"]] += 1
            if node.get("t") == "Str":
                texts.append(node["c"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return counts, texts


def config_text(out: Path) -> str:
    """Every text of the study's own configuration (names, labels, narrative), as copied into
    the run folder."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((out / "config").glob("*.yaml")))


def test_both_editions_have_the_same_sections_tables_and_figures_in_their_own_language(
    synthetic_run, english_run
):
    from analysis.report.render import build_dir, read_ast

    out = synthetic_run[0]
    th_counts, th_text = ast_texts(read_ast(build_dir(out, "th"), "writeup"))
    en_counts, en_text = ast_texts(read_ast(build_dir(out, "en"), "writeup.en"))
    assert th_counts == en_counts, (th_counts, en_counts)
    assert th_counts["Table"] >= 12 and th_counts["Figure"] >= 7
    # Thai allowed in the English edition: the study's own texts and the respondents' words
    # (the suggestions' frequent words are shown as written)
    words = (load_results(out).get("suggestions") or {}).get("top_words") or []
    own = config_text(out) + "\n" + "\n".join(w["word"] for w in words)
    stray_thai = sorted({m for s in en_text for m in THAI.findall(s) if m not in own})
    assert stray_thai == [], (
        f"Thai in the English edition that the study's config does not hold: {stray_thai}"
    )
    results = load_results(out)
    software = set(results["meta"].get("software", {}))
    software |= {name.capitalize() for name in software if name == "python"}  # "Python 3.11.7"
    allowed = ALLOWED_ENGLISH | set(LATIN_WORD.findall(own)) | software
    words = {w for s in th_text for w in LATIN_WORD.findall(s.replace("’", "'"))}
    stray_english = sorted(words - allowed)
    assert stray_english == [], f"English in the Thai edition outside the allow-list: {stray_english}"


def test_quarto_renders_inside_the_build_folder(synthetic_run, tmp_path, monkeypatch):
    """With Quarto on PATH, `phanat render` runs it in <run>/report/_build/<language>/ beside
    the copied _quarto.yml and generated sources (a stand-in `quarto` records where it ran)."""
    from analysis.report.render import build_dir, render

    out, _, _ = synthetic_run
    other = tmp_path / "run"
    shutil.copytree(out, other, ignore=shutil.ignore_patterns("report"))
    fake = tmp_path / "bin" / "quarto"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'pwd > "$PHANAT_FAKE_LOG"; echo "$@" >> "$PHANAT_FAKE_LOG"\n'
        'mkdir -p _output && stem=$(basename "$2" .qmd) && echo made > "_output/$stem.html"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    monkeypatch.setenv("PHANAT_FAKE_LOG", str(tmp_path / "log"))
    before = sorted(p.name for p in paths.REPORTS_DIR.iterdir())
    written = render(other, engine="quarto", formats=("html",), progress=lambda _: None)
    where, args = (tmp_path / "log").read_text(encoding="utf-8").splitlines()
    build = build_dir(other, "th").resolve()
    assert Path(where).resolve() == build and args == "render writeup.qmd --to html"
    assert (build / "_quarto.yml").is_file() and (build / "_generated" / "results.md").is_file()
    assert written == [other.resolve() / "report" / "writeup.html"] and written[0].read_text() == "made\n"
    assert (other / "report" / "writeup.tables.xlsx").is_file()
    assert sorted(p.name for p in paths.REPORTS_DIR.iterdir()) == before


REFERENCES_HEADING = {"th": "บรรณานุกรม", "en": "References"}
APPENDIX_HEADING = {"th": "ภาคผนวก", "en": "Appendix"}
HANGING_PT = 1.27 / 2.54 * 72  # APA's 0.5-inch hanging indent


@pytest.mark.parametrize("language", ["th", "en"])
def test_reference_list_has_apa_hanging_indents(synthetic_run, english_run, language):
    """Every entry of บรรณานุกรม / References starts at the margin and its further lines are
    indented 1.27 cm (APA 7, 9.43): in the PDF (line positions), the DOCX (the paragraphs'
    style) and the HTML (the list's class and its CSS)."""
    import pymupdf
    from docx import Document

    outputs = (synthetic_run if language == "th" else english_run)[1]
    lines: list[tuple[float, str]] = []  # (left edge, text), without the footer
    inside = False
    with pymupdf.open(outputs[".pdf"]) as pdf:
        for page in pdf:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"]).strip()
                    if text == REFERENCES_HEADING[language]:
                        inside = True
                    elif text.startswith(APPENDIX_HEADING[language]):
                        inside = False
                    elif (
                        inside and text and not text.isdigit() and "synthetic" not in text.lower()
                    ):  # not the footer
                        lines.append((line["bbox"][0], text))
    assert lines
    margin = min(x for x, _ in lines)
    starts = {round(x - margin) for x, _ in lines}
    assert starts == {0, round(HANGING_PT)}, lines
    first_lines = sum(abs(x - margin) < 1 for x, _ in lines)

    doc = Document(str(outputs[".docx"]))
    titles = [p.text for p in doc.paragraphs]
    entries = doc.paragraphs[titles.index(REFERENCES_HEADING[language]) + 1 :]
    entries = entries[: next(i for i, p in enumerate(entries) if p.style.name.startswith("Heading"))]
    assert entries and {p.style.name for p in entries} == {"Bibliography"}
    assert first_lines == len(entries)  # one line at the margin per entry
    style = doc.styles["Bibliography"].paragraph_format
    assert round(style.left_indent.cm, 2) == 1.27 and round(style.first_line_indent.cm, 2) == -1.27

    html = outputs[".html"].read_text(encoding="utf-8")
    assert 'class="references"' in html and "text-indent: -1.27cm" in html


def test_thai_tables_break_no_word_group(synthetic_run):
    """Table 20 of the write-up once had "ความสะดว|ก" in its first column: no line of the Thai
    PDF ends inside a word group of a dimension's name or of a table header."""
    from tests.test_table_layout import broken_groups

    out, outputs, _ = synthetic_run
    codebook = yaml.safe_load((out / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    names = ["ด้าน" + d["name_th"] for d in codebook["dimensions"]]
    headers = ["จำนวน (ก่อน/หลัง)", "ผลต่างเฉลี่ย", "ช่วงความเชื่อมั่นร้อยละ 95 (Welch)", "จำนวนคู่"]
    headers += ["วงรอบที่ 2", "วงรอบที่ 3", "ผลต่าง*", "ผลการประเมิน", "ค่าเฉลี่ย", "มากที่สุด"]  # Tables 8, 12
    assert not broken_groups(outputs[".pdf"], names + headers)


@pytest.mark.parametrize("language", ["th", "en"])
def test_appendix_says_its_cycle_p_values_are_unadjusted(synthetic_run, english_run, language):
    """The appendix's Wilcoxon and Mann–Whitney p for one dimension were below .05 while the text
    (Holm-adjusted, Table 8) found no change: a reviewer read it as a contradiction."""
    from analysis.report.messages import messages

    out = (synthetic_run if language == "th" else english_run)[0]
    generated = out / "report" / "_build" / language / "_generated"
    appendix = (generated / "appendix.md").read_text(encoding="utf-8")
    note = messages(language)("notes.pdca_appendix")
    assert note in appendix and appendix.index("tbl-pdca-independent") < appendix.index(note)
