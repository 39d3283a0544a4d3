"""Benchmark (issue 14): the whole run at scale, stage by stage, and the README's scaling table.

For each size (respondents in all, half per PDCA cycle, 30% answering in both cycles, 27
items with 0.4% blanks, from the project's own generator ``analysis.data.synthetic``):

* every stage of a run (read + clean, reliability with 2,000 bootstrap resamples and the
  CFA, descriptives with group tests, PDCA) runs in a fresh Python process, as each notebook
  runs in a fresh kernel; wall time and peak memory (``ru_maxrss``) of each;
* for the sizes in ``--runs``, the real ``phanat run`` (papermill, four kernels) under
  ``/usr/bin/time -v``: wall time and the peak memory of its largest process.

Targets: ``phanat run`` on 50,000 respondents per cycle (100,000 in all) within 20 s and 1 GB;
reading + cleaning at least 10,000 rows/s. ``--readme`` writes the tables into README.md
between the ``scaling`` markers.

    make bench          # or: uv run python benchmarks/bench_scale.py [--sizes 1000,10000] [--runs 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from analysis import paths
from analysis.config.study import load_study

TARGET_RUN_SECONDS = 20.0
TARGET_RUN_MB = 1000.0
TARGET_ROWS_PER_SECOND = 10_000
STAGES = ("clean", "reliability", "descriptives", "pdca")
README = paths.PROJ_ROOT / "README.md"
MARKERS = {"stages": "scaling", "runs": "scaling-run"}  # <!-- name:start --> ... <!-- name:end -->
LOAD_AT_START = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

STAGE_CODE = """
import json, sys, time
start = time.perf_counter()
from analysis import paths
from analysis.run.pipeline import load_context, load_processed
stage = sys.argv[1]
ctx = load_context(sys.argv[2], paths.EXAMPLE_CODEBOOK, paths.EXAMPLE_STUDY, sys.argv[3])
work = time.perf_counter()
if stage == "clean":
    from analysis.run.pipeline import stage_clean
    rows = len(stage_clean(ctx).data)
else:
    import analysis.run.pipeline as p
    data = load_processed(ctx)
    getattr(p, "stage_" + stage)(ctx, data)
    rows = len(data)
now = time.perf_counter()
print(json.dumps({"seconds": now - start, "work": now - work, "rows": rows}))
"""


def make_export(respondents: int, work: Path) -> Path:
    """The synthetic export of this size (made once, kept in *work*/exports, apart from the
    run folders: a run refuses an output folder that holds its data)."""
    out = work / "exports" / f"export_{respondents}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_file():
        return out
    settings = yaml.safe_load(paths.EXAMPLE_SYNTHETIC_CONFIG.read_text(encoding="utf-8"))
    first = respondents // 2
    # two PDCA cycles with data, the last two of the example (the ones the run compares); none
    # in the example's earlier cycles, so the sizes stay comparable however many it has
    *earlier, before, after = [c.code for c in load_study(paths.EXAMPLE_STUDY).cycles]
    settings["respondents"] = {
        **dict.fromkeys(earlier, 0),
        before: first,
        after: respondents - first,
        "in_both": int(0.3 * respondents),
    }
    settings["codebook"] = str(paths.EXAMPLE_CODEBOOK)
    settings["study"] = str(paths.EXAMPLE_STUDY)
    settings["output"] = str(out)
    config = out.with_name(f"synthetic_{respondents}.yaml")
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    # in its own process, so that this one stays small (a child's peak memory would count it)
    subprocess.run([sys.executable, "-m", "analysis.cli", "synth", "--config", str(config)], check=True)
    return out


def run_stages(export: Path, out: Path) -> dict[str, dict]:
    """Each stage in a fresh process: seconds (with imports, as a kernel) and peak MB
    (``/usr/bin/time -v``, the process's own maximum resident set)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / paths.EXECUTED_NOTEBOOKS).mkdir(exist_ok=True)
    env = dict(os.environ, PHANAT_PROGRESS="0")
    results = {}
    for stage in STAGES:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-v", sys.executable, "-c", STAGE_CODE, stage, str(export), str(out)],
            capture_output=True,
            text=True,
            env=env,
        )
        if proc.returncode != 0:
            raise SystemExit(f"stage {stage} failed on {export.name}:\n{proc.stderr[-2000:]}")
        measured = json.loads(proc.stdout.strip().splitlines()[-1])
        measured["wall"] = time.perf_counter() - start
        measured["peak_mb"] = peak_mb(proc.stderr)
        results[stage] = measured
    return results


def full_run(export: Path, out: Path) -> dict:
    """``phanat run`` under /usr/bin/time -v: wall seconds, peak MB, seconds per notebook."""
    phanat = Path(sys.executable).with_name("phanat")
    env = dict(os.environ, PHANAT_PROGRESS="0")
    proc = subprocess.run(
        ["/usr/bin/time", "-v", str(phanat), "run", "--quiet", "--data", str(export), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(f"phanat run failed on {export.name}:\n{proc.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    cpu = sum(
        float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1))
        for kind in ("User", "System")
    )
    peak = peak_mb(proc.stderr)
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    total = hours * 3600 + minutes * 60 + seconds
    return {
        "seconds": total,
        "cpu": cpu,
        "peak_mb": peak,
        "notebooks": timings,
        "shares": shares(total, timings),
    }


