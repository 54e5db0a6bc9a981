"""The scan's default page size is Java's 1024, not pyignite's 1 (issue 12).

pyignite's 1 makes one round trip per entry; counted here with a query listener, sync
and asyncio alike (the sync cursor is generated from the asyncio one).
"""

from __future__ import annotations

from typing import Any

from ignite_wire.monitoring import QueryEventListener


class Requests(QueryEventListener):
    def __init__(self) -> None:
        self.ops: list[str] = []

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
