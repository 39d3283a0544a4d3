"""The award submission package: ``phanat package`` builds one zip a committee can open.

Contents (paths inside the zip):

* ``อ่านก่อน.txt`` — a Thai read-me listing every member, first in the zip;
* ``report/`` — the rendered Thai write-up (PDF, DOCX, HTML when present; not the English edition);
* ``figures/`` — one PDF (vector) per figure of the Thai write-up, drawn here from the same
  results and narrative as the render drew the PNGs the write-up embeds (the same figures);
* ``tables/`` — every table as XLSX with Thai headers (catalogue ``package.columns`` and
  ``package.table_columns``), codes in words (dimension, group and cycle names; the catalogue's
  words for reasons, tests, notes: :func:`analysis.report.package_contents.with_headers`),
  and the write-up's dimension and item tables (``publication_dimensions``, ``publication_items``)
  made from the results with the document's headers (catalogue ``headers:``);
* ``instrument/`` — the questionnaire as respondents saw it (DOCX and PDF, from the codebook),
  the codebook, the interpretation criteria and a data dictionary (XLSX);
* ``cleaning/`` — the cleaning summary (no row-level log: it holds submitted values);
* ``MANIFEST.json`` — SHA-256 of every file, the run's software versions and the data's SHA-256.

Every member carries the date of the data's last submission (not 1980), the same for every
build from the same run.

Nothing row-level goes in: no processed data, no cleaning log, no raw export. Before the zip
is written every member, ``MANIFEST.json`` included, is scanned for e-mails, LINE IDs, phone
numbers, national ID numbers and titled names (:func:`analysis.data.privacy.personal_data_kinds`);
for real data also for the respondent-key values (:func:`scan_for_respondent_keys`); a hit
stops the build naming the member and the kind of finding. Entries carry a fixed
timestamp (:func:`analysis.results.store.zip_bytes`), so the same run gives the same zip.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.config.codebook import load_codebook
from analysis.config.files import read_yaml
from analysis.config.study import PSEUDONYM_KEY_ENV, load_study
from analysis.data.privacy import personal_data_kinds, pseudonym_key, pseudonymous_id
from analysis.errors import PhanatError
from analysis.report.messages import messages
from analysis.report.package_contents import (
    code_names,
    package_timestamp,
    readme_text,
    sheet_names,
    with_headers,
)
from analysis.report.questionnaire import render_questionnaire
from analysis.report.render import load_narrative, names_kept_whole, source_epoch
from analysis.report.reporting import publication_tables
from analysis.results.store import load_results, write_bytes_atomic, xlsx_bytes, zip_bytes


def data_dictionary(codebook_path: Path, language: str = "th") -> pd.DataFrame:
    """One row per variable of the processed data: name, meaning (in ``language`` and in the
    other language), values, dimension; words and headers from the catalogue's
    ``package.dictionary``, questions and scale labels from the codebook."""
    cb = load_codebook(codebook_path)
    m = messages(language)
    other = "en" if language == "th" else "th"
    points = sorted(cb.points, key=lambda p: p.value)
    scale = " ".join(m("package.dictionary.point", value=p.value, label=getattr(p, language)) for p in points)
    rows = [
        (name, m(f"package.dictionary.{name}"), messages(other)(f"package.dictionary.{name}"),
         m(f"package.dictionary.{name}_values"), "")
        for name in ("respondent_id", "cycle", "group")
    ]  # fmt: skip
    for item in cb.items:
        values = scale + (m("package.dictionary.reverse") if item.reverse else "")
        texts = (getattr(item, f"text_{language}"), getattr(item, f"text_{other}"))
        rows.append((item.code, *texts, values, item.dimension))
    headers = m.get("package.dictionary.headers")
    return pd.DataFrame(
        rows, columns=[headers[k] for k in ("variable", "label", "label_other", "values", "dimension")]
    )


LANGUAGE = "th"  # the package is the Thai submission: Thai write-up, figures and table headers
README = messages(LANGUAGE)("package.readme.file")  # อ่านก่อน.txt, the read-me a committee opens first


def figure_pdfs(results_dir: Path, results: dict) -> dict[str, bytes]:
    """The Thai write-up's figures as PDF (vector, Sarabun embedded), by file name: the
    figures the render drew as PNG (same results, narrative and language), saved as PDF."""
    from analysis.report import plots
    from analysis.report.figures import figure_makers

    narrative = load_narrative(results_dir, results, LANGUAGE)
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            name: plots.save_figure(make(), tmp, name, ("pdf",))["pdf"]
            for name, make in figure_makers(results, LANGUAGE, narrative).items()
        }
        return {file: (Path(tmp) / file).read_bytes() for file in files.values()}


def package_entries(results_dir: Path, report_dir: Path) -> dict[str, bytes]:
    """Every file of the package, by its path inside the zip (see module docstring)."""
    results = load_results(results_dir)
    entries: dict[str, bytes] = {}
    missing = [f"writeup.{ext}" for ext in ("pdf", "docx") if not (report_dir / f"writeup.{ext}").is_file()]
    if missing:
        raise PhanatError(
            f"the write-up has not been rendered ({', '.join(missing)}): run phanat render", file=report_dir
        )
    for ext in ("pdf", "docx", "html"):  # the Thai edition only; its tables' XLSX go into tables/
        if (report_dir / f"writeup.{ext}").is_file():
            entries[f"report/writeup.{ext}"] = (report_dir / f"writeup.{ext}").read_bytes()
    for name, pdf in figure_pdfs(results_dir, results).items():
        entries[f"figures/{name}"] = pdf
    tables = {path.stem: path for path in sorted((results_dir / paths.TABLES).glob("*.csv"))}
    publication = {
        f"publication_{n}": t for n, t in publication_tables(results["descriptives"], LANGUAGE).items()
    }
    sheets = sheet_names([*tables, *publication], LANGUAGE)
    names = code_names(
        load_codebook(results_dir / "config" / results["meta"]["codebook_file"]), results["meta"]
    )
    for stem, path in tables.items():
        table = with_headers(pd.read_csv(path, encoding="utf-8-sig"), LANGUAGE, stem, names)
        entries[f"tables/{stem}.xlsx"] = xlsx_bytes({sheets[stem]: table})
    for stem, table in publication.items():
        entries[f"tables/{stem}.xlsx"] = xlsx_bytes({sheets[stem]: table})
    meta = results["meta"]
    config = results_dir / "config"
    for name in (meta.get("codebook_file"), meta.get("criteria_file")):
        if name and (config / name).is_file():
            entries[f"instrument/{name}"] = (config / name).read_bytes()
    codebook = config / meta["codebook_file"]
    dictionary = data_dictionary(codebook, LANGUAGE)
    entries["instrument/data_dictionary.xlsx"] = xlsx_bytes(
        {messages(LANGUAGE)("package.dictionary.sheet"): dictionary}
    )
    build = report_dir / "_build" / "questionnaire"
    study_file = config / str(meta.get("study_file") or "")
    study = load_study(study_file) if meta.get("study_file") and study_file.is_file() else None
    questionnaire = render_questionnaire(
        load_codebook(codebook), build, source_epoch(results), LANGUAGE, study, names_kept_whole(results)
    )
    for name, data in questionnaire.items():
        entries[f"instrument/{name}"] = data
    summary = json.dumps(results["cleaning"], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    entries["cleaning/cleaning_summary.json"] = summary.encode("utf-8")
    return entries


def scan_for_personal_data(entries: dict[str, bytes]) -> list[str]:
    """``<entry> (<kinds>)`` for each entry whose text holds something that looks like personal
    data (:func:`analysis.data.privacy.personal_data_kinds`). Binary formats are scanned through
    their text (:func:`entry_texts`)."""
    hits = []
    for name, data in entries.items():
        kinds: list[str] = []
        for text in entry_texts(name, data):
            kinds += [k for k in personal_data_kinds(text) if k not in kinds]
        if kinds:
            hits.append(f"{name} ({', '.join(kinds)})")
    return hits


TOKEN_EDGES = "\"'()[]{}<>,;:.!?«»“”‘’"


def scan_for_respondent_keys(entries: dict[str, bytes], results_dir: Path, meta: dict) -> list[str]:
    """``<entry> (respondent key)`` for each entry whose text holds a respondent-key value of
    the run's real data: every word and pair of words is hashed as the cleaning stage hashed
    the keys (:func:`analysis.data.privacy.pseudonymous_id`, with the secret key from the
    environment) and looked up among the processed data's respondent ids. The synthetic
    example holds no real keys and is not checked."""
    if meta.get("synthetic"):
        return []
    processed = results_dir / paths.PROCESSED_CSV
    if not processed.is_file():
        return []
    ids = set(pd.read_csv(processed, usecols=["respondent_id"], dtype=str)["respondent_id"])
    study = read_yaml(results_dir / "config" / meta["study_file"]) if meta.get("study_file") else {}
    env_var = str((study.get("pseudonym") or {}).get("key_env", PSEUDONYM_KEY_ENV))
    try:
        key = pseudonym_key(env_var, None, synthetic=False)
    except PhanatError as exc:
        raise PhanatError(
            "the package guard checks that no respondent key of the real data reached the package, "
            f"and needs the run's pseudonymisation key for it: {exc.problem}"
        ) from None
    hits = []
    for name, data in entries.items():
        for text in entry_texts(name, data):
            words = [w.strip(TOKEN_EDGES) for w in text.split()]
            pairs = zip(words, words[1:], strict=False)
            candidates = {w for w in words if w} | {f"{a} {b}" for a, b in pairs if a and b}
            if any(pseudonymous_id(c, key) in ids for c in candidates):
                hits.append(f"{name} (respondent key)")
                break
    return hits


def entry_texts(name: str, data: bytes) -> list[str]:
    """The text of one package entry, for the personal-data scan: a DOCX's document XML, an
    XLSX's strings (numbers are not text anyone typed: 4.390882352941177 is not a phone
    number), a PDF's text layer; figures as SVG/PNG hold no text (SVG text is drawn as
    outlines), their PDF twins are scanned."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        ]
    if suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml").decode("utf-8", "replace")
        return [html.unescape(re.sub(r"<[^>]+>", " ", xml))]
    if suffix == ".pdf":
        try:
            import pymupdf
        except ImportError:  # pragma: no cover - the dev environment has it
            return [data.decode("latin-1")]
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return [page.get_text() for page in doc]
    if suffix in {".png", ".svg"}:
        return []
    if suffix == ".html":  # the visible text: embedded images and fonts (data: URIs) are not text
        page = re.sub(r"data:[^\"')\s]+", "", data.decode("utf-8", "replace"))
        return [html.unescape(re.sub(r"<[^>]+>", " ", page))]
    return [data.decode("utf-8", "replace")]


