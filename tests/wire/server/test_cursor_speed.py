"""Cursor speed (issue 12): the scan's default page size is Java's 1024, not pyignite's
1 (one round trip per entry), and the next page is requested while the current one is
consumed, one page ahead and never more.  Requests are counted with a query listener,
sync and asyncio alike (the sync cursor is generated from the asyncio one).
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from blocking import Blocking

from ignite_wire import Client
from ignite_wire._protocol.ops import query
from ignite_wire.monitoring import QueryEventListener


class Requests(QueryEventListener):
    def __init__(self) -> None:
        self.ops: list[str] = []
        #: Requests sent (a start event is published as a request goes out).
        self.sent: list[str] = []

    def on_query_start(self, event: Any) -> None:
        self.sent.append(event.op_name)

    def on_query_success(self, event: Any) -> None:
        self.ops.append(event.op_name)


def test_scan_default_page_size_is_1024(connect_any: Any, unique: Any) -> None:
    requests = Requests()
    client = connect_any(event_listeners=[requests])
    cache = client.create_cache(unique("scan_default_page"))
    try:
        data = {i: f"v{i}" for i in range(2500)}
        cache.put_all(data)
        requests.ops.clear()
        assert dict(cache.scan()) == data
        # 2500 entries at 1024 per page: the first page, then two more pages.
        assert len(requests.ops) == 3, requests.ops
    finally:
        cache.destroy()


def pause(client: Any, seconds: float) -> None:
    """Let time pass as the application would: the asyncio client's event loop runs (its
    adapter runs the loop only inside calls), the sync client's threads just run."""
    if isinstance(client, Blocking):
        object.__getattribute__(client, "_loop").run(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)


