"""Spreading independent plans over the machine's cores.

Plans are independent of each other, so a national body checking hundreds of
them gets every core; a single plan (the pre-commit case) never pays for
starting worker processes.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8  # below this, starting workers costs more than it saves


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(func: Callable[[T], R], items: Iterable[T], min_items: int = MIN_ITEMS,
                progress: Callable[[int], None] | None = None) -> list[R]:
    """`[func(i) for i in items]`, in worker processes when that pays; same order.
    `progress(n)` is called in this process as the n-th result arrives."""
    items = list(items)
    count = min(workers(), len(items))
    if count < 2 or len(items) < min_items or os.environ.get("BEREDSKAP_WORKERS") == "1":
        results = []
        for item in items:
            results.append(func(item))
            if progress is not None:
                progress(len(results))
        return results
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(items) // (count * 8))
    with ProcessPoolExecutor(max_workers=count, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        results = []
        for result in pool.map(func, items, chunksize=chunk):
            results.append(result)
            if progress is not None:
                progress(len(results))
        return results


def _exit_with_parent(parent: int) -> None:
    """Workers end when the command that started them is killed, instead of lingering."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
