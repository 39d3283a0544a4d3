"""Running the notebooks in order with papermill: ``phanat run``.

Inputs are checked before anything is written (configs parse, the data file's header reads,
every codebook item is found), so bad input stops with one line and no output folder. What
only the whole table shows (a row of the wrong width, timestamps whose day/month order is
unclear) notebook 01 finds as it reads the export, before it writes anything; that ends the
run the same way (:class:`InputError`): the export is parsed once, not twice. The run is
executed in ``<out>.partial`` and renamed to ``<out>`` only when every notebook succeeded; a
failed run is kept as ``<out>.failed`` for inspection and ``<out>`` is left as it was.
``<out>`` may not be or hold an input's folder, one run at a time writes it, the final swap is
one rename, and Ctrl-C or SIGTERM stop the run with ``<out>`` untouched (see analysis.run.rundir).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from functools import partial as partial_call
from pathlib import Path

from analysis import paths
from analysis.data.cleaning import match_columns
from analysis.data.privacy import pseudonym_key
from analysis.data.reading import read_columns
from analysis.errors import PhanatError
from analysis.results.store import read_stage
from analysis.run.pipeline import DATA_ENV, load_context
from analysis.run.rundir import guarded_run, interrupted, old_path, recover_old, replace_dir

NOTEBOOKS = ("01_clean.ipynb", "02_reliability.ipynb", "03_descriptives.ipynb", "04_pdca.ipynb")
KERNEL = "python3"
# The kernel's own log stays quiet: it warned at every notebook that its local (127.0.0.1)
# connection is not encrypted, which alarmed people for no reason. Cell errors still stop
# the run with the notebook and cell named (PapermillExecutionError below).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass(frozen=True)
class StageTiming:
    notebook: str
    seconds: float


class InputError(PhanatError):
    """A problem of the export that notebook 01 found while reading and cleaning it (a
    :class:`PhanatError` raised in its kernel): the run stops with that one line and leaves no
    output folder, as :func:`check_inputs` would have."""


def check_inputs(data: Path, codebook: Path, study: Path) -> None:
    """Fail early, with one line, on anything the notebooks would trip over that the
    configuration and the export's header show (every configuration file is checked by
    :func:`load_context`; the columns by :func:`~analysis.data.cleaning.match_columns`)."""
    ctx = load_context(data, codebook, study, out_dir=".")
    match_columns(read_columns(data, ctx.study.sheet), ctx.codebook, ctx.study, data)
    if ctx.study.columns.respondent_key:
        pseudonym = ctx.study.pseudonym
        pseudonym_key(pseudonym.key_env, pseudonym.key, synthetic=ctx.synthetic)


def skip_iri_grammar() -> None:
    """Keep ``rfc3987_syntax`` out of this process. papermill validates notebooks with
    jsonschema, which imports it when it is installed (JupyterLab's dependencies bring it) and
    then builds an IRI grammar with lark: 1-3 s before the first notebook starts, for a format
    that notebooks never use. jsonschema treats the module as absent and skips the ``iri``
    format; a process that imported it already keeps it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def execute_notebook(notebook: Path, output: Path, parameters: dict, cwd: Path, km=None) -> None:
    """Execute one notebook with papermill (in the started kernel *km*, a
    :class:`WarmKernels` one, if given); an error becomes a PhanatError naming the cell."""
    skip_iri_grammar()
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL,
            progress_bar=False,
            cwd=str(cwd),
            log_output=False,
            extra_arguments=KERNEL_ARGUMENTS,
            **({"km": km} if km is not None else {}),
        )
    except PapermillExecutionError as exc:
        evalue = " ".join(str(exc.evalue).split())
        if exc.ename == PhanatError.__name__ and notebook.name == NOTEBOOKS[0]:
            raise InputError(evalue) from None
        raise PhanatError(
            f"notebook {notebook.name} failed in cell {exc.cell_index} "
            f"(execution count {exc.exec_count}): {exc.ename}: {evalue}; "
            f"the executed notebook is {output}"
        ) from None