def shares(total: float, notebooks: dict[str, float]) -> dict[str, float]:
    """Each part's share of the run's wall time: the notebooks one wave after another (a wave
    of notebooks side by side counts by its longest, so each of them gets the wave's share in
    proportion to its own time), and the rest: the input checks, kernel start-up and papermill."""
    from analysis.run.runner import waves

    out: dict[str, float] = {}
    for wave in waves(tuple(notebooks)):
        longest = max(notebooks[name] for _, name in wave)
        for _, name in wave:
            out[name] = longest / total * notebooks[name] / sum(notebooks[n] for _, n in wave)
    out["checks and start-up"] = max(0.0, 1 - sum(out.values()))
    return out


def peak_mb(time_report: str) -> float:
    """Maximum resident set size from ``/usr/bin/time -v``, in MB."""
    return float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_report).group(1)) / 1024


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def stage_table(rows: dict[int, dict[str, dict]]) -> str:
    head = "| respondents | " + " | ".join(f"{s} s / MB" for s in STAGES) + " | total s | peak MB |"
    lines = [head, "|" + "---:|" * (len(STAGES) + 3)]
    for size, stages in rows.items():
        cells = [f"{stages[s]['wall']:.1f} / {stages[s]['peak_mb']:.0f}" for s in STAGES]
        total = sum(stages[s]["wall"] for s in STAGES)
        peak = max(stages[s]["peak_mb"] for s in STAGES)
        lines.append(f"| {size:,} | " + " | ".join(cells) + f" | {total:.1f} | {peak:.0f} |")
    return "\n".join(lines)


def short(name: str) -> str:
    return name.split("_", 1)[1].removesuffix(".ipynb") if name.endswith(".ipynb") else name


def run_table(runs: dict[int, dict]) -> str:
    lines = [
        "| respondents | `phanat run` s | CPU s | peak MB | per notebook s | share of the wall time |",
        "|---:|---:|---:|---:|---|---|",
    ]
    for size, run in runs.items():
        per = ", ".join(f"{short(name)} {sec:.1f}" for name, sec in run["notebooks"].items())
        share = ", ".join(f"{short(name)} {100 * part:.0f}%" for name, part in run["shares"].items())
        lines.append(
            f"| {size:,} | {run['seconds']:.1f} | {run['cpu']:.1f} | {run['peak_mb']:.0f} | {per} | {share} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"load average {LOAD_AT_START:.1f} at the start and {load:.1f} at the end "
        f"(other jobs share the cores), {time.strftime('%Y-%m-%d')}"
    )


def write_readme(name: str, block: str) -> None:
    """Replace the README's block between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    text = README.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        raise SystemExit(f"README.md has no {start} marker")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    README.write_text(f"{before}{start}\n{block}\n{end}{after}", encoding="utf-8")
    print(f"wrote the {name} table into {README}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="respondents, comma-separated")
    parser.add_argument("--runs", default="100000", help="sizes for the full `phanat run` ('' for none)")
    parser.add_argument("--work", type=Path, default=None, help="keep exports and runs here (default: temp)")
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    run_sizes = [int(s) for s in args.runs.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        stages: dict[int, dict[str, dict]] = {}
        for size in sizes:
            stages[size] = run_stages(make_export(size, work), work / f"stages_{size}")
            clean = stages[size]["clean"]
            rate = clean["rows"] / clean["work"]
            print(
                f"{size:>9,} respondents: "
                + ", ".join(
                    f"{s} {stages[size][s]['wall']:.1f} s {stages[size][s]['peak_mb']:.0f} MB" for s in STAGES
                )
                + f"; read + clean + write {rate:,.0f} rows/s"
                + (
                    f" (target >= {TARGET_ROWS_PER_SECOND:,}) {verdict(rate >= TARGET_ROWS_PER_SECOND)}"
                    if size >= 100_000
                    else ""
                ),
                flush=True,
            )
        runs = {}
        for size in run_sizes:
            runs[size] = run = full_run(make_export(size, work), work / f"run_{size}")
            ok = run["seconds"] <= TARGET_RUN_SECONDS and run["peak_mb"] <= TARGET_RUN_MB
            ratio = run["seconds"] / TARGET_RUN_SECONDS
            target = (
                f" (target at 100,000: <= {TARGET_RUN_SECONDS:.0f} s, ratio {ratio:.2f}; "
                f"<= {TARGET_RUN_MB:.0f} MB) {verdict(ok)}"
                if size == 100_000
                else ""
            )
            print(
                f"phanat run, {size:,} respondents: {run['seconds']:.1f} s (CPU {run['cpu']:.1f} s), "
                f"peak {run['peak_mb']:.0f} MB{target}; share of the time: "
                + ", ".join(f"{short(n)} {100 * part:.0f}%" for n, part in run["shares"].items()),
                flush=True,
            )
    blocks = {}
    if stages:
        blocks["stages"] = (
            "Each stage in a fresh process (as each notebook runs in a fresh kernel), wall seconds with "
            "imports / peak MB; respondents split over two PDCA cycles, 27 items, 0.4% blanks, 2,000 "
            f"bootstrap resamples. Measured by `benchmarks/bench_scale.py` on {machine()}.\n\n"
            + stage_table(stages)
        )
    if runs:
        blocks["runs"] = (
            "The whole `phanat run` (the input checks, then four notebooks with papermill, 02 and 03 "
            "side by side, then 04; CPU = user + system seconds of all its processes; peak = the "
            "largest process; share = of the wall time, 02 and 03 sharing their wave's), measured by "
            "`benchmarks/bench_scale.py` on "
            f"{machine()}:\n\n" + run_table(runs)
        )
    for name, block in blocks.items():
        print(block)
        if args.readme:
            write_readme(MARKERS[name], block)


if __name__ == "__main__":
    main()
