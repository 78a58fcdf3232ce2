"""Spreading independent plans over the machine's cores.

Plans are independent of each other, so a national body checking hundreds of
them gets every core; a single plan (the pre-commit case) never pays for
starting worker processes.
"""
from __future__ import annotations

import itertools
import os
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8  # below this, starting workers costs more than it saves
MAX_CHUNK = 16  # items sent to a worker at once
IN_FLIGHT = 4  # chunks per worker sent or finished but not yet taken


def workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(func: Callable[[T], R], items: Iterable[T], min_items: int = MIN_ITEMS,
                progress: Callable[[int], None] | None = None) -> list[R]:
    """`[func(i) for i in items]`, in worker processes when that pays; same order.
    `progress(n)` is called in this process as the n-th result arrives."""
    return list(ordered_results(func, items, min_items, progress))


def ordered_results(func: Callable[[T], R], items: Iterable[T], min_items: int = MIN_ITEMS,
                    progress: Callable[[int], None] | None = None) -> Iterator[R]:
    """`ordered_map` one result at a time, so that a caller who uses each result and lets
    it go never holds them all."""
    items = list(items)
    count = min(workers(), len(items))
    done = 0
    if count < 2 or len(items) < min_items or os.environ.get("BEREDSKAP_WORKERS") == "1":
        for item in items:
            yield func(item)
            done += 1
            if progress is not None:
                progress(done)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    # work goes out in small chunks, a few per worker at a time: the results waiting
    # here (finished ahead of their turn, or not yet taken) stay a bounded number
    # however many items there are, instead of every item's result at once
    size = max(1, min(MAX_CHUNK, len(items) // (count * 8)))
    parts = (items[start:start + size] for start in range(0, len(items), size))
    with ProcessPoolExecutor(max_workers=count, initializer=_exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        pending = deque(pool.submit(_run_chunk, func, part)
                        for part in itertools.islice(parts, count * IN_FLIGHT))
        try:
            while pending:
                results = pending.popleft().result()
                part = next(parts, None)
                if part is not None:
                    pending.append(pool.submit(_run_chunk, func, part))
                for result in results:
                    yield result
                    done += 1
                    if progress is not None:
                        progress(done)
                del results
        finally:
            for future in pending:  # stopped early or failed: nothing more is started
                future.cancel()


def _run_chunk(func: Callable[[T], R], part: list[T]) -> list[R]:
    return [func(item) for item in part]


def _exit_with_parent(parent: int) -> None:
    """Workers end when the command that started them is killed, instead of lingering."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
