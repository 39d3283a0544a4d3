"""Keeping raw data and old results safe while ``phanat run`` writes a run folder.

* :func:`check_out_location` refuses an ``--out`` that is, holds or sits inside the folder
  of the data, the codebook or the study config (replacing it would delete the raw export);
* :func:`run_lock` lets one run at a time write a given ``--out`` (an advisory ``fcntl`` lock
  on ``<out>.lock`` next to it; the second run is refused with one line);
* :func:`replace_dir` puts a finished run in place with one ``rename`` system call
  (``renameat2(RENAME_EXCHANGE)`` on Linux): at every instant ``<out>`` holds either the old
  or the new results. Where the exchange is not supported, the old results are moved to
  ``<out>.old`` first, and :func:`recover_old` puts them back if a run was killed in between;
* :func:`interrupts_as_keyboard_interrupt` turns SIGTERM into the same clean stop as Ctrl-C;
* :func:`guarded_run` wraps ``run_pipeline`` with the location check, the lock and the signals.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import inspect
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from analysis.errors import PhanatError

T = TypeVar("T")
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_out_location(out: Path, inputs: dict[str, Path]) -> None:
    """Refuse an output folder equal to, inside, or holding the folder of any input.

    ``inputs`` maps a role ("data", "study config", ...) to a resolved path; for a file the
    folder it sits in is protected, for a folder (a folder of exports) the folder itself.
    """
    out = out.resolve()
    for role, path in inputs.items():
        folder = path if path.is_dir() else path.parent
        folder = folder.resolve()
        if _within(out, folder) or _within(folder, out):
            relation = "is" if out == folder else ("is inside" if _within(out, folder) else "holds")
            raise PhanatError(
                f"--out {relation} the folder of the {role} ({folder}): a run replaces its output "
                "folder, which would delete the inputs; choose another, e.g. data/processed/<study>",
                file=out,
            )


@contextlib.contextmanager
def run_lock(out: Path) -> Iterator[Path]:
    """Hold an exclusive lock on ``<out>.lock`` while the block runs; refuse if another run
    holds it. The lock is released by the operating system when the process ends, so a killed
    run leaves no stale lock (the empty lock file itself stays; it is harmless)."""
    lock = out.with_name(out.name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield lock
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                raise PhanatError(
                    "another phanat run is writing this output folder (its lock "
                    f"{lock.name} is held); wait for it to finish or choose another --out",
                    file=out,
                ) from None
            raise
        yield lock
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False when
    the platform or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(a))


def old_path(out: Path) -> Path:
    return out.with_name(out.name + ".old")


def recover_old(out: Path) -> Path | None:
    """If a run was killed between the two renames of the fallback swap, ``<out>`` is missing
    and the previous results are in ``<out>.old``: move them back and return ``<out>``."""
    old = old_path(out)
    if not out.exists() and old.is_dir():
        old.rename(out)
        return out
    return None


def replace_dir(new: Path, out: Path) -> None:
    """Put the finished run folder ``new`` at ``out``, deleting the old results afterwards."""
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # ``new`` now holds the old results
        return
    old = old_path(out)
    if old.exists():
        shutil.rmtree(old)
    out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old)


_STATE = {"interrupted": False}


def interrupted() -> bool:
    """True once SIGINT or SIGTERM arrived during the current guarded run."""
    return _STATE["interrupted"]


@contextlib.contextmanager
def interrupts_as_keyboard_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM (and SIGINT) raise KeyboardInterrupt and set
    :func:`interrupted`, so a notebook whose kernel a signal killed is also seen as an
    interrupt and not as a failure. Outside the main thread nothing is changed."""
    _STATE["interrupted"] = False
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001 - signal handler signature
        _STATE["interrupted"] = True
        # Notebooks running side by side (threads, each with its kernel) report their dying
        # kernels through logging as the run stops: the user asked for the stop and hears it in
        # one line, so nothing else is logged from here on (the process is ending).
        logging.disable(logging.CRITICAL)
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def guarded_run(run: Callable[..., T]) -> Callable[..., T]:
    """Decorate ``run(data, codebook, study, out, ...)``: check where ``out`` is, then call
    ``run`` holding the run lock of ``out`` with SIGTERM handled like Ctrl-C."""
    names = ("data", "codebook", "study", "out")

    @functools.wraps(run)
    def wrapper(*args, **kwargs):
        bound = inspect.signature(run).bind(*args, **kwargs)
        data, codebook, study, out = (Path(bound.arguments[n]).resolve() for n in names)
        check_out_location(out, {"data": data, "codebook": codebook, "study config": study})
        with run_lock(out), interrupts_as_keyboard_interrupt():
            return run(*args, **kwargs)

    return wrapper
