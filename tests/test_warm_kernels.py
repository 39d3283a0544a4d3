"""Kernels started ahead of their notebooks: warmed without a trace, and never left running."""

from __future__ import annotations

import threading
import time

import psutil
import pytest

from analysis import paths
from analysis.run.runner import NOTEBOOKS, WarmKernels, warm_up_code

NOTEBOOK = paths.NOTEBOOKS_DIR / "03_descriptives.ipynb"


def kernel_children() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_warm_up_imports_and_binds_no_name(name):
    code = warm_up_code(paths.NOTEBOOKS_DIR / name)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the project's own notebooks
    assert set(namespace) == {"__builtins__"}
    assert "import_module" in code and "preload" in code


def test_a_warm_kernel_runs_its_notebook_like_a_new_one_and_is_stopped():
    warm = WarmKernels([(NOTEBOOK, {"PHANAT_TEST_VARIABLE": "seen"})], cwd=paths.NOTEBOOKS_DIR)
    try:
        km = warm.take(NOTEBOOK)
        assert km is not None and km.is_alive()
        client = km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(
                "import os, sys\n"
                "assert 'analysis.stats.descriptives' in sys.modules\n"
                "assert not [n for n in dir() if n.startswith('_phanat')]\n"
                "assert os.environ['PHANAT_TEST_VARIABLE'] == 'seen'\n"
                f"assert os.getcwd() == {str(paths.NOTEBOOKS_DIR)!r}\n",
                timeout=60,
                output_hook=lambda msg: None,
            )
        finally:
            client.stop_channels()
        assert reply["content"]["status"] == "ok", reply["content"]
        # the warm-up stored no history: the notebook's first cell is execution 1
        assert reply["content"]["execution_count"] == 1
        warm.release(NOTEBOOK)
        assert not km.is_alive()
    finally:
        warm.shutdown()
    assert not kernel_children()


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.8, 1.5, 2.5, 4.0])
def test_shutdown_while_kernels_start_ends_at_once_and_leaves_none_running(delay, capfd, monkeypatch):
    """Stopped at any moment of the start-up (a bad row found by 01 stops the run while the
    later kernels warm up): shutdown returns, no thread fails, no kernel is left. The old code
    stopped a starting kernel from two threads at once and, now and then, never returned."""
    failures: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    notebooks = [(paths.NOTEBOOKS_DIR / name, {}) for name in NOTEBOOKS]
    warm = WarmKernels(notebooks, cwd=paths.NOTEBOOKS_DIR)
    time.sleep(delay)
    warm.release(notebooks[0][0])  # as the first notebook's failure does, then the run's end
    stopper = threading.Thread(target=warm.shutdown, daemon=True)
    start = time.perf_counter()
    stopper.start()
    stopper.join(timeout=60)
    assert not stopper.is_alive(), "shutdown did not return within 60 s"
    assert time.perf_counter() - start < 30
    for _ in range(50):
        if not kernel_children():
            break
        time.sleep(0.1)
    assert not kernel_children()
    assert all(warm.take(notebook) is None for notebook, _ in notebooks)
    assert not failures
    assert "Traceback" not in capfd.readouterr().err
