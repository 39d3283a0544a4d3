"""Rendering the write-up (HTML, DOCX, PDF) from a run folder: ``phanat render``.

Two steps:

1. :func:`prepare_build` makes ``<run>/report/_build/<language>/`` (never the source tree) with
   the document templates, and :func:`prepare_sources` reads only the run folder
   (``results/*.json`` and the copied narrative file) and writes its ``_generated/``:
   one Markdown fragment per section of the award form, ``metadata.yml``, the figures of the
   edition's language (drawn by :func:`analysis.report.figures.draw_figures`; :func:`render`
   draws them in a second process meanwhile, :mod:`analysis.report.drawing`), the
   fonts, a CSS file and a DOCX reference document. ``writeup.qmd`` includes the fragments.
2. Quarto renders the build folder's ``writeup.qmd`` (with ``reports/_quarto.yml`` copied
   beside it) when ``quarto`` is on PATH; otherwise the same
   sources go through pandoc (``pypandoc-binary``) and Typst (``typst`` package), with
   ``reports/templates/crossref.lua`` numbering tables and figures (ตารางที่ / ภาพที่), the
   three formats side by side (:func:`render_with_pandoc`).

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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from analysis import paths
from analysis.config.files import read_yaml
from analysis.config.values import BE_OFFSET
from analysis.errors import PhanatError
from analysis.report.citations import reference_list
from analysis.report.drawing import FiguresBeside
from analysis.report.figures import draw_figures
from analysis.report.fonts import FAMILY, pdf_font_files, sarabun_dir
from analysis.report.messages import messages
from analysis.report.pdf_text import anchor_cluster_ends
from analysis.report.reporting import typst_scoped_block, untranslated_names
from analysis.report.thai_text import HTML_CSS, break_json
from analysis.report.view import View, render_sections
from analysis.report.wordfile import BIBLIOGRAPHY_STYLE, HANGING_INDENT_CM, finish_docx
from analysis.results.store import (
    fix_zip_timestamps,
    load_results,
    write_bytes_atomic,
    write_text_atomic,
    xlsx_bytes,
)

FORMATS = ("html", "docx", "pdf")
INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")
SYNTHETIC_NOTICE = messages("th")("document.synthetic_notice")
FigureDrawer = Callable[..., dict[str, dict[str, str]]]  # draw_figures' signature


def cover_subtitle(title: str, innovation: str) -> str:
    """The cover's second line: the innovation's name, unless the title already says it (the
    title ``การประเมินรูปแบบ… (PHANAT Model)`` holds the name ``รูปแบบ… (PHANAT Model)``)."""

    def squeeze(text: str) -> str:
        return "".join(text.split()).casefold()

    return "" if not innovation or squeeze(innovation) in squeeze(title) else innovation


def document_date(day: dt.date, era: str = "BE", language: str = "th") -> str:
    """``21 พฤศจิกายน 2569`` / ``21 November 2026``: day, month and year, Buddhist Era unless
    ``era="CE"`` (the months and the order from the catalogue)."""
    m = messages(language)
    month = m.get("dates.months")[day.month - 1]
    if era == "BE":
        return m("dates.date_be", day=day.day, month=month, year=day.year + BE_OFFSET)
    return m("dates.date_ce", day=day.day, month=month, year=day.year)


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


def references_section(fragments: dict[str, str], results: dict, language: str = "th") -> str:  # noqa: ARG001
    """The reference list (บรรณานุกรม) of the works cited in the document's fragments."""
    extra = [
        results["meta"]["criterion"].get("reference", ""),
        (results.get("reliability") or {}).get("levels_reference", ""),
    ]
    entries = "\n\n".join(reference_list(list(fragments.values()), extra))
    # APA's hanging indent: the Word style (analysis.report.wordfile), a Typst rule scoped to
    # the list's block, the CSS class of the HTML
    return typst_scoped_block(
        f'.references custom-style="{BIBLIOGRAPHY_STYLE}"',
        f"#set par(hanging-indent: {HANGING_INDENT_CM}cm, first-line-indent: 0pt)",
        entries,
    )


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
    results_dir: str | Path,
    reports_dir: str | Path = paths.REPORTS_DIR,
    language: str = "th",
    *,
    results: dict | None = None,
    draw: FigureDrawer = draw_figures,
) -> Path:
    """Write ``reports/_generated/`` from a run folder (see module docstring), for the Thai
    edition or (``language="en"``) the English one. ``results`` are the run's results if the
    caller has read them already; ``draw`` draws the figures (:func:`draw_figures`, or a
    :class:`analysis.report.drawing.FiguresBeside` that draws them while the caller goes on)."""
    if language not in LANGUAGES:
        raise PhanatError(f"unknown language {language!r}: choose th or en")
    results_dir, reports_dir = Path(results_dir), Path(reports_dir)
    if results is None:
        results = load_results(results_dir)  # every stage's section, validated (analysis.results.models)
    narrative = load_narrative(results_dir, results, language)
    meta = results["meta"]
    gen = reports_dir / "_generated"
    if gen.exists():
        shutil.rmtree(gen)
    shutil.copytree(sarabun_dir(), gen / "fonts", ignore=shutil.ignore_patterns("*.json", "LICENSE"))
    for ttf in pdf_font_files():  # the PDF's font (Sarabun stays the fallback for x̄, Greek)
        shutil.copyfile(ttf, gen / "fonts" / ttf.name)
    synthetic = bool(meta.get("synthetic"))
    notice = messages(language)("document.synthetic_notice")
    figures = draw(results, language, gen / "figures", narrative=narrative)
    fragments = render_sections(View(results, narrative, language, figures))
    fragments["references"] = references_section(fragments, results, language)
    for name, text in fragments.items():
        write_text_atomic(gen / f"{name}.md", text.strip() + "\n")
    last = meta.get("last_submission")
    era = results["descriptives"].get("text_options", {}).get("year_era", "BE") if language == "th" else "CE"
    day = document_date(dt.date.fromisoformat(last[:10]), era, language) if last else ""
    date = messages(language)("dates.data_as_of", date=day) if last else ""
    metadata = {
        "title": meta.get(f"title_{language}", ""),
        "subtitle": cover_subtitle(meta.get(f"title_{language}", ""), narrative.get("innovation_name", "")),
        "award-name": narrative.get("award_name", ""),
        "agency": meta.get(f"agency_{language}", ""),
        # the DOCX and HTML title blocks name the agency under the title, as the PDF's title page does
        "author": meta.get(f"agency_{language}", ""),
        "date": date,
        "lang": language,
        "synthetic": synthetic,
        "synthetic-notice": notice if synthetic else "",
        "table-continued": messages(language)("tables.continued"),  # ตารางที่ n (ต่อ): templates/tables.typ
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
        f".references p {{ padding-left: {HANGING_INDENT_CM}cm; text-indent: -{HANGING_INDENT_CM}cm; }}",
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
    images_ready: Callable[[], None] = lambda: None,
) -> list[Path]:
    """pandoc → HTML (self-contained), DOCX (reference doc) and Typst → PDF, the formats side
    by side (one thread each: pandoc and Typst are native and leave Python free); *progress*
    hears each format's time as it ends (its own work, not the wait for the figures).

    The Markdown is read once into pandoc's AST (with ``crossref.lua``); for HTML and Typst
    :mod:`analysis.report.thai_text` then marks where Thai lines may break (between words, never
    inside the names in ``keep_whole``), one after the other in this thread. A format waits
    for ``images_ready`` (the figures' PNGs, :class:`analysis.report.drawing.FiguresBeside`)
    only where its writer embeds them. Outputs come in :data:`FORMATS` order."""
    ast = read_ast(reports_dir, stem, epoch)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {"html": _write_html, "docx": _write_docx, "pdf": _write_pdf}
    asked = [f for f in FORMATS if f in formats]

    def run(fmt_name: str, text: str) -> Path:
        start = time.perf_counter()
        target = out_dir / f"{stem}.{fmt_name}"
        target, waited = writers[fmt_name](reports_dir, target, text, epoch, images_ready)
        progress(f"  {fmt_name}: {time.perf_counter() - start - waited:.1f} s")
        return target

    with ThreadPoolExecutor(max_workers=max(len(asked), 1), thread_name_prefix="phanat-render") as pool:
        jobs = {}
        for fmt_name in sorted(asked, key=lambda f: f != "docx"):  # DOCX's source needs no work
            text = ast if fmt_name == "docx" else break_json(ast, FORMAT_MARKUP[fmt_name], keep_whole)
            jobs[fmt_name] = pool.submit(run, fmt_name, text)
        return [jobs[f].result() for f in asked]


