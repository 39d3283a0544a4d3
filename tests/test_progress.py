"""Progress on the terminal (issue 14): counts and step times when asked, nothing when not."""

from __future__ import annotations

import pytest

from analysis import progress
from analysis.reliability import reliability_by_dimension


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