@guarded_run
def run_pipeline(
    data: str | Path,
    codebook: str | Path,
    study: str | Path,
    out: str | Path,
    *,
    notebooks_dir: str | Path = paths.NOTEBOOKS_DIR,
    notebooks: tuple[str, ...] = NOTEBOOKS,
    progress: Callable[[str], None] = print,
    accept_losses: bool = False,
) -> list[StageTiming]:
    """Run every notebook against the given inputs; return the time each took.

    After cleaning, a rule that removed or blanked more than ``cleaning.max_loss`` of the
    rows or answers stops the run (:func:`check_losses`) unless ``accept_losses``; smaller
    losses are printed as warnings at the end."""
    data, codebook, study, out = (Path(p).resolve() for p in (data, codebook, study, out))
    notebooks_dir = Path(notebooks_dir).resolve()
    order = waves(notebooks)
    skip_iri_grammar()  # before WarmKernels imports nbformat (and with it jsonschema)
    # Kernels start, and do their imports, ahead of their notebooks: the first one while the
    # inputs are checked, the later ones while the notebook before them runs (on the other core).
    # They see the environment a kernel started by papermill would see (set below).
    kernel_env = {DATA_ENV: str(data), "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0")}
    warm = WarmKernels(
        [
            (notebooks_dir / name, {**kernel_env, **(kernel_environment(len(wave)) if len(wave) > 1 else {})})
            for wave in order
            for _, name in wave
        ],
        cwd=notebooks_dir,
    )
    try:
        return _run_waves(data, codebook, study, out, notebooks_dir, order, warm, progress, accept_losses)
    finally:
        warm.shutdown()


def _run_waves(
    data: Path,
    codebook: Path,
    study: Path,
    out: Path,
    notebooks_dir: Path,
    order: list[list[tuple[int, str]]],
    warm: WarmKernels,
    progress: Callable[[str], None],
    accept_losses: bool,
) -> list[StageTiming]:
    """:func:`run_pipeline` once its kernels are starting: check the inputs, run the waves of
    notebooks in ``<out>.partial`` and swap it in."""
    n_notebooks = sum(len(wave) for wave in order)
    check_inputs(data, codebook, study)
    if recover_old(out):
        progress(f"the previous results were restored from {old_path(out)} to {out}")
    partial = out.with_name(out.name + ".partial")
    failed = out.with_name(out.name + ".failed")
    for stale in (partial, failed):
        if stale.exists():
            shutil.rmtree(stale)
    (partial / paths.EXECUTED_NOTEBOOKS).mkdir(parents=True)
    os.environ[DATA_ENV] = str(data)  # not a parameter: parameters are written into the notebooks
    # One hash seed for the kernels: sets are iterated in one order in every run, so nothing
    # that iterates a set can change the bytes of the results.
    own_seed = "PYTHONHASHSEED" not in os.environ
    os.environ.setdefault("PYTHONHASHSEED", "0")
    params = {
        "data_path": "",
        "codebook_path": str(codebook),
        "study_path": str(study),
        "out_dir": str(partial),
    }
    timings: list[StageTiming] = []
    warnings: list[str] = []

    def run_one(i: int, name: str) -> StageTiming:
        start = time.perf_counter()
        notebook = notebooks_dir / name
        try:
            execute_notebook(
                notebook,
                partial / paths.EXECUTED_NOTEBOOKS / name,
                params,
                notebooks_dir,
                warm.take(notebook),
            )
        finally:
            warm.release(notebook)
        timing = StageTiming(name, time.perf_counter() - start)
        progress(f"[{i}/{n_notebooks}] {name} done in {timing.seconds:.1f} s")
        return timing

    try:
        # 01 (cleaning) first; 02 and 03 read only its processed data and each writes its own
        # files, so they run side by side; 04 reads what 02 and 03 wrote, so it runs last.
        for wave in order:
            for i, name in wave:
                progress(f"[{i}/{n_notebooks}] {name} ...")
            timings += side_by_side([partial_call(run_one, i, name) for i, name in wave])
            if wave[0][0] == 1 and wave[0][1].startswith("01"):
                warnings = check_losses(partial, accept_losses, failed)
                line = suggestions_line(partial)
                if line:
                    progress(line)
    except PhanatError as exc:
        if interrupted():  # the signal stopped a notebook's cell: an interrupt, not a failure
            shutil.rmtree(partial, ignore_errors=True)
            raise KeyboardInterrupt from None
        if isinstance(exc, InputError):  # bad input, found before notebook 01 wrote anything
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(failed)
        raise PhanatError(str(exc).replace(str(partial), str(failed))) from None
    except BaseException as exc:
        if interrupted() or isinstance(exc, KeyboardInterrupt):  # old results stay as they were
            shutil.rmtree(partial, ignore_errors=True)
            raise KeyboardInterrupt from None
        partial.rename(failed)
        raise
    finally:
        os.environ.pop(DATA_ENV, None)
        if own_seed:
            os.environ.pop("PYTHONHASHSEED", None)
    if interrupted():  # a signal the notebook's kernel swallowed
        shutil.rmtree(partial, ignore_errors=True)
        raise KeyboardInterrupt
    (partial / "timings.json").write_text(
        json.dumps({t.notebook: round(t.seconds, 3) for t in timings}, indent=2) + "\n", encoding="utf-8"
    )
    replace_dir(partial, out)
    progress(f"results in {out}")
    for line in warnings:
        progress(f"warning: {line}")
    return timings