FORMAT_MARKUP = {"html": "html", "pdf": "typst"}  # the markup thai_text.break_json writes for each


def _waited(images_ready: Callable[[], None]) -> float:
    """Seconds spent in ``images_ready``."""
    start = time.perf_counter()
    images_ready()
    return time.perf_counter() - start


def _write_html(
    reports_dir: Path, target: Path, text: str, epoch: int, images_ready: Callable[[], None]
) -> tuple[Path, float]:
    """The self-contained HTML (figures and fonts embedded) from the line-broken AST ``text``;
    returns it and the seconds spent waiting for the figures."""
    gen = reports_dir / "_generated"
    args = ["--to", "html5", "--standalone", "--embed-resources", "--css", str(gen / "thai.css")]
    waited = _waited(images_ready)
    with _replaced_when_done(target) as tmp:
        _pandoc([*_from_ast(reports_dir), *args, "--output", str(tmp)], text, epoch)
    return target, waited


def _write_docx(
    reports_dir: Path, target: Path, text: str, epoch: int, images_ready: Callable[[], None]
) -> tuple[Path, float]:
    """The DOCX (reference document's styles, finished by :func:`finish_docx`) from the AST."""
    args = ["--to", "docx", "--reference-doc", str(reports_dir / "_generated" / "reference.docx")]
    waited = _waited(images_ready)
    with _replaced_when_done(target) as tmp:
        _pandoc([*_from_ast(reports_dir), *args, "--output", str(tmp)], text, epoch)
        finish_docx(tmp)
    return target, waited


