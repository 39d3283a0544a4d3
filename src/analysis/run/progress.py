"""What a person sees while a long step runs: a running count (tqdm) or a step line.

They go to the terminal that started the run and never into the executed notebooks: inside
a papermill kernel ``sys.stderr`` is captured into the notebook, but its ``fileno()`` is a
copy of the terminal's stderr. Shown when that is a terminal; ``PHANAT_PROGRESS=1`` shows
them anyway (as plain lines, e.g. into a log), ``PHANAT_PROGRESS=0`` never (``phanat run
--quiet`` sets it). ``PHANAT_PROGRESS_BARS=0`` keeps to whole lines on a terminal too (the
runner sets it for notebooks that run side by side).
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO, TypeVar

ENV = "PHANAT_PROGRESS"
BARS_ENV = "PHANAT_PROGRESS_BARS"
T = TypeVar("T")


def terminal() -> tuple[TextIO, bool] | None:
    """A new stream to the terminal (or forced stderr) and whether live bars may be drawn on
    it (a TTY, bars not switched off), or None."""
    setting = os.environ.get(ENV, "")
    if setting == "0":
        return None
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    tty = os.isatty(fd)
    if not tty and setting != "1":
        return None
    live = tty and os.environ.get(BARS_ENV, "1") != "0"
    return open(os.dup(fd), "w", encoding="utf-8", errors="replace", buffering=1), live  # noqa: SIM115


class Counter:
    """A bar counting *unit*\\ s up to *total* while it runs, and one closing line with the
    count and the time; nothing at all when there is no terminal."""

    def __init__(self, total: int | None, desc: str, unit: str):
        self.desc, self.unit, self.count, self.start = desc, unit, 0, time.perf_counter()
        opened = terminal()
        self.stream = opened[0] if opened else None
        self.bar = None
        if opened and opened[1]:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, desc=f"  {desc}", unit=unit, file=self.stream, leave=False, mininterval=0.25
            )

    def update(self, n: int = 1) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.stream is None:
            return
        if self.bar is not None:
            self.bar.close()
        seconds = time.perf_counter() - self.start
        self.stream.write(f"  {self.desc}: {self.count:,} {self.unit}s in {seconds:.1f} s\n")
        self.stream.close()
        self.stream = None

    def __enter__(self) -> Counter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def iterate(items: Iterable[T], desc: str, unit: str, total: int | None = None) -> Iterator[T]:
    """*items*, counted on the terminal as they are consumed."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with Counter(total, desc, unit) as counter:
        for item in items:
            yield item
            counter.update()


@contextmanager
def step(desc: str) -> Iterator[Callable[[str], None]]:
    """``  desc ...`` while a step without a count runs, then its time. The step may name the
    part it is at by calling what this yields (``  cleaning 100,000 rows ... duplicates``, on
    a live terminal line only: plain lines get the closing line alone)."""
    opened = terminal()
    start = time.perf_counter()
    if opened is None:
        yield _say_nothing
        return
    stream, tty = opened

    def say(part: str) -> None:
        if tty:
            stream.write(f"\r\033[K  {desc} ... {part}")

    stream.write(f"  {desc} ..." + ("" if tty else "\n"))
    try:
        yield say
    finally:
        seconds = time.perf_counter() - start
        stream.write(("\r\033[K" if tty else "") + f"  {desc}: {seconds:.1f} s\n")
        stream.close()


def _say_nothing(_part: str) -> None:
    """What :func:`step` yields when nothing is shown."""
