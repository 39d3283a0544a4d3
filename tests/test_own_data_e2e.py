"""An office's own Google Form, end to end, as a new user meets it: ``phanat init`` drafts the
study from the export, ``phanat run`` and ``phanat render`` work on the draft unchanged, losses
stop the run loudly, and codebooks unlike the example's run to the end."""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.data.drafting import draft_study
from analysis.report.render import render
from analysis.results.store import load_results
from analysis.run.runner import run_pipeline
from tests.conftest import copy_study_config
from tests.fixtures.own_forms import FORM_DIMENSIONS, make_form_export

pytestmark = pytest.mark.e2e
KEY = "a-secret-key-for-the-tests-only"
PLANTED = {
    "name": "กิตติพงษ์ บุญญาธิการ",
    "titled": "นางสาวสมหญิง ใจดีมาก",
    "email": "kittipong.b@example.org",
    "phone": "0891234567",
    "national_id": "1234567890123",
}


def plant(export: Path) -> None:
    """Personal data typed into every kind of column of three rows of a CSV export."""
    with open(export, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    item = next(i for i, h in enumerate(header) if "[" in h)
    group = header.index("ตำแหน่ง")
    free = header.index("ข้อเสนอแนะ")
    rows[3][group] = PLANTED["name"]
    rows[4][item] = PLANTED["titled"]
    rows[5][0] = PLANTED["phone"]  # the timestamp cell
    rows[6][free] = f"ติดต่อ {PLANTED['email']} หรือ {PLANTED['national_id']}"
    rows[7][item + 1] = PLANTED["national_id"]
    with open(export, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def html_text(path: Path) -> str:
    """The rendered HTML as a reader's text: without the word-keeping spans and <wbr> of the
    Thai line breaking (analysis.report.thai_text) and with no-break spaces as spaces."""
    html = path.read_text(encoding="utf-8")
    return re.sub(r'<wbr>|<span class="thw">|</span>', "", html).replace("&nbsp;", " ").replace("\u00a0", " ")


def run_texts(folder: Path) -> dict[str, str]:
    """The text of every file of a run folder: plain files as text, DOCX/XLSX/zip members
    unpacked, the PDF through its text layer."""
    import pymupdf

    texts = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            with pymupdf.open(path) as doc:
                texts[str(path)] = "\n".join(page.get_text() for page in doc)
        elif path.suffix in {".docx", ".xlsx", ".zip"}:
            with zipfile.ZipFile(path) as z:
                texts[str(path)] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.suffix in {".png"}:
            continue
        elif path.suffix == ".html":  # word-keeping spans would hide a split name from the search
            texts[str(path)] = html_text(path)
        else:
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    return texts


@pytest.fixture(scope="module")
def drafted_run(tmp_path_factory):
    """14 items in 4 dimensions, numbered grid items, Thai agreement labels, Forms' "Download
    responses" timestamps, one group, one cycle: drafted by init, run and rendered."""
    base = tmp_path_factory.mktemp("own")
    export = make_form_export(base / "study" / "export.csv", groups=["ครู"], n=80, seed=11)
    plant(export)
    draft = draft_study(export)
    mp = pytest.MonkeyPatch()
    mp.setenv("PHANAT_PSEUDONYM_KEY", KEY)
    messages: list[str] = []
    out = base / "run"
    try:
        run_pipeline(
            export, base / "study/codebook.yaml", base / "study/study.yaml", out, progress=messages.append
        )
        outputs = render(out, progress=messages.append)
    finally:
        mp.undo()
    return out, draft, messages, outputs


def test_init_summary_says_what_was_found_and_what_to_fill_in(drafted_run):
    _, draft, _, _ = drafted_run
    text = draft.summary()
    assert "14 rating items in 4 dimension(s)" in text and "'agree5' label set" in text
    assert "year first" in text and "groups in column 'ตำแหน่ง': 1 label(s)" in text
    assert "fill in each group's population" in text and "fewer than 3 respondents" in text


def test_one_group_counts_everyone_and_compares_nothing(drafted_run):
    out, _, _, outputs = drafted_run
    results = load_results(out)
    desc = results["descriptives"]
    n = desc["overall"]["n"]
    assert n >= 75 and results["cleaning"]["n_kept"] == n
    assert desc["sample"]["table"][0]["n"] == n
    assert desc["groups"]["comparisons"] == [] and not (out / "tables/group_comparisons.csv").exists()
    html = html_text(next(p for p in outputs if p.suffix == ".html"))
    assert f"มีผู้ตอบแบบสอบถามทั้งสิ้น {n} คน" in html
    assert "จำแนกตามกลุ่มผู้ตอบ" not in html and "fewer than two groups" not in html
    assert "ไม่ได้ระบุขนาดประชากร" in html
    assert results["reliability"]["cfa"]["fitted"]
    assert results["cleaning"]["timestamp_order"] == "YMD"


def test_small_losses_are_printed_at_the_end_of_the_run(drafted_run):
    _, _, messages, _ = drafted_run
    warnings = [m for m in messages if m.startswith("warning: ")]
    assert any("unknown_answer: 2 of" in w for w in warnings)
    assert any("timestamp_unreadable: 1 of 80 rows" in w and "'dddddddddd'" in w for w in warnings)
    assert any("unknown_group" in w for w in warnings)


def test_nothing_typed_by_a_respondent_reaches_any_file(drafted_run):
    out, _, _, _ = drafted_run
    texts = run_texts(out)
    assert any("executed" in t or "nbformat" in t for t in texts.values())  # notebooks were read
    for kind, value in PLANTED.items():
        for name, text in texts.items():
            assert value not in text, f"{kind} found in {name}"
    for name in ("codebook.yaml", "study.yaml"):
        text = (out.parent / "study" / name).read_text(encoding="utf-8")
        assert PLANTED["name"] not in text and PLANTED["titled"] not in text


def agreement_study(base: Path, share: float) -> dict[str, Path]:
    """The example's codebook and study with an export a share of whose answers use the
    agreement labels (เห็นด้วยอย่างยิ่ง …) the codebook does not list."""
    study = base / "study"
    study.mkdir(parents=True)
    copy_study_config(study)
    source = Path(__file__).parents[1] / "data/raw/example/responses.csv"
    swap = {"มากที่สุด": "เห็นด้วยอย่างยิ่ง", "มาก": "เห็นด้วย", "ปานกลาง": "ไม่แน่ใจ"}
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    width = len(rows[0]) - 1
    for r, row in enumerate(rows[1:]):
        for c in range(3, width):
            if (r * 31 + c * 17) % 100 < 100 * share and row[c] in swap:
                row[c] = swap[row[c]]
    data = study / "responses.csv"
    with open(data, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return {"data": data, "codebook": study / "codebook.yaml", "study": study / "study.yaml"}


def test_unknown_labels_stop_the_run_with_the_fix(tmp_path, capsys):
    inputs = agreement_study(tmp_path, 0.3)
    out = tmp_path / "run"
    code = main(
        ["run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
         "--study", str(inputs["study"]), "--out", str(out), "--quiet"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "unknown_answer" in err and re.search(r"\(2\d\.\d%\)", err)
    assert "'เห็นด้วยอย่างยิ่ง'" in err and "value 5: also: [เห็นด้วยอย่างยิ่ง]" in err
    assert "--accept-losses" in err
    failed = Path(re.search(r"every change is in (\S+)", err).group(1))
    assert failed.is_file() and not out.exists()


def test_accepted_losses_are_stated_in_the_methods(tmp_path):
    inputs = agreement_study(tmp_path, 0.3)
    out = tmp_path / "run"
    messages: list[str] = []
    run_pipeline(**inputs, out=out, progress=messages.append, accept_losses=True)
    assert any(m.startswith("warning: accepted: unknown_answer") for m in messages)
    (html,) = render(out, formats=("html",))
    text = html_text(html)
    assert "เกินเกณฑ์ร้อยละ 5" in text and "คำตอบที่ไม่ตรงกับระดับใดของมาตราส่วน" in text


@pytest.mark.parametrize(
    "variant",
    ["one_dimension_4_point", "dimensions_of_1_2_3_items_7_point", "sixty_items_xlsx_no_key"],
)
def test_any_valid_codebook_runs(tmp_path, monkeypatch, variant):
    items = [t for _, texts in FORM_DIMENSIONS for t in texts]
    if variant == "one_dimension_4_point":
        export = make_form_export(
            tmp_path / "s/export.csv", scale="th_agree4", dimensions=[("ด้านที่ 1 การวางแผน", items[:3])], n=50
        )
    elif variant == "dimensions_of_1_2_3_items_7_point":
        dims = [("ด้านที่ 1 ก", items[:1]), ("ด้านที่ 2 ข", items[1:3]), ("ด้านที่ 3 ค", items[3:6])]
        export = make_form_export(
            tmp_path / "s/export.csv", scale="en_agree7", english=True, stamps="en_us", dimensions=dims,
            groups=["Teacher", "Administrator"], n=60,
        )  # fmt: skip
    else:
        dims = [
            (f"ด้านที่ {d + 1} ด้าน{d + 1}", [f"ข้อคำถามที่ {d * 10 + i + 1}" for i in range(10)]) for d in range(6)
        ]
        export = make_form_export(
            tmp_path / "s/export.xlsx", scale="th_level5", stamps="xlsx", dimensions=dims, n=120, email=False
        )
    draft_study(export)
    monkeypatch.setenv("PHANAT_PSEUDONYM_KEY", KEY)
    out = tmp_path / "run"
    run_pipeline(
        export, tmp_path / "s/codebook.yaml", tmp_path / "s/study.yaml", out, progress=lambda _m: None
    )
    (html,) = render(out, formats=("html",))
    results = load_results(out)
    for table in (out / "tables").glob("*.csv"):
        text = table.read_text(encoding="utf-8-sig")
        assert not re.search(r"(?<![A-Za-z])(nan|inf|NaN|Infinity)(?![A-Za-z])", text), table.name
    page = html_text(html)
    assert not re.search(r"\b(nan|NaN|inf|None)\b", re.sub(r"<[^>]+>", " ", page))
    cfa = results["reliability"]["cfa"]
    scales = {r["scale"]: r for r in results["reliability"]["scales"]}
    if variant == "one_dimension_4_point":
        assert (
            results["meta"]["criterion"]["key"] == "class_interval"
            and len(results["meta"]["criterion"]["bands"]) == 4
        )
        assert cfa["reason"] == "no_degrees_of_freedom" and "องศาอิสระเท่ากับ 0" in page
    elif variant == "dimensions_of_1_2_3_items_7_point":
        assert scales["D1"]["alpha"] is None and scales["D1"]["note_code"] == "fewer_than_two_items"
        assert cfa["reason"] == "too_few_items" and "มีข้อคำถามน้อยกว่า 2 ข้อ" in page
        assert results["cleaning"]["timestamp_order"] == "MDY"
        assert len(results["descriptives"]["groups"]["comparisons"]) == 4
    else:
        assert len(results["descriptives"]["items"]) == 60 and results["cleaning"][
            "respondent_key"
        ].startswith("none")
    for r in scales.values():
        assert r["lambda6"] is None or r["lambda6"] <= 1
    shutil.rmtree(out)