def waves(notebooks: tuple[str, ...]) -> list[list[tuple[int, str]]]:
    """The notebooks (numbered from 1) in the order they can run: the first alone, then those
    that read only the processed data (02, 03) side by side, then the rest (04 reads the
    results of 02 and 03) one at a time."""
    numbered = list(enumerate(notebooks, start=1))
    middle = [(i, n) for i, n in numbered[1:] if n.startswith(("02", "03"))]
    rest = [[(i, n)] for i, n in numbered[1:] if (i, n) not in middle]
    return [w for w in ([numbered[:1], middle] + rest) if w]


def warm_up_code(notebook: Path) -> str:
    """What a kernel started ahead of *notebook* runs while it waits: it imports the modules the
    notebook's code cells import and those its stage imports when it runs
    (``analysis.run.pipeline.STAGE_MODULES``), and binds no name, so the notebook computes and
    shows exactly what it would in a new kernel."""
    import ast

    import nbformat

    modules: list[str] = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
    imports = "".join(f"_phanat_il.import_module({module!r})\n" for module in dict.fromkeys(modules))
    return (
        "import importlib as _phanat_il\n"
        f"{imports}"
        "from analysis.run.pipeline import preload as _phanat_preload\n"
        f"_phanat_preload({notebook.stem!r})\n"
        "del _phanat_il, _phanat_preload\n"
    )


