"""Compute tasks by name (op 6000, notification 6001) on real nodes, sync and asyncio.

The tasks are ``IgniteWireExtras``'s (ignite_wire/testing/java): Echo returns its
argument, NodeIds the sorted ids of the nodes that ran one of its jobs, Sleep sleeps for
its argument's milliseconds, Fail fails with its argument as the message.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import (
    ComputeError,
    NotSupportedByClusterError,
    ParameterError,
    RequestTimeoutError,
)
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing._extras import ECHO_TASK, FAIL_TASK, NODE_IDS_TASK, SLEEP_TASK

pytestmark = pytest.mark.server


@pytest.mark.parametrize(
    "arg",
    [None, 42, -(2**63), "héllo ☃", 2.5, True, [1, "two", 3.0], {"k": 1}, b"\x00\xff"],
)
def test_echo_returns_the_argument(client: Any, arg: Any) -> None:
    result = client.compute().execute(ECHO_TASK, arg)
    assert result == (bytearray(arg) if isinstance(arg, bytes) else arg)


def test_task_runs_on_every_server_or_on_the_chosen_nodes(client: Any) -> None:
    ids = sorted(client.get_cluster().node_ids(servers=True), key=str)
    assert len(ids) == 2
    assert client.compute().execute(NODE_IDS_TASK) == [str(i) for i in ids]
    for node_id in ids:
        assert client.compute([node_id]).execute(NODE_IDS_TASK) == [str(node_id)]


def test_many_tasks_at_once_each_get_their_own_result(client: Any) -> None:
    compute = client.compute()
    tasks = [compute.start(ECHO_TASK, i) for i in range(20)]
    assert [t.result() for t in reversed(tasks)] == list(reversed(range(20)))


def test_unknown_task_name_is_a_compute_error_naming_it(client: Any) -> None:
    with pytest.raises(ComputeError, match=r"'no\.such\.Task'.*Unknown task name") as err:
        client.compute().execute("no.such.Task", 1)
    assert err.value.status == 1


def test_failing_task_raises_its_message(client: Any) -> None:
    with pytest.raises(ComputeError, match="kaboom-17"):
        client.compute().execute(FAIL_TASK, "kaboom-17")
    # the connection is still good
    assert client.compute().execute(ECHO_TASK, 7) == 7


def test_server_side_timeout_fails_the_task_promptly(client: Any) -> None:
    started = time.monotonic()
    with pytest.raises(ComputeError, match="timed out"):
        client.compute().with_timeout(0.3).execute(SLEEP_TASK, 5000)
    assert time.monotonic() - started < 4


def test_client_side_wait_is_bounded_and_cancels_the_task(client: Any) -> None:
    task = client.compute().start(SLEEP_TASK, 5000)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="cancelled"):
        task.result(timeout=0.3)
    assert time.monotonic() - started < 2
    with pytest.raises(ComputeError, match="cancelled"):
        task.result()
    assert client.compute().execute(ECHO_TASK, "after") == "after"


def test_cancel_before_the_result(client: Any) -> None:
    task = client.compute().start(SLEEP_TASK, 5000)
    task.cancel()
    task.cancel()  # idempotent
    with pytest.raises(ComputeError, match="cancelled"):
        task.result()


def test_bad_arguments_are_refused_before_sending(client: Any) -> None:
    with pytest.raises(ParameterError, match="task name"):
        client.compute().execute("", 1)
    with pytest.raises(ParameterError, match="node_ids"):
        client.compute(["not-a-uuid"])
    with pytest.raises(ParameterError, match="timeout"):
        client.compute().with_timeout(-1)


def test_unknown_node_id_fails_as_a_compute_error(client: Any) -> None:
    with pytest.raises(ComputeError):
        client.compute([uuid.UUID(int=1)]).execute(ECHO_TASK, 1)


def test_without_the_feature_bit_compute_is_refused_before_sending(connect: Any) -> None:
    old = connect(protocol_version=(1, 6, 0))  # no feature bits at all
    with pytest.raises(NotSupportedByClusterError, match=r"compute.*EXECUTE_TASK_BY_NAME"):
        old.compute().execute(ECHO_TASK, 1)


def test_a_node_without_thin_client_compute_says_not_supported(ignite_node: IgniteCluster) -> None:
    # The session node runs with maxActiveComputeTasksPerConnection = 0 (status 100).
    with Client(timeout=20) as client:
        client.connect(*ignite_node.node(0).endpoint)
        with pytest.raises(NotSupportedByClusterError, match="disabled"):
            client.compute().execute(ECHO_TASK, 1)


def test_asyncio_tasks_in_flight_together(extras_cluster: IgniteCluster) -> None:
    """Fifty tasks started concurrently on one AioClient: each result reaches its caller."""

    async def main() -> list[Any]:
        async with AioClient(timeout=20) as aio:
            await aio.connect(extras_cluster.endpoints)
            compute = aio.compute()
            return await asyncio.gather(*(compute.execute(ECHO_TASK, i) for i in range(50)))

    assert asyncio.run(main()) == list(range(50))


def test_threads_share_one_sync_client(extras_cluster: IgniteCluster) -> None:
    """Eight threads run tasks on one Client: each waits for (and pumps toward) its own."""
    with Client(timeout=20) as shared:
        shared.connect(extras_cluster.endpoints)
        compute = shared.compute()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda i: compute.execute(SLEEP_TASK, i % 5 * 10), range(40)))
    assert results == [i % 5 * 10 for i in range(40)]
