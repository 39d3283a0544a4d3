"""Progress on the terminal (issue 14): counts and step times when asked, nothing when not."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import paths
from analysis.run import progress
from analysis.stats.reliability import reliability_by_dimension


def test_forced_progress_prints_a_closing_line_per_step(monkeypatch, capfd):
    monkeypatch.setenv(progress.ENV, "1")
    with progress.Counter(10, "bootstrap of alpha", "resample") as counter:
        for _ in range(4):
            counter.update(250)
    with progress.step("CFA"):
        pass
    assert list(progress.iterate(["a", "b"], "figures", "figure")) == ["a", "b"]
    err = capfd.readouterr().err
    assert "bootstrap of alpha: 1,000 resamples in" in err
    assert "CFA ..." in err and "CFA: 0.0 s" in err
    assert "figures: 2 figures in" in err


@pytest.mark.parametrize("setting", ["0", ""])
def test_no_progress_when_switched_off_or_not_a_terminal(monkeypatch, capfd, setting):
    monkeypatch.setenv(progress.ENV, setting)  # pytest's captured stderr is not a terminal
    with progress.Counter(None, "x", "unit") as counter:
        counter.update()
    with progress.step("y"):
        pass
    assert capfd.readouterr().err == ""


def test_bootstrap_reports_every_resample(codebook):
    import pandas as pd

    from tests.conftest import REFERENCE

    rows = pd.read_csv(REFERENCE / "example_processed.csv").query("cycle == 'C2'")
    done: list[int] = []
    reliability_by_dimension(rows, codebook, n_boot=700, seed=1, progress=done.append)
    assert sum(done) == 700  # pairwise: every scale has the same rows, so one stream of resamples


def test_side_by_side_keeps_order_and_raises_the_first_failure_after_all_stopped():
    import threading
    import time

    from analysis.run.runner import StageTiming, side_by_side

    finished: list[str] = []
    running = threading.Barrier(3, timeout=10)  # all three must be running at once

    def job(name: str, fail: bool = False):
        def run():
            running.wait()
            time.sleep(0.05 if name == "a" else 0.0)
            finished.append(name)
            if fail:
                raise ValueError(name)
            return StageTiming(name, 0.0)

        return run

    assert [t.notebook for t in side_by_side([job("a"), job("b"), job("c")])] == ["a", "b", "c"]
    finished.clear()
    running.reset()
    with pytest.raises(ValueError, match="b"):
        side_by_side([job("a"), job("b", fail=True), job("c", fail=True)])
    assert sorted(finished) == ["a", "b", "c"]  # nobody was left running


def test_bars_off_keeps_to_whole_lines(monkeypatch):
    monkeypatch.setenv(progress.BARS_ENV, "0")
    monkeypatch.setenv(progress.ENV, "1")
    opened = progress.terminal()
    assert opened is not None and opened[1] is False
    opened[0].close()


def test_side_by_side_kernels_share_the_cpus_as_blas_threads(monkeypatch):
    """Kernels run side by side split the CPUs between their BLAS thread pools (each taking
    all of them made notebook 02 three times slower next to 03); a user's own setting wins,
    and the parent's environment is as before afterwards."""
    import os

    from analysis.run import runner

    monkeypatch.setattr(runner, "available_cpus", lambda: 4)
    for name in runner.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    env = runner.kernel_environment(2)
    assert env["OPENBLAS_NUM_THREADS"] == env["OMP_NUM_THREADS"] == "2"
    assert "MKL_NUM_THREADS" not in env and env[progress.BARS_ENV] == "0"
    assert runner.kernel_environment(8)["OPENBLAS_NUM_THREADS"] == "1"
    seen: list[str | None] = []

    def job():
        seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))
        return runner.StageTiming("x", 0.0)

    runner.side_by_side([job, job])
    assert seen == ["2", "2"] and "OPENBLAS_NUM_THREADS" not in os.environ


def test_the_runner_validates_notebooks_without_the_iri_grammar():
    """papermill's jsonschema would build rfc3987_syntax's grammar (1-3 s) at import; the
    runner keeps it out, and notebooks still validate."""
    code = (
        "import sys\n"
        "from analysis.run.runner import skip_iri_grammar\n"
        "skip_iri_grammar()\n"
        "import papermill, nbformat\n"
        "nb = nbformat.read('notebooks/01_clean.ipynb', as_version=4)\n"
        "nbformat.validate(nb)\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.PROJ_ROOT)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_a_step_names_the_part_it_is_at_on_a_live_line(monkeypatch):
    import os
    import pty

    master, tty = pty.openpty()

    class Terminal:
        def fileno(self) -> int:
            return tty

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.delenv(progress.BARS_ENV, raising=False)
    with progress.step("cleaning 3 rows") as say:
        say("duplicates")
    os.close(tty)
    chunks = []
    while True:  # a pty hands over what was written in pieces: read until the closed end
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO once the terminal side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    shown = b"".join(chunks).decode()
    os.close(master)
    assert "cleaning 3 rows ... duplicates" in shown and "cleaning 3 rows: 0.0 s" in shown


def test_no_part_lines_without_a_live_terminal(monkeypatch, capfd):
    monkeypatch.setenv(progress.ENV, "1")
    with progress.step("cleaning 3 rows") as say:
        say("duplicates")
    err = capfd.readouterr().err
    assert "duplicates" not in err and "cleaning 3 rows: " in err
