"""The write-up's figures drawn on two cores while the rest of a render goes on.

matplotlib draws in Python (it holds the interpreter lock), so a thread alone would not draw
while the render writes the sources, segments the Thai text and finishes the DOCX and PDF; a
forked process does, on another core. :class:`FiguresBeside` is a drop-in for
:func:`analysis.report.figures.draw_figures`: called with the same arguments it starts the
drawing and returns the same file names at once; :meth:`FiguresBeside.wait` blocks until the
PNGs (what the HTML, DOCX and PDF write-ups embed) or also the PDFs (the submission package's
vector copies) are written.

Two drawers share the figures: the forked child and a thread of this process, which takes
figures in the gaps the render leaves it (while pandoc reads the sources, for instance). Each
takes the next figure not yet taken (a counter shared by both), builds it, saves its PNG; once
no figure is left it saves the PDFs of the figures it built. Every figure is built once and saved
PNG then PDF by :func:`analysis.report.plots.save_figure`, as :func:`draw_figures` does, so the
files are the same bytes whoever draws them. Where the platform does not fork safely (Windows,
macOS), the figures are drawn in this process before the call returns.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from analysis.errors import PhanatError
from analysis.report import plots
from analysis.report.figures import figure_makers


def can_fork() -> bool:
    """Whether a render may draw its figures in a forked child: Linux only (macOS's system
    libraries are not fork-safe, Windows has no fork)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def draw_share(
    makers: Mapping[str, Callable[[], Any]],
    target: Path,
    taken: Any,
    report: Callable[[str, float], None],
    kinds: tuple[str, ...] = plots.FIGURE_FORMATS,
) -> None:
    """One drawer's work: take the next figure not yet taken (``taken``: a shared
    ``multiprocessing.Value`` counting the figures handed out), build it and save its PNG, until
    none is left; ``report("png", seconds)``; then, if ``kinds`` has ``"pdf"``, save the PDF of
    each figure it built; ``report("pdf", seconds)`` either way."""
    start = time.perf_counter()
    names = list(makers)
    built = {}
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(names):
            break
        name = names[index]
        built[name] = makers[name]()
        plots.save_figure(built[name], target, name, ("png",))
    report("png", time.perf_counter() - start)
    for name, fig in built.items() if "pdf" in kinds else ():
        plots.save_figure(fig, target, name, ("pdf",))
    report("pdf", time.perf_counter() - start)


def draw_in_child(
    makers: Mapping[str, Callable[[], Any]],
    target: Path,
    taken: Any,
    conn: Connection,
    kinds: tuple[str, ...] = plots.FIGURE_FORMATS,
) -> None:
    """The child's :func:`draw_share`, its reports sent as ``(kind, seconds)``; on any error
    ``("error", exception)`` with the child's traceback as a note."""
    try:
        draw_share(makers, target, taken, lambda kind, seconds: conn.send((kind, seconds)), kinds)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        exc.add_note("in the figure process:\n" + traceback.format_exc())
        try:
            pickle.loads(pickle.dumps(exc))  # the parent must be able to read it back
        except Exception:  # noqa: BLE001 - an exception that does not pickle goes as text
            exc = RuntimeError(f"drawing the figures failed:\n{traceback.format_exc()}")
        conn.send(("error", exc))
    finally:
        conn.close()


class FiguresBeside:
    """Draws a render's figures beside the rest of it (see the module docstring); use it as
    ``draw_figures`` and call :meth:`close` (or use ``with``) when the render ends. ``kinds``:
    the files saved, PNG and PDF (as ``draw_figures``) or PNG only (a render: the write-ups
    embed the PNGs; ``phanat package`` draws the PDF copies)."""

    def __init__(self, kinds: tuple[str, ...] = plots.FIGURE_FORMATS) -> None:
        self._kinds = kinds
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._child: dict[str, float] = {}  # the child's reports
        self._here: dict[str, float] = {}  # this process's thread's reports
        self._here_done = {kind: threading.Event() for kind in plots.FIGURE_FORMATS}
        self.seconds: dict[str, float] = {}  # "png", "pdf": seconds from the start of drawing

    def __call__(
        self, results: dict, language: str, target: Path, *, narrative: Mapping[str, Any] | None = None
    ) -> dict[str, dict[str, str]]:
        """Start drawing ``results``' figures in ``language`` into ``target``; returns figure
        name → ``{"png": …, "pdf": …}`` as :func:`analysis.report.figures.draw_figures` does."""
        makers = figure_makers(results, language, narrative)
        if not can_fork():
            start = time.perf_counter()
            names = {
                name: plots.save_figure(make(), target, name, self._kinds) for name, make in makers.items()
            }
            self.seconds = dict.fromkeys(plots.FIGURE_FORMATS, time.perf_counter() - start)
            return names
        context = multiprocessing.get_context("fork")
        taken = context.Value("i", 0)
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(
            target=draw_in_child,
            args=(makers, Path(target), taken, child, self._kinds),
            name="phanat-figures",
        )
        self._process.daemon = True  # ended with this process if close() is never reached
        self._process.start()  # fork before this process starts its drawing thread
        child.close()
        self._thread = threading.Thread(
            target=self._draw_here, args=(makers, Path(target), taken), name="phanat-figures", daemon=True
        )
        self._thread.start()
        return {name: plots.figure_file_names(name, self._kinds) for name in makers}

    def _draw_here(self, makers: Mapping[str, Callable[[], Any]], target: Path, taken: Any) -> None:
        def report(kind: str, seconds: float) -> None:
            self._here[kind] = seconds
            self._here_done[kind].set()

        try:
            draw_share(makers, target, taken, report, self._kinds)
        except BaseException as exc:  # noqa: BLE001 - raised where the render waits
            self._error = self._error or exc
        finally:
            for done in self._here_done.values():
                done.set()

    def wait(self, fmt: str = "pdf") -> None:
        """Block until every figure's ``fmt`` file (``png``, or ``pdf``: all of them) is
        written; raise the drawing's error if it failed. Safe from several threads."""
        with self._lock:
            if fmt in self.seconds:
                return
            if self._thread is not None:
                self._here_done[fmt].wait()
            while fmt not in self._child and self._error is None:
                if self._conn is None:
                    raise PhanatError("the figures were not drawn: the figure process is closed")
                try:
                    kind, value = self._conn.recv()
                except EOFError:
                    code = self._process.exitcode if self._process else None
                    self._error = PhanatError(f"the figure process ended unfinished (exit code {code})")
                    continue
                if kind == "error":
                    self._error = value
                else:
                    self._child[kind] = value
            if self._error is not None:
                raise self._error
            for kind, seconds in self._child.items():  # the PNGs are done before the PDFs
                self.seconds[kind] = max(seconds, self._here.get(kind, 0.0))

    def close(self) -> None:
        """End the child (if a failure elsewhere left it drawing), let this process's drawing
        thread finish, and release the pipe."""
        if self._process is not None:
            if self._process.is_alive() and "pdf" not in self._child:
                self._process.terminate()
            self._process.join()
            self._process.close()
            self._process = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> FiguresBeside:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
