"""The asyncio client keeps many requests in flight on one connection."""

from __future__ import annotations

import asyncio

from ignite_wire import AioClient
from ignite_wire.testing import IgniteCluster


async def test_hundreds_of_coroutines_share_one_connection(ignite_node: IgniteCluster) -> None:
    client = AioClient()
    await client.connect(*ignite_node.node(0).endpoint)
    try:
        cache = await client.get_or_create_cache("aio_pipelining")
        conn = await client._current()
        in_flight: list[int] = []

        async def worker(n: int) -> None:
            for i in range(20):
                key = n * 1000 + i
                put = asyncio.ensure_future(cache.put(key, f"v{key}"))
                await asyncio.sleep(0)
                in_flight.append(len(conn._pending))
                await put
                assert await cache.get(key) == f"v{key}"
                assert await cache.get_and_replace(key, key) == f"v{key}"

        await asyncio.gather(*(worker(n) for n in range(256)))
        assert await cache.get_size() == 256 * 20
        assert max(in_flight) > 100  # truly pipelined, not one request at a time
        assert await client._current() is conn  # all of it on one connection
        await cache.destroy()
    finally:
        await client.close()


async def test_sql_cursor_async_forms(ignite_node: IgniteCluster) -> None:
    async with AioClient() as client:
        await client.connect(*ignite_node.node(0).endpoint)
        rows = [row async for row in client.sql("SELECT X FROM SYSTEM_RANGE(1, 50)", page_size=7)]
        assert rows == [[x] for x in range(1, 51)]
        async with client.sql("SELECT 1 AS A", include_field_names=True) as cursor:
            assert [row async for row in cursor] == [["A"], [1]]
        cursor = await client.sql("SELECT 2")
        assert [row async for row in cursor] == [[2]]
