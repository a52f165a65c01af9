"""Run one benchmark step in a forked child and report its wall time and peak memory."""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from collections.abc import Callable
from typing import Any


def _rss_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """Reset the peak-RSS mark, run `fn`, and send back result, seconds and memory."""
    try:
        # Writing 5 to clear_refs resets VmHWM, so the peak is this step's own.
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
    base = _rss_kib("VmRSS")
    try:
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        peak = _rss_kib("VmHWM")
        conn.send(("ok", result, seconds, peak / 1024, (peak - base) / 1024))
    except BaseException:  # noqa: BLE001 - the parent reports it
        conn.send(("error", traceback.format_exc(), 0.0, 0.0, 0.0))
    finally:
        conn.close()


def measure(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float, float]:
    """(result, wall seconds, peak RSS MiB of the process, peak MiB above its start).

    The child is forked, so data loaded before the call is shared and not counted twice;
    imports done before the call are not timed.
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs))
    proc.start()
    child.close()
    status, result, seconds, peak, delta = parent.recv()
    proc.join()
    if status != "ok":
        raise RuntimeError(result)
    return result, seconds, peak, delta