class WarmKernels:
    """Kernels started ahead of their notebooks, two at a time in background threads (in the
    notebooks' order: the two cores are free while the inputs are checked), each
    with its environment (:func:`kernel_environment`) and its imports done (:func:`warm_up_code`).

    ``take(notebook)`` waits for the notebook's kernel and hands it to papermill, or gives None
    (papermill then starts a kernel as usual) if it could not be started or warmed;
    ``release(notebook)`` stops it after its notebook; ``shutdown()`` stops every kernel left,
    also those not started yet, on success, failure or interrupt.

    A kernel is only ever touched by one thread at a time: its starting thread until the
    warm-up ends (that thread alone stops it if the warm-up fails or the run stops meanwhile),
    then the caller. Two threads shutting one kernel down at once can leave its ZeroMQ context
    waiting for a socket forever (seen as a run that never ended after a bad row in 01)."""

    WARM_UP_SECONDS = 120
    POLL_SECONDS = 0.2  # how soon a starting kernel notices that the run stopped

    def __init__(self, notebooks: list[tuple[Path, dict[str, str]]], cwd: Path) -> None:
        import threading
        from concurrent.futures import ThreadPoolExecutor

        # imported here, in the calling thread, not first by two starting threads at once
        import nbformat  # noqa: F401 - warm_up_code reads the notebooks with it
        from jupyter_client.manager import KernelManager  # noqa: F401

        self._cwd = cwd
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._released: set[Path] = set()
        # fixed thread names: jupyter_core keeps one event-loop thread per calling thread's name
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="phanat-kernel-start")
        self._futures = {
            notebook: self._pool.submit(self._start, notebook, env) for notebook, env in notebooks
        }

    def _start(self, notebook: Path, env: dict[str, str]):
        if self._stopping.is_set():
            return None
        km = client_keeping_manager()(kernel_name=KERNEL)
        try:
            # as nbclient starts a kernel (its default in-memory history: no history file written)
            km.start_kernel(
                extra_arguments=[*KERNEL_ARGUMENTS, "--HistoryManager.hist_file=:memory:"],
                cwd=str(self._cwd),
                env={**os.environ, **env},
            )
            client = km.client()
            # shell and IOPub only: the heartbeat's thread, stopped before it made its socket,
            # printed a ZMQError traceback (a kernel with its manager is checked by its process)
            client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
            try:
                deadline = time.monotonic() + self.WARM_UP_SECONDS
                self._wait_until_ready(km, client, deadline)
                msg_id = client.execute(warm_up_code(notebook), silent=True, store_history=False)
                reply = self._reply(km, client, msg_id, deadline)
            finally:
                client.stop_channels()
            if reply["content"]["status"] != "ok":
                raise RuntimeError("the warm-up failed")
        except Exception:  # the notebook starts its own kernel, as without warming
            _stop_kernel(km)
            return None
        if self._stopping.is_set():  # the run stopped while this kernel warmed up
            _stop_kernel(km)
            return None
        return km

    def _wait_until_ready(self, km, client, deadline: float) -> None:
        """Wait for the kernel's first reply; stop waiting (RuntimeError) when the run stops,
        the kernel dies or the deadline passes."""
        while True:
            if self._stopping.is_set() or time.monotonic() > deadline:
                raise RuntimeError("the warm-up did not start")
            try:
                client.wait_for_ready(timeout=self.POLL_SECONDS)
                return
            except RuntimeError:
                if not km.is_alive():
                    raise

    def _reply(self, km, client, msg_id: str, deadline: float) -> dict:
        """The kernel's reply to the warm-up; stops waiting (RuntimeError) when the run stops,
        the kernel dies or the deadline passes."""
        import queue

        while not self._stopping.is_set() and km.is_alive() and time.monotonic() < deadline:
            try:
                reply = client.get_shell_msg(timeout=self.POLL_SECONDS)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
        raise RuntimeError("the warm-up did not finish")

    def take(self, notebook: Path):
        """The notebook's warm kernel (waiting for its warm-up), or None."""
        future = self._futures.get(notebook)
        if future is None or future.cancelled():
            return None
        with self._lock:
            if notebook in self._released:
                return None
        return future.result()

    def release(self, notebook: Path) -> None:
        """Stop the notebook's kernel (once its warm-up has ended, if it is still warming)."""
        future = self._futures.get(notebook)
        with self._lock:
            if future is None or notebook in self._released:
                return
            self._released.add(notebook)
        if not future.cancelled():
            _stop_kernel(future.result())

    def shutdown(self) -> None:
        """Stop every kernel: those not started are never started, those starting stop at
        their next check (about a second), those warm and not released are stopped."""
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for notebook in self._futures:
            self.release(notebook)


@cache
def client_keeping_manager() -> type:
    """jupyter_client's ``KernelManager`` that keeps the clients it makes, so that
    :func:`_stop_kernel` stops their channels: nbclient leaves the client of a kernel it was
    given running (its heartbeat thread, sockets and ZeroMQ context), one more per notebook and
    run, until a long session (the test suite) runs out of file descriptors."""
    from jupyter_client.manager import KernelManager

    class ClientKeepingKernelManager(KernelManager):
        def client(self, **kwargs):
            made = super().client(**kwargs)
            self.__dict__.setdefault("phanat_clients", []).append(made)
            return made

    return ClientKeepingKernelManager


def _stop_kernel(km) -> None:
    """Stop the channels of the kernel's clients and shut it down now (no-op for None)."""
    if km is None:
        return
    for client in km.__dict__.pop("phanat_clients", []):
        client.stop_channels()
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    except Exception:  # a kernel that died by itself: nothing left to stop
        pass


