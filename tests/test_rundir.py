"""Raw data and old results are never lost: where --out may be, one writer at a time, the
final swap, interrupts, faults of the output location (analysis.run.rundir, runner, cli)."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import PhanatError
from analysis.run import rundir
from analysis.run.rundir import check_out_location, recover_old, replace_dir, run_lock
from tests.conftest import copy_study_config


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    study = tmp_path / "study"
    study.mkdir()
    copy_study_config(study)
    data = tmp_path / "exports" / "responses.csv"
    data.parent.mkdir()
    data.write_text("x\n1\n", encoding="utf-8")
    return {"data": data, "codebook": study / "codebook.yaml", "study config": study / "study.yaml"}


@pytest.mark.parametrize(
    "where", ["study", "exports", "study/run", "exports/sub/run", ".", "exports/../study"]
)
def test_out_on_an_input_folder_is_refused(inputs, tmp_path, where):
    with pytest.raises(PhanatError, match=r"--out (is|is inside|holds) the folder of the"):
        check_out_location(tmp_path / where, inputs)


def test_out_elsewhere_is_accepted(inputs, tmp_path):
    check_out_location(tmp_path / "processed" / "run", inputs)
    check_out_location(tmp_path / "study-run", inputs)  # a sibling whose name starts alike


def test_cli_refuses_out_equal_to_the_study_folder_and_deletes_nothing(inputs, capsys):
    study = inputs["study config"].parent
    before = sorted(p.name for p in study.iterdir())
    code = main(
        ["run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
         "--study", str(inputs["study config"]), "--out", str(study)]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "--out is the folder of the" in err
    assert sorted(p.name for p in study.iterdir()) == before


def test_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path):
    out = tmp_path / "run"
    with run_lock(out):
        with pytest.raises(PhanatError, match="another phanat run is writing this output folder"):
            with run_lock(out):
                pass
    with run_lock(out):  # released: the next run may go
        pass


def test_lock_is_held_across_processes(tmp_path):
    out = tmp_path / "run"
    code = (
        "import sys, time; from pathlib import Path; from analysis.run.rundir import run_lock\n"
        f"with run_lock(Path({str(out)!r})):\n    print('locked', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(PhanatError, match="another phanat run"):
            with run_lock(out):
                pass
    finally:
        holder.kill()
        holder.wait()
    with run_lock(out):  # a killed holder leaves no stale lock
        pass


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "results.json").write_text(text, encoding="utf-8")
    return path


def test_replace_dir_swaps_in_one_rename(tmp_path):
    out = _folder(tmp_path / "run", "old")
    new = _folder(tmp_path / "run.partial", "new")
    replace_dir(new, out)
    assert (out / "results.json").read_text(encoding="utf-8") == "new"
    assert not new.exists() and not (tmp_path / "run.old").exists()


def test_replace_dir_without_exchange_and_recovery_after_a_kill(tmp_path, monkeypatch):
    monkeypatch.setattr(rundir, "_exchange", lambda a, b: False)
    out = _folder(tmp_path / "run", "old")
    replace_dir(_folder(tmp_path / "run.partial", "new"), out)
    assert (out / "results.json").read_text(encoding="utf-8") == "new"
    # A kill between the fallback's two renames: <out> missing, the old results in .old.
    out.rename(tmp_path / "run.old")
    assert recover_old(out) == out
    assert (out / "results.json").read_text(encoding="utf-8") == "new"
    assert recover_old(out) is None


def test_replace_dir_puts_the_old_results_back_if_the_second_rename_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(rundir, "_exchange", lambda a, b: False)
    out = _folder(tmp_path / "run", "old")
    new = _folder(tmp_path / "run.partial", "new")
    real_rename = Path.rename

    def failing(self, target):
        if self == new:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError):
        replace_dir(new, out)
    assert (out / "results.json").read_text(encoding="utf-8") == "old"


def test_full_disk_is_one_line_not_a_traceback(inputs, tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "run.partial"))

    monkeypatch.setattr("analysis.run.runner.check_inputs", lambda *a: None)
    monkeypatch.setattr(Path, "mkdir", full)
    code = main(
        ["run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
         "--study", str(inputs["study config"]), "--out", str(tmp_path / "run")]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1
    assert err == f"phanat: error: {tmp_path / 'run.partial'}: No space left on device (ENOSPC)"


def _read_only(folder: Path, on: bool) -> bool:
    """Make ``folder`` read-only even for root (``chattr +i``) or, for other users, by mode."""
    if os.geteuid() != 0:
        folder.chmod(0o555 if on else 0o755)
        return True
    chattr = shutil.which("chattr")
    return bool(chattr) and subprocess.run([chattr, "+i" if on else "-i", str(folder)]).returncode == 0


def test_read_only_location_is_one_line(inputs, tmp_path, capsys):
    parent = tmp_path / "ro"
    parent.mkdir()
    if not _read_only(parent, True):
        pytest.skip("cannot make a folder read-only here")
    try:
        code = main(
            ["run", "--data", str(inputs["data"]), "--codebook", str(inputs["codebook"]),
             "--study", str(inputs["study config"]), "--out", str(parent / "run")]
        )  # fmt: skip
    finally:
        _read_only(parent, False)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"phanat: error: {parent / 'run.lock'}: ") and ("EPERM" in err or "EACCES" in err)
    assert list(parent.iterdir()) == []


def test_failed_render_leaves_no_partial_file(tmp_path):
    from analysis.report.render import _replaced_when_done

    target = tmp_path / "writeup.html"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with _replaced_when_done(target) as tmp:
            tmp.write_text("half a wri", encoding="utf-8")
            raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["writeup.html"]


def test_sigterm_becomes_a_clean_interrupt():
    with pytest.raises(KeyboardInterrupt):
        with rundir.interrupts_as_keyboard_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
    assert rundir.interrupted()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    # the stop is said in one line: what stopping kernels would log is not printed
    assert logging.root.manager.disable == logging.CRITICAL
    logging.disable(logging.NOTSET)