def _write_pdf(
    reports_dir: Path, target: Path, text: str, epoch: int, images_ready: Callable[[], None]
) -> tuple[Path, float]:
    """Typst markup from the line-broken AST ``text`` (``phanat.typ`` template), compiled to
    PDF with the fonts of ``_generated/fonts``, Thai clusters anchored (:mod:`pdf_text`)."""

    typ = reports_dir / f"{target.stem}.typ"
    _pandoc(
        [
            *_from_ast(reports_dir),
            "--to",
            "typst",
            "--wrap",
            "none",  # a line end in Typst markup is a space: it would split Thai words
            "--template",
            str(paths.TEMPLATES_DIR / "phanat.typ"),
            "--output",
            str(typ),
        ],
        text,
        epoch,
    )
    waited = _waited(images_ready)
    with _replaced_when_done(target) as tmp:
        compile_typst(typ, tmp, reports_dir, reports_dir / "_generated" / "fonts", epoch, "the PDF")
    return target, waited


def compile_typst(source: Path, output: Path, root: Path, fonts: Path, epoch: int, what: str) -> None:
    """Compile the Typst ``source`` to the PDF ``output`` with only the fonts in ``fonts`` and the
    fixed ``epoch`` (same bytes every time), then anchor its Thai clusters (:mod:`pdf_text`); a
    Typst error becomes one line naming ``what`` and the source."""
    import typst

    try:
        typst.compile(
            str(source),
            output=str(output),
            root=str(root),
            font_paths=[str(fonts)],
            ignore_system_fonts=True,
            timestamp=epoch,
        )
    except Exception as exc:  # noqa: BLE001 - Typst reports its own errors as one text
        raise PhanatError(
            f"Typst could not compile {what}: {' '.join(str(exc).split())[:500]}", file=source
        ) from None
    anchor_cluster_ends(output)


