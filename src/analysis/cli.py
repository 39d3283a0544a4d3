"""The ``phanat`` command: run the notebooks, render the write-up, make example data, write the
results' JSON Schema."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from pathlib import Path

from analysis import paths
from analysis.errors import PhanatError


def _run(args: argparse.Namespace) -> None:
    from analysis.run.progress import ENV
    from analysis.run.runner import run_pipeline

    if args.quiet:
        os.environ[ENV] = "0"  # the notebooks' kernels inherit it: no progress bars either
    start = time.perf_counter()
    timings = run_pipeline(
        args.data,
        args.codebook,
        args.study,
        args.out,
        progress=(lambda _msg: None) if args.quiet else print,
        accept_losses=args.accept_losses,
    )
    if not args.quiet:
        print(
            f"pipeline finished in {time.perf_counter() - start:.1f} s "
            f"({', '.join(f'{t.notebook} {t.seconds:.1f} s' for t in timings)})"
        )


def _init(args: argparse.Namespace) -> None:
    from analysis.data.drafting import draft_study

    print(draft_study(args.export, args.out, force=args.force).summary())


def _render(args: argparse.Namespace) -> None:
    from analysis.report.render import render

    outputs = render(
        args.results,
        out_dir=args.out_dir,
        formats=tuple(args.to.split(",")),
        engine=args.engine,
        progress=print,
        language=args.lang,
    )
    for path in outputs:
        print(path)


def _synth(args: argparse.Namespace) -> None:
    from analysis.data.synthetic import write_example

    print(write_example(args.config, args.output))


def _package(args: argparse.Namespace) -> None:
    from analysis.report.package import build_package

    out = args.output or args.results / "submission_package.zip"
    print(build_package(args.results, out, args.report_dir))


def _schema(args: argparse.Namespace) -> None:
    from analysis.results.models import results_schema_text

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(results_schema_text(), encoding="utf-8")
    print(args.output)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phanat", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser(
        "init", help="draft a study folder (codebook, study config) from your own survey export"
    )
    init.add_argument("export", type=Path, help="the raw export (.csv, .xlsx, .sav)")
    init.add_argument("--out", type=Path, default=None, help="study folder to write (default: the export's)")
    init.add_argument("--force", action="store_true", help="overwrite existing codebook/study files")
    init.set_defaults(func=_init)

    run = sub.add_parser("run", help="clean, analyse and evaluate a survey export (runs notebooks 01-04)")
    run.add_argument("--data", type=Path, default=paths.EXAMPLE_DATA, help="survey export (.csv, .xlsx)")
    run.add_argument("--codebook", type=Path, default=paths.EXAMPLE_CODEBOOK, help="codebook YAML")
    run.add_argument("--study", type=Path, default=paths.EXAMPLE_STUDY, help="study config YAML")
    run.add_argument("--out", type=Path, default=paths.EXAMPLE_OUT, help="run folder to write")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.add_argument(
        "--accept-losses",
        action="store_true",
        help="go on when cleaning drops or blanks more than cleaning.max_loss (the write-up says so)",
    )
    run.set_defaults(func=_run)

    render = sub.add_parser("render", help="render the write-up (HTML, DOCX, PDF) from a run folder")
    render.add_argument("--results", type=Path, default=paths.EXAMPLE_OUT, help="run folder of phanat run")
    render.add_argument("--out-dir", type=Path, default=None, help="where to write (default RESULTS/report)")
    render.add_argument("--to", default="html,docx,pdf", help="formats, comma-separated")
    render.add_argument(
        "--lang", default="th", choices=("th", "en"), help="th: the Thai write-up; en: the English edition"
    )
    render.add_argument(
        "--engine",
        choices=["auto", "quarto", "pandoc"],
        default="auto",
        help="quarto if on PATH (auto), else pandoc + typst",
    )
    render.set_defaults(func=_render)

    synth = sub.add_parser("synth", help="regenerate the synthetic example export")
    synth.add_argument("--config", type=Path, default=paths.EXAMPLE_SYNTHETIC_CONFIG)
    synth.add_argument("--output", type=Path, default=None)
    synth.set_defaults(func=_synth)

    package = sub.add_parser(
        "package", help="build the award submission zip (write-up, figures, tables, manifest)"
    )
    package.add_argument("--results", type=Path, default=paths.EXAMPLE_OUT, help="run folder of phanat run")
    package.add_argument(
        "--report-dir", type=Path, default=None, help="rendered write-up (default RESULTS/report)"
    )
    package.add_argument(
        "--output", type=Path, default=None, help="zip to write (default RESULTS/submission_package.zip)"
    )
    package.set_defaults(func=_package)

    schema = sub.add_parser("schema", help="write the JSON Schema of a run's results files (results/*.json)")
    schema.add_argument(
        "--output", type=Path, default=paths.RESULTS_SCHEMA, help="default docs/results.schema.json"
    )
    schema.set_defaults(func=_schema)
    return parser


def os_error_line(exc: OSError) -> str:
    """``<file>: <what the system said> (<errno name>)``: where a write failed and why."""
    code = errno.errorcode.get(exc.errno, "") if exc.errno else ""
    where = exc.filename if exc.filename is not None else ""
    what = exc.strerror or " ".join(str(exc).split())
    suffix = f" ({code})" if code else ""
    return f"{where}: {what}{suffix}" if where else f"{what}{suffix}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except PhanatError as exc:
        print(f"phanat: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("phanat: interrupted: stopped; earlier results were left as they were", file=sys.stderr)
        return 130
    except OSError as exc:  # read-only or full disk, missing permission: one line, no traceback
        print(f"phanat: error: {os_error_line(exc)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
