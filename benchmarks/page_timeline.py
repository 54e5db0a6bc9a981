"""When each next-page request leaves, relative to decoding the pages (issue 12, W6/W5).

Starts one node (the harness's production profile), fills a cache of W6's objects and a
SQL table of W5's rows, then scans / selects them page by page with the checkout on
``sys.path`` (run it with ``PYTHONPATH=<checkout>`` to time another one) and prints, per
page, when its request was written, when its answer was taken, and when its decoding
started and ended, all in milliseconds from the first page request.  The question it
answers: does the request for page k+2 leave before page k+1 is decoded?

    IGNITE_WIRE_PORT_OFFSET=200 python benchmarks/page_timeline.py [--pages 12] [--sql]
"""

from __future__ import annotations

import argparse
import struct
import tempfile
import time
from pathlib import Path
from typing import Any

from ignite_wire import Client
from ignite_wire._protocol.ops import query
from ignite_wire._transport import sync_io
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing.__main__ import default_base_port

EVENTS: list[tuple[float, str, Any]] = []
PAGE_OPS = {2001: "scan page", 2005: "sql page"}  # QUERY_*_CURSOR_GET_PAGE


def instrument() -> None:
    """Note every page request written, and each page decode's start and end."""
    for cls in vars(sync_io).values():
        if isinstance(cls, type) and hasattr(cls, "send_all"):
            original = cls.send_all

            def send_all(self: Any, data: Any, _original: Any = original) -> Any:
                view = memoryview(data)
                pos = 0
                while pos + 6 <= len(view):  # one send may carry several frames
                    (size,) = struct.unpack_from("<i", view, pos)
                    (op,) = struct.unpack_from("<h", view, pos + 4)
                    if op in PAGE_OPS:
                        EVENTS.append((time.perf_counter(), "send", PAGE_OPS[op]))
                    pos += 4 + size
                return _original(self, data)

            cls.send_all = send_all  # type: ignore[method-assign]
    for name in ("_read_pairs", "_read_rows"):
        original = getattr(query, name)

        def timed(*args: Any, _original: Any = original) -> Any:
            EVENTS.append((time.perf_counter(), "decode start", None))
            try:
                return _original(*args)
            finally:
                EVENTS.append((time.perf_counter(), "decode end", None))

        setattr(query, name, timed)


def report(title: str, page: int) -> None:
    t0 = next(t for t, kind, _ in EVENTS if kind == "send")
    print(f"\n{title}: ms from the first next-page request")
    print("  event                 ms")
    sends = decodes = 0
    for t, kind, what in EVENTS:
        if kind == "send":
            sends += 1
            label = f"request page {sends + 1} ({what})"
        elif kind == "decode start":
            decodes += 1
            label = f"  decode page {decodes} start"
        elif kind == "decode end":
            label = f"  decode page {decodes} end"
        else:
            label = f"    page {what} used up"
        print(f"  {label:<32} {1000 * (t - t0):8.2f}")
    # The verdict: for each page k+1 >= 2, did the request for k+2 leave before its decode?
    order = [(kind, what) for _, kind, what in EVENTS]
    early = late = 0
    decode_no = 0
    sent = 1  # page 1 came with the query's own request
    for kind, _ in order:
        if kind == "send":
            sent += 1
        elif kind == "decode start":
            decode_no += 1
            if decode_no >= 2 and sent >= decode_no + 1:
                early += 1
            elif decode_no >= 2:
                late += 1
    print(f"  pages whose next request left before they were decoded: {early}; after: {late}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--page-size", type=int, default=1024)
    parser.add_argument("--base-port", type=int, default=default_base_port() + 80)
    args = parser.parse_args()
    n = args.pages * args.page_size - 10
    with tempfile.TemporaryDirectory() as work:
        cluster = IgniteCluster(
            1, base_port=args.base_port, work_dir=Path(work), profile="production", heap_mb=1024
        )
        cluster.start()
        try:
            with Client() as client:
                client.connect([cluster.node(0).endpoint])
                for table, extra in (
                    ("tl_sql", ""),
                    ("tl_scan", ",CACHE_NAME=tl_scan,VALUE_TYPE=TlScanRow"),
                ):
                    client.sql(
                        f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR, qty INT,"
                        f' price DECIMAL(12, 2), ts TIMESTAMP) WITH "TEMPLATE=PARTITIONED{extra}"'
                    )
                    client.sql(
                        f"INSERT INTO {table} (id, name, qty, price, ts) SELECT x,"
                        " CONCAT('name-', x), CAST(MOD(x, 1000) AS INT),"
                        " CAST(x AS DECIMAL(12, 2)) + 0.25,"
                        " TIMESTAMP '2024-01-01 00:00:00' FROM SYSTEM_RANGE(1, ?)",
                        query_args=[n],
                    )
                cache = client.get_cache("tl_scan")
                for _ in range(5):  # warm both sides
                    assert sum(1 for _ in cache.scan(page_size=args.page_size)) == n
                    assert sum(1 for _ in client.sql("SELECT * FROM tl_sql", page_size=1024)) == n
                instrument()
                for title, rows in (
                    ("W6 scan", lambda: cache.scan(page_size=args.page_size)),
                    (
                        "W5 SQL",
                        lambda: client.sql(
                            "SELECT id, name, qty, price, ts FROM tl_sql",
                            page_size=args.page_size,
                        ),
                    ),
                ):
                    EVENTS.clear()
                    count = 0
                    with rows() as cursor:
                        for _item in cursor:
                            count += 1
                            if count % args.page_size == 0:
                                EVENTS.append((time.perf_counter(), "used", count // 1024))
                    assert count == n
                    report(title, args.page_size)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