def build_package(results_dir: str | Path, out: str | Path, report_dir: str | Path | None = None) -> Path:
    """Write the submission zip with its manifest; refuse if personal data is found."""
    results_dir = Path(results_dir)
    report_dir = Path(report_dir) if report_dir else results_dir / "report"
    entries = package_entries(results_dir, report_dir)
    results = load_results(results_dir)
    meta = results["meta"]
    entries[README] = readme_text(sorted([*entries, "MANIFEST.json"]), meta, LANGUAGE).encode("utf-8-sig")
    manifest = {
        "title": meta.get("title_th", ""),
        "synthetic_data": bool(meta.get("synthetic")),
        "data_file": meta.get("data_file"),
        "data_sha256": meta.get("data_sha256"),
        "software": meta.get("software", {}),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(entries.items())},
    }
    entries["MANIFEST.json"] = (
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode()
    hits = scan_for_personal_data(entries)  # every member, the manifest included
    hits += scan_for_respondent_keys(entries, results_dir, meta)
    if hits:
        raise PhanatError(
            f"personal data found in {'; '.join(hits)}: the package was not written", file=results_dir
        )
    ordered = {README: entries.pop(README)} | {name: entries[name] for name in sorted(entries)}
    write_bytes_atomic(Path(out), zip_bytes(ordered, date_time=package_timestamp(source_epoch(results))))
    return Path(out)