def _from_ast(reports_dir: Path) -> list[str]:
    """pandoc's reader arguments for the JSON AST, images found relative to the build."""
    return ["--from", "json", "--resource-path", str(reports_dir)]


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
            if fmt_name == "pdf":
                anchor_cluster_ends(tmp)
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
    if engine == "quarto":
        progress(f"rendering with Quarto (quarto render {stem}.qmd in {build_dir(results_dir, language)})")
    else:
        progress("rendering without Quarto: pandoc " + _pandoc_version() + " + Typst (typst package)")
    start = time.perf_counter()
    results_data = load_results(results_dir)  # read once, for the sources and every format
    for warning in untranslated_names(results_data, language):
        progress(warning)
    # the write-ups embed the figures' PNGs; their PDF copies are drawn by phanat package
    with FiguresBeside(kinds=("png",)) as figures:
        build = prepare_build(results_dir, language, results=results_data, draw=figures)
        progress(f"  sources: {time.perf_counter() - start:.1f} s (the figures are drawn beside them)")
        start = time.perf_counter()
        if engine == "quarto":
            figures.wait("png")
            outputs = render_with_quarto(build, out, formats, stem)
        else:
            outputs = render_with_pandoc(
                build,
                out,
                formats,
                source_epoch(results_data),
                stem,
                names_kept_whole(results_data),
                progress,
                images_ready=lambda: figures.wait("png"),
            )
        together = "side by side" if engine == "pandoc" else "one after the other"
        progress(f"  formats: {time.perf_counter() - start:.1f} s ({together})")
        tables = write_publication_tables(results_data, out / f"{stem}.tables.xlsx", language)
        progress(f"  tables for pasting elsewhere: {tables}")
        figures.wait("png")
        progress(f"  figures: {figures.seconds['png']:.1f} s (PNG)")
    return outputs


def write_publication_tables(results: dict, target: Path, language: str = "th") -> Path:
    """The write-up's dimension and item tables as one spreadsheet (a sheet each), headers in
    the edition's language, for pasting into other documents."""
    from analysis.report.reporting import publication_tables

    write_bytes_atomic(target, xlsx_bytes(publication_tables(results["descriptives"], language)))
    return target


def build_dir(results_dir: str | Path, language: str = "th") -> Path:
    """Where a render of a run builds its sources: ``<run>/report/_build/<language>/``, never
    the source tree, so renders of two runs (or two editions) at once do not meet."""
    return Path(results_dir) / paths.REPORT / "_build" / language


def figures_dir(results_dir: str | Path, language: str = "th") -> Path:
    """Where a render of ``language`` draws the figures (:func:`prepare_sources`): the
    rendered build's ``_generated/figures/``, one PNG and one PDF per figure."""
    return build_dir(results_dir, language) / "_generated" / "figures"


def prepare_build(
    results_dir: str | Path,
    language: str = "th",
    *,
    results: dict | None = None,
    draw: FigureDrawer = draw_figures,
) -> Path:
    """A fresh build folder (:func:`build_dir`) with the document templates (``writeup.qmd``,
    ``writeup.en.qmd``, ``templates/``) and the sources :func:`prepare_sources` generates
    (``results`` and ``draw`` passed on to it)."""
    build = build_dir(results_dir, language)
    if build.exists():
        shutil.rmtree(build)
    build.mkdir(parents=True)
    for name in ("writeup.qmd", "writeup.en.qmd", "_quarto.yml"):
        shutil.copyfile(paths.REPORTS_DIR / name, build / name)
    shutil.copytree(paths.TEMPLATES_DIR, build / "templates")
    prepare_sources(results_dir, build, language=language, results=results, draw=draw)
    return build


def names_kept_whole(results: dict) -> tuple[str, ...]:
    """Names a Thai line must not split (each space-separated part stays whole): the agency
    and the model."""
    meta = results["meta"]
    return tuple(sorted({n for n in (meta.get("agency_th"), meta.get("model_name")) if n}))


def _pandoc_version() -> str:
    import pypandoc

    return pypandoc.get_pandoc_version()
