"""Bulk writes on the three-node cluster: ``put_many`` right after ``create_all`` routes by
partition from its first batch, splits large inputs into batches, and reports progress.

Issue 8, part A, item 10.  What is asserted is the requests (by node, from the client's
events), not a duration: the machine is shared, a timing would be flaky.
"""

import asyncio
from collections.abc import Iterator
from typing import Annotated, Any

import pytest

from ignite_orm import AioDatabase, IgniteModel, Key
from ignite_wire import monitoring
from ignite_wire.datatypes.cache_config import CacheAtomicityMode
from ignite_wire.testing import IgniteCluster

TRANSACTIONAL = CacheAtomicityMode.TRANSACTIONAL


class OrmBulkOrder(IgniteModel, cache="orm_bulk_orders", atomicity=TRANSACTIONAL, backups=1):
    id: Annotated[int, Key]
    group: str
    limit: int = 0


def orders(n: int, start: int = 0) -> list[OrmBulkOrder]:
    return [OrmBulkOrder(id=i, group=f"g{i % 7}", limit=i) for i in range(start, start + n)]


@pytest.fixture
def cluster_db(connect: Any, ignite_cluster: IgniteCluster, request_log: Any) -> Iterator[Any]:
    db = connect(ignite_cluster.endpoints[:1], partition_aware=True, event_listeners=[request_log])
    db.drop_all(OrmBulkOrder)
    db.create_all(OrmBulkOrder)
    yield db
    db.drop_all(OrmBulkOrder)


def test_put_many_batches_route_by_partition_and_report_progress(
    cluster_db: Any, request_log: Any
) -> None:
    repo = cluster_db.repository(OrmBulkOrder)
    seen: list[tuple[int, int]] = []
    request_log.ops.clear()
    repo.put_many(
        orders(2500), batch_size=1000, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    puts = [op for op in request_log.ops if op == "CACHE_PUT_ALL"]
    # three batches, each split across the three primaries
    assert len(puts) == 9
    assert request_log.ops.index("CACHE_PARTITIONS") < request_log.ops.index("CACHE_PUT_ALL")
    assert repo.count() == 2500


def test_put_many_refuses_a_bad_batch_size(cluster_db: Any) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        cluster_db.repository(OrmBulkOrder).put_many(orders(3), batch_size=0)


def test_concurrent_put_many_right_after_create_all_all_route_by_partition(
    ignite_cluster: IgniteCluster,
) -> None:
    """Several tasks writing at once to a cache whose map nobody fetched yet: each waits
    for the one fetch instead of sending its whole batch to one node."""

    async def run() -> list[Any]:
        log = NodeLog()
        db = await AioDatabase.connect(
            ignite_cluster.endpoints, partition_aware=True, event_listeners=[log]
        )
        try:
            await db.drop_all(OrmBulkOrder)
            await db.create_all(OrmBulkOrder)
            repo = db.repository(OrmBulkOrder)
            log.puts.clear()
            await asyncio.gather(*(repo.put_many(orders(300, start=k * 300)) for k in range(4)))
            assert await repo.count() == 1200
            return log.puts
        finally:
            await db.drop_all(OrmBulkOrder)
            await db.close()

    puts = asyncio.run(run())
    assert len(puts) == 12  # four batches, each split across three nodes


class NodeLog(monitoring.QueryEventListener):
    """The node of every put_all request."""

    def __init__(self) -> None:
        self.puts: list[Any] = []

    def on_query_start(self, event: monitoring.QueryStartEvent) -> None:
        if event.op_name == "CACHE_PUT_ALL":
            self.puts.append(event.node_uuid)
