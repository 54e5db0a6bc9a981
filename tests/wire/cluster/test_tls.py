"""TLS with client authentication, against the SSL-only node (``ignite_ssl_node``).

The node speaks TLS only and demands a client certificate issued by the session's CA.
Each test runs with ``Client`` and with ``AioClient`` (``kind``); a scenario is written
once, ``await do(...)`` awaiting what the asyncio client returns.

The negative cases must fail *fast*: a wrong CA, a missing or foreign client certificate
and a plaintext client are refused by one side or the other within milliseconds, so the
error must arrive long before any timeout (they are set to 30 s here to make a hang
obvious) and must say what happened.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import pytest
from client_kinds import do, make_client, rows

from ignite_wire import AioClient, Client
from ignite_wire.exceptions import (
    HandshakeError,
    ParameterError,
    ReconnectError,
    SocketError,
)
from ignite_wire.testing import IgniteCluster, TlsFiles

pytestmark = [pytest.mark.ssl, pytest.mark.timeout(300)]

#: Far above what any refusal takes, so that a test which waits for it fails clearly.
SLOW = 30.0
#: What "fast" means for a refusal on loopback (it takes milliseconds).
FAST = 5.0
#: A TLS 1.2 cipher list in OpenSSL syntax, as ``ssl_ciphers`` takes it (EC keys).
CIPHERS = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"


def seed_options(tls: TlsFiles, **overrides: Any) -> dict[str, Any]:
    """Every SSL parameter of the seed's table, with the password-protected client key."""
    options: dict[str, Any] = {
        "use_ssl": True,
        "ssl_keyfile": str(tls.client_key_encrypted),
        "ssl_keyfile_password": tls.client_key_password,
        "ssl_certfile": str(tls.client_cert),
        "ssl_ca_certfile": str(tls.ca_cert),
        "ssl_cert_reqs": ssl.CERT_REQUIRED,
        "ssl_version": ssl.PROTOCOL_TLS_CLIENT,
        "ssl_ciphers": CIPHERS,
        "timeout": SLOW,
        "handshake_timeout": SLOW,
    }
    options.update(overrides)
    return {name: value for name, value in options.items() if value is not None}


async def roundtrip(client: Any, name: str) -> None:
    """Key-value, SQL and cluster calls over the TLS connection."""
    cache = await do(client.get_or_create_cache(name))
    try:
        await do(cache.put("key", "value over TLS"))
        assert await do(cache.get("key")) == "value over TLS"
        await do(cache.put_all({i: i * i for i in range(50)}))
        assert await do(cache.get_all(range(50))) == {i: i * i for i in range(50)}
        assert await rows(client.sql("SELECT ?", query_args=[42])) == [[42]]
        assert await do(client.get_cluster().get_state()) == 1
    finally:
        await do(cache.destroy())


async def refused(kind: str, node: IgniteCluster, **options: Any) -> tuple[ReconnectError, float]:
    """Connect, expecting a refusal; the error and how long it took."""
    client = make_client(kind, **options)
    started = time.monotonic()
    try:
        with pytest.raises(ReconnectError) as caught:
            await do(client.connect(*node.node(0).endpoint))
        elapsed = time.monotonic() - started
    finally:
        await do(client.close())
    return caught.value, elapsed


# -- it works --------------------------------------------------------------------------------


async def test_seed_parameters_with_an_encrypted_client_key(
    kind: str, ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    client = make_client(kind, **seed_options(ignite_tls))
    try:
        await do(client.connect(*ignite_ssl_node.node(0).endpoint))
        assert "tls=True" in repr(client._options)
        await roundtrip(client, f"tls_seed_{kind}")
    finally:
        await do(client.close())


async def test_seed_example_as_written(
    kind: str, ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    """The seed's snippet: no ``ssl_version``/``ssl_ciphers``, an unencrypted key."""
    client = make_client(
        kind,
        use_ssl=True,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        ssl_keyfile=str(ignite_tls.client_key),
        ssl_certfile=str(ignite_tls.client_cert),
        ssl_ca_certfile=str(ignite_tls.ca_cert),
    )
    try:
        await do(client.connect("localhost", ignite_ssl_node.node(0).port))
        await roundtrip(client, f"tls_snippet_{kind}")
    finally:
        await do(client.close())


async def test_user_built_ssl_context(
    kind: str, ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    """``ssl_context=`` is used as given: here TLS 1.2 only, one cipher, hostname checked."""
    context = ssl.create_default_context(cafile=str(ignite_tls.ca_cert))
    context.load_cert_chain(
        str(ignite_tls.client_cert),
        str(ignite_tls.client_key_encrypted),
        ignite_tls.client_key_password,
    )
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
    assert context.check_hostname  # the server certificate names 127.0.0.1
    client = make_client(kind, ssl_context=context, timeout=SLOW)
    try:
        await do(client.connect(*ignite_ssl_node.node(0).endpoint))
        await roundtrip(client, f"tls_context_{kind}")
        (conn,) = client._pool.open_connections()
        if kind == "sync":
            version, cipher = conn._sock.version(), conn._sock.cipher()[0]
        else:
            transport = conn._wire.transport
            version = transport.get_extra_info("ssl_object").version()
            cipher = transport.get_extra_info("cipher")[0]
        assert (version, cipher) == ("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256")
    finally:
        await do(client.close())


# -- it fails fast, and says why --------------------------------------------------------------


async def test_wrong_ca_fails_fast(
    kind: str, ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    """The client does not trust the node's certificate: the client refuses it."""
    error, elapsed = await refused(
        kind, ignite_ssl_node, **seed_options(ignite_tls, ssl_ca_certfile=ignite_tls.other_ca_cert)
    )
    assert elapsed < FAST
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert str(ignite_ssl_node.node(0).port) in str(error)
    assert isinstance(error.__cause__, SocketError)


@pytest.mark.parametrize("certificate", ["none", "foreign"])
async def test_client_certificate_missing_or_untrusted_fails_fast(
    kind: str, certificate: str, ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    """The node refuses the client: no certificate, or one its CA did not issue."""
    if certificate == "none":  # (None removes an option)
        options = seed_options(
            ignite_tls, ssl_keyfile=None, ssl_keyfile_password=None, ssl_certfile=None
        )
    else:
        options = seed_options(
            ignite_tls,
            ssl_keyfile=str(ignite_tls.other_client_key),
            ssl_keyfile_password=None,
            ssl_certfile=str(ignite_tls.other_client_cert),
        )
    error, elapsed = await refused(kind, ignite_ssl_node, **options)
    assert elapsed < FAST
    assert isinstance(error.__cause__, HandshakeError)
    assert "closed the connection" in str(error)
    assert "client certificate" in str(error)


async def test_plaintext_client_against_the_ssl_node_fails_fast(
    kind: str, ignite_ssl_node: IgniteCluster
) -> None:
    error, elapsed = await refused(kind, ignite_ssl_node, timeout=SLOW, handshake_timeout=SLOW)
    assert elapsed < FAST
    assert isinstance(error.__cause__, HandshakeError)
    assert "closed the connection during the handshake" in str(error)
    assert "TLS" in str(error)


def test_wrong_key_password_is_a_parameter_error(ignite_tls: TlsFiles) -> None:
    """Caught when the client is built, and the message names files, not the password."""
    secret = "not-the-key-password-123"
    for cls in (Client, AioClient):
        with pytest.raises(ParameterError) as caught:
            cls(**seed_options(ignite_tls, ssl_keyfile_password=secret))
        assert str(ignite_tls.client_key_encrypted) in str(caught.value)
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value.args)
