"""Services (ops 7000-7003) on real nodes, sync and asyncio.

The service is ``IgniteWireExtras$Calc`` deployed as ``ignite-wire.calc``, one instance
on each of the two nodes (ignite_wire/testing/java/IgniteWireExtras.java).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from ignite_wire.exceptions import (
    NotSupportedByClusterError,
    ParameterError,
    RequestTimeoutError,
    ServiceError,
)
from ignite_wire.testing._extras import CALC_SERVICE

pytestmark = pytest.mark.server


def test_invoke_passes_arguments_and_returns_the_result(client: Any) -> None:
    services = client.services()
    assert services.invoke(CALC_SERVICE, "add", 2, 40) == 42
    assert services.invoke(CALC_SERVICE, "add", 2**62, 2**62) == -(2**63)  # Java long
    assert services.invoke(CALC_SERVICE, "echo", "héllo ☃") == "héllo ☃"
    assert services.invoke(CALC_SERVICE, "echo", None) is None
    assert services.invoke(CALC_SERVICE, "reversed", [1, "a", 2.5]) == [2.5, "a", 1]


def test_proxy_calls_methods_by_attribute(client: Any) -> None:
    calc = client.services().proxy(CALC_SERVICE)
    assert calc.add(1, 2) == 3
    assert calc.echo("x") == "x"


def test_call_context_reaches_the_service(client: Any) -> None:
    services = client.services()
    assert services.invoke(CALC_SERVICE, "attribute", "user", context={"user": "ann"}) == "ann"
    assert services.invoke(CALC_SERVICE, "attribute", "user") is None
    calc = services.proxy(CALC_SERVICE)
    assert calc.attribute("role", context={"role": "admin ü"}) == "admin ü"


def test_invoke_on_a_chosen_node(client: Any) -> None:
    ids = client.get_cluster().node_ids(servers=True)
    assert len(ids) == 2
    for node_id in ids:
        assert client.services([node_id]).invoke(CALC_SERVICE, "nodeId") == str(node_id)


def test_descriptors_describe_the_deployed_service(client: Any) -> None:
    found = {d.name: d for d in client.services().descriptors()}
    calc = found[CALC_SERVICE]
    assert calc.service_class == "IgniteWireExtras$Calc"
    assert (calc.total_count, calc.max_per_node_count, calc.platform) == (0, 1, "java")
    assert calc.origin_node_id in client.get_cluster().node_ids()
    assert client.services().descriptor(CALC_SERVICE) == calc


def test_topology_lists_the_nodes_with_an_instance(client: Any) -> None:
    ids = client.get_cluster().node_ids(servers=True)
    assert sorted(client.services().topology(CALC_SERVICE), key=str) == sorted(ids, key=str)
    assert client.services().topology("no-such-service") == []


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda s: s.invoke("no-such-service", "add", 1, 2), r"'no-such-service'.*not found"),
        (lambda s: s.invoke(CALC_SERVICE, "noSuchMethod"), "noSuchMethod"),
        # negate: a method no other test calls (IgniteWireExtras.java says why)
        (lambda s: s.invoke(CALC_SERVICE, "negate", "one"), "method .negate.*mismatch"),
        (lambda s: s.invoke(CALC_SERVICE, "fail", "went-wrong-9"), "went-wrong-9"),
        (lambda s: s.descriptor("no-such-service"), r"'no-such-service'.*not found"),
    ],
)
def test_failures_are_service_errors(client: Any, call: Any, pattern: str) -> None:
    with pytest.raises(ServiceError, match=pattern):
        call(client.services())
    assert client.services().invoke(CALC_SERVICE, "add", 1, 1) == 2  # still usable


def test_a_slow_call_is_bounded_by_the_request_timeout(connect: Any) -> None:
    impatient = connect(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError):
        impatient.services().invoke(CALC_SERVICE, "sleep", 3000)
    assert time.monotonic() - started < 2.5


def test_bad_arguments_are_refused_before_sending(client: Any) -> None:
    services = client.services()
    with pytest.raises(ParameterError, match="service name"):
        services.invoke("", "add")
    with pytest.raises(ParameterError, match="method name"):
        services.invoke(CALC_SERVICE, "")
    with pytest.raises(ParameterError, match="context"):
        services.invoke(CALC_SERVICE, "attribute", "a", context={"a": 1})


def test_without_the_feature_bits_services_are_refused_before_sending(connect: Any) -> None:
    old = connect(protocol_version=(1, 6, 0))  # no feature bits at all
    with pytest.raises(NotSupportedByClusterError, match="SERVICE_INVOKE"):
        old.services().invoke(CALC_SERVICE, "add", 1, 2)
    with pytest.raises(NotSupportedByClusterError, match="GET_SERVICE_DESCRIPTORS"):
        old.services().descriptors()
    with pytest.raises(NotSupportedByClusterError, match="SERVICE_TOPOLOGY"):
        old.services().topology(CALC_SERVICE)