# The variables by which OpenBLAS, OpenMP and MKL take their number of threads when a kernel
# starts (numpy reads them once, when it is first imported).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the OS tells it, else the count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def kernel_environment(n_jobs: int) -> dict[str, str]:
    """What the kernels of *n_jobs* notebooks run side by side are started with: closing
    progress lines only (``PHANAT_PROGRESS_BARS=0``: live bars of several processes would
    overwrite each other on one terminal line), and the CPUs shared out among them as BLAS
    threads, unless the user set a thread count. Two kernels each spinning up as many BLAS
    threads as the machine has cores wait on each other: on 2 cores notebook 02 took 3x
    longer next to 03 than alone (``benchmarks/bench_scale.py``)."""
    from analysis.run.progress import BARS_ENV

    threads = str(max(1, available_cpus() // max(n_jobs, 1)))
    env = {BARS_ENV: "0"}
    env.update({name: threads for name in BLAS_THREAD_VARIABLES if name not in os.environ})
    return env


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with *values* set (kernels started meanwhile inherit them), restored after."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def side_by_side(jobs: list[Callable[[], StageTiming]]) -> list[StageTiming]:
    """Run *jobs* at once (threads, each waiting on its own kernel process, started with
    :func:`kernel_environment`) and return their results in order; once all have stopped, the
    first failure in that order is raised."""
    if len(jobs) <= 1:
        return [job() for job in jobs]
    from concurrent.futures import ThreadPoolExecutor, wait

    with environment(kernel_environment(len(jobs))):
        # fixed thread names: jupyter_core keeps one event-loop thread per calling thread's
        # name, so new names in every run would leave two threads and their sockets behind
        pool = ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="phanat-notebook")
        futures = [pool.submit(job) for job in jobs]
        try:
            wait(futures)
        finally:
            # also on an interrupt in this thread (SIGTERM to phanat alone leaves the kernels
            # running): the jobs still write into the run folder, so the caller may remove it
            # only once they have stopped
            pool.shutdown(wait=True, cancel_futures=True)
    return [future.result() for future in futures]


def describe_loss(loss: dict) -> str:
    """One loss of :func:`analysis.data.cleaning.loss_report` in a line: rule, share, the most
    frequent offending values with their columns, the first raw rows, the fix."""
    examples = ", ".join(
        f"{t['column']}: {t['value']!r} x{t['count']}" if t["value"] else f"{t['column']} x{t['count']}"
        for t in loss["top"]
    )
    rows = ", ".join(str(r) for r in loss["rows"])
    return (
        f"{loss['rule']}: {loss['count']:,} of {loss['of']:,} {loss['unit']} ({100 * loss['share']:.1f}%)"
        + (f", most frequent {examples}" if examples else "")
        + (f"; first raw rows {rows}" if rows else "")
        + f"; fix: {loss['fix']}"
    )


def suggestions_line(run_dir: Path) -> str:
    """One line on the free-text answers of a cleaned run (``results/clean.json``): how many
    responses kept hold a suggestion and what was redacted in them, by kind and count (never the
    text); empty when the study names no free-text column."""
    clean = read_stage(run_dir, "clean")
    suggestions = clean.suggestions
    if suggestions is None:
        return ""
    written = sum(c.n_suggestions for c in suggestions.cycles)
    rows = sum(c.n_rows for c in suggestions.cycles)
    redacted = ", ".join(f"{kind} {n:,}" for kind, n in sorted(suggestions.redactions.items()))
    return f"free text: {written:,} of {rows:,} responses kept hold a suggestion; " + (
        f"redacted before analysis: {redacted}" if redacted else "no personal data found to redact"
    )


def check_losses(run_dir: Path, accept: bool, failed: Path) -> list[str]:
    """Read the cleaning summary of a run (``results/clean.json``) and stop (PhanatError) when
    a cleaning rule lost more than the study's ``cleaning.max_loss`` share, or when the report
    cycle has no responses; return the smaller losses as warning lines."""
    summary = read_stage(run_dir, "clean").model_dump(mode="json")["cleaning"]
    losses = summary.get("losses", [])
    over = [loss for loss in losses if loss["over"]]
    log = failed / paths.CLEANING_LOG
    if over and not accept:
        threshold = summary.get("rules", {}).get("max_loss", 0.05)
        raise PhanatError(
            f"cleaning would drop or blank more than {100 * threshold:.0f}% (cleaning.max_loss): "
            + " | ".join(describe_loss(loss) for loss in over)
            + f" | to go on anyway run again with --accept-losses; every change is in {log}",
            file=summary.get("file"),
        )
    n_by_cycle = summary.get("n_by_cycle", {})
    report = summary.get("report_cycle")
    if report and not n_by_cycle.get(report):
        kept = ", ".join(f"{c} {n}" for c, n in n_by_cycle.items())
        raise PhanatError(
            f"no responses are left in the report cycle {report!r} after cleaning (kept per cycle: {kept}); "
            f"check the cycle windows and report_cycle in the study config; every change is in {log}",
            file=summary.get("file"),
        )
    return [("accepted: " if loss["over"] else "") + describe_loss(loss) for loss in losses]