def wait_for(client: Any, condition: Any, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause(client, 0.01)
    return True


@pytest.mark.parametrize("kind", ["scan", "sql"])
def test_the_next_page_is_requested_while_the_current_one_is_consumed(
    connect_any: Any, unique: Any, kind: str
) -> None:
    requests = Requests()
    client = connect_any(event_listeners=[requests])
    cache = client.create_cache(unique("prefetch"))
    try:
        cache.put_all({i: i for i in range(35)})
        requests.ops.clear()
        if kind == "scan":
            cursor, page_op = cache.scan(page_size=10), "QUERY_SCAN_CURSOR_GET_PAGE"
        else:
            cursor = client.sql("SELECT X FROM SYSTEM_RANGE(1, 35)", page_size=10)
            page_op = "QUERY_SQL_FIELDS_CURSOR_GET_PAGE"
        with cursor:
            first = next(iter(cursor))
            assert first is not None
            # the second page is requested while the first is still being read...
            assert wait_for(client, lambda: page_op in requests.sent), requests.sent
            pause(client, 0.3)
            # ...and only the second: one page ahead (its answer is taken, and the
            # third page asked for, when the consumer reaches the first page's end)
            assert requests.sent.count(page_op) == 1, requests.sent
            assert page_op not in requests.ops, requests.ops
            rest = list(cursor)
        assert len(rest) == 34
        assert requests.sent.count(page_op) == 3  # pages 2, 3 and 4 of 10, 10, 10, 5
        assert requests.ops.count(page_op) == 3
    finally:
        cache.destroy()


@pytest.mark.parametrize("kind", ["scan", "sql"])
def test_the_next_page_is_requested_before_the_current_one_is_handed_out(
    connect_any: Any, unique: Any, kind: str
) -> None:
    """The request for page k+1 is on its way before the consumer gets page k's first
    item, whatever the timing.  A prefetch thread used to send it: while the consumer
    iterated (holding the GIL for less than the interpreter's 5 ms switch interval) the
    thread could not run, so it sent the request only once the page was used up, and
    the node never prepared a page while the client consumed one (measured in W6:
    every request left after its consumer blocked).  The consumer here never blocks
    between pages' items and checks at each item, without letting other threads run."""
    requests = Requests()
    client = connect_any(event_listeners=[requests])
    cache = client.create_cache(unique("page_ahead"))
    try:
        total, size = 205, 10
        cache.put_all({i: i for i in range(total)})
        if kind == "scan":
            cursor, page_op = cache.scan(page_size=size), "QUERY_SCAN_CURSOR_GET_PAGE"
        else:
            cursor = client.sql(f"SELECT X FROM SYSTEM_RANGE(1, {total})", page_size=size)
            page_op = "QUERY_SQL_FIELDS_CURSOR_GET_PAGE"
        late = []
        count = 0
        with cursor:
            for _item in cursor:
                page = count // size  # 0-based page of this item
                wanted = min(page + 1, (total - 1) // size)  # page requests due by now
                if requests.sent.count(page_op) < wanted:
                    late.append((count, requests.sent.count(page_op), wanted))
                count += 1
        assert count == total
        assert not late, late[:5]
        assert requests.sent.count(page_op) == (total - 1) // size  # and never more
    finally:
        cache.destroy()


@pytest.mark.parametrize("timeout", [None, 30.0])
@pytest.mark.parametrize("kind", ["scan", "sql", "select_row"])
def test_the_page_after_next_is_requested_before_the_next_one_is_decoded(
    connect_any: Any, unique: Any, kind: str, timeout: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When page k+1's answer is taken, the request for page k+2 leaves first, then
    page k+1 is decoded: the node prepares k+2 while the client decodes k+1 and hands it
    out, so a page costs the longer of the two instead of their sum.  And never more
    than that: while a page is decoded, exactly one page request is ahead of it.  The
    requests' start events (published as each request goes out) and the page decodes
    are noted in one list, in the order they happen.  With a request timeout as well
    (the asyncio connection's bounded requests went out only when awaited)."""
    events: list[tuple[str, int]] = []

    class Sent(QueryEventListener):
        def on_query_start(self, event: Any) -> None:
            if event.op_name.endswith("_CURSOR_GET_PAGE"):
                events.append(("sent", 0))

    for name in ("_read_pairs", "_read_rows"):
        original = getattr(query, name)

        def decode(*args: Any, _original: Any = original) -> Any:
            items, more = _original(*args)
            events.append(("decoded", len(items)))
            return items, more

        monkeypatch.setattr(query, name, decode)
    client = connect_any(event_listeners=[Sent()], timeout=timeout)
    total, size = 95, 10
    table = unique("page_after_next").upper()
    if kind == "scan":
        cache = client.create_cache(table)
        cache.put_all({i: i for i in range(total)})
        cursor = cache.scan(page_size=size)
    else:
        client.sql(f"CREATE TABLE {table} (id INT PRIMARY KEY, v INT)")
        client.sql(f"INSERT INTO {table} (id, v) SELECT X, X FROM SYSTEM_RANGE(1, {total})")
        events.clear()  # the statements' own answers
        if kind == "sql":
            cursor = client.sql(f"SELECT id, v FROM {table}", page_size=size)
        else:
            cursor = client.get_cache(f"SQL_PUBLIC_{table}").select_row("v > 0", page_size=size)
    try:
        assert sum(1 for _ in cursor) == total
        seen = list(events)  # not the cleanup's own answers below
    finally:
        cursor.close()
        if kind == "scan":
            cache.destroy()
        else:
            client.sql(f"DROP TABLE {table}")
    pages = -(-total // size)
    decodes = [i for i, (what, _) in enumerate(seen) if what == "decoded"]
    assert len(decodes) == pages, str(seen)
    assert sum(n for what, n in seen if what == "decoded") == total
    for page, at in enumerate(decodes, start=1):
        requested = 1 + sum(1 for what, _ in seen[:at] if what == "sent")
        # page k+1 = ``page`` is decoded with the request for k+2 already sent (the
        # last page has none after it), and nothing beyond it; the first page is the
        # query's own answer (the cursor's id comes with it), its next asked for after
        assert requested == (1 if page == 1 else min(page + 1, pages)), (page, seen)
    assert sum(1 for what, _ in seen if what == "sent") == pages - 1


def test_a_scan_of_many_pages_starts_no_thread(client: Client, unique: Any) -> None:
    """The consumer sends each page request and takes each answer itself: no prefetch
    thread (one used to take and decode each page, and handing pages between threads
    cost more than decoding them)."""
    cache = client.create_cache(unique("no_threads"))
    try:
        data = {i: i * 3 for i in range(2000)}
        cache.put_all(data)
        before = set(threading.enumerate())
        seen: set[threading.Thread] = set()
        got = {}
        with cache.scan(page_size=50) as cursor:  # 40 pages
            for key, value in cursor:
                got[key] = value
                seen |= set(threading.enumerate())
        assert got == data
        assert seen <= before, seen - before
    finally:
        cache.destroy()


def test_loops_and_next_take_from_one_stream(connect_any: Any, unique: Any) -> None:
    """The sync cursors' loop runs through a C chain of the pages' iterators (no Python
    call per item); ``next(cursor)``, loops broken off and loops resumed still share one
    stream: every entry once, none skipped, across page ends."""
    client = connect_any()
    cache = client.create_cache(unique("one_stream"))
    try:
        cache.put_all({i: i * 2 for i in range(95)})
        with cache.scan(page_size=10) as cursor:
            got = [next(cursor)]
            for n, item in enumerate(cursor):
                got.append(item)
                if n == 14:  # in the middle of page 2
                    break
            got.append(next(cursor))
            for n, item in enumerate(cursor):
                got.append(item)
                if n == 8:  # the end of page 3
                    break
            got.extend(cursor)
            assert list(cursor) == []
        assert len(got) == 95
        assert dict(got) == {i: i * 2 for i in range(95)}
    finally:
        cache.destroy()


@pytest.mark.parametrize("kind", ["scan", "sql"])
def test_closing_inside_a_loop_ends_it(connect_any: Any, unique: Any, kind: str) -> None:
    client = connect_any()
    cache = client.create_cache(unique("close_in_loop"))
    try:
        cache.put_all({i: i for i in range(30)})
        if kind == "scan":
            cursor = cache.scan(page_size=10)
        else:
            cursor = client.sql("SELECT X FROM SYSTEM_RANGE(1, 30)", page_size=10)
        seen = 0
        for _item in cursor:
            seen += 1
            if seen == 3:  # items of this page are left, and pages after it
                cursor.close()
        assert seen == 3
        assert list(cursor) == []
    finally:
        cache.destroy()
