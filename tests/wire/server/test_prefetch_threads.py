"""The sync cursors' page prefetch reuses its threads (issue 12): a thread per page cost
more client CPU than decoding the page's objects.  A scan of many pages runs all its
fetches on one worker; an idle worker ends after its idle time, holding nothing."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from typing import Any

import pytest

from ignite_wire import Client, _prefetch

NAME = "ignite_wire page prefetch"


def prefetch_threads() -> set[int]:
    return {t.ident or 0 for t in threading.enumerate() if t.name == NAME}


def test_a_scan_of_many_pages_uses_one_prefetch_thread(client: Client, unique: Any) -> None:
    cache = client.create_cache(unique("prefetch_threads"))
    try:
        data = {i: i * 3 for i in range(2000)}
        cache.put_all(data)
        seen: set[int] = set()
        before = prefetch_threads()
        got = {}
        with cache.scan(page_size=50) as cursor:  # 40 pages, 39 of them prefetched
            for key, value in cursor:
                got[key] = value
                seen |= prefetch_threads()
        assert got == data
        # Only idle workers left from earlier tests, plus at most one new one: not 39.
        assert len(seen - before) <= 1, (len(seen), len(before))
    finally:
        cache.destroy()


class Page:
    pass


def test_an_idle_worker_keeps_no_page() -> None:
    box = [Page()]
    ref = weakref.ref(box[0])
    prefetch = _prefetch.Prefetch()
    prefetch.start(box.pop)  # the fetch hands the only reference over
    assert prefetch.take() is ref()
    deadline = time.monotonic() + 10
    while ref() is not None and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.01)
    assert ref() is None
    assert _prefetch._idle  # freed while its worker still waits for the next fetch


def test_an_idle_worker_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_prefetch, "_IDLE_SECONDS", 0.05)
    prefetch = _prefetch.Prefetch()
    prefetch.start(lambda: 1)
    assert prefetch.take() == 1
    deadline = time.monotonic() + 10
    while _prefetch._idle and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _prefetch._idle


def test_fetches_and_errors_reach_their_own_consumer() -> None:
    """Many prefetches at once: each future gets its own result or exception."""
    prefetches = []
    for i in range(20):
        p = _prefetch.Prefetch()

        def fetch(i: int = i) -> int:
            time.sleep(0.001 * (i % 3))
            if i % 5 == 0:
                raise ValueError(i)
            return i

        p.start(fetch)
        prefetches.append(p)
    for i, p in enumerate(prefetches):
        if i % 5 == 0:
            with pytest.raises(ValueError, match=str(i)):
                p.take()
        else:
            assert p.take() == i


def test_many_prefetches_at_once_leave_one_idle_thread() -> None:
    gate = threading.Event()
    prefetches = []
    for i in range(8):
        p = _prefetch.Prefetch()

        def fetch(i: int = i) -> int:
            gate.wait(10)  # all busy at once: 8 threads
            return i

        p.start(fetch)
        prefetches.append(p)
    assert len(prefetch_threads()) >= 8
    gate.set()
    assert [p.take() for p in prefetches] == list(range(8))
    deadline = time.monotonic() + 10
    while len(prefetch_threads()) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(prefetch_threads()) <= 1
    assert len(_prefetch._idle) <= 1
