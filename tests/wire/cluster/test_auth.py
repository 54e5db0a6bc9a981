"""Authentication against the node that requires it (``ignite_auth_node``), no TLS.

Each test runs with ``Client`` and ``AioClient`` (``kind``).  A wrong password must raise
``AuthenticationError`` itself (not a ``ReconnectError`` that hides it: another node would
refuse the same credentials), quickly, and the password must never leave the client: no
log record, no repr, no exception text or argument, no event carries it.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from client_kinds import dead_port, do, make_client, rows

from ignite_wire import monitoring
from ignite_wire.exceptions import AuthenticationError, HandshakeError, ReconnectError
from ignite_wire.testing import IgniteCluster
from ignite_wire.testing.pytest_plugin import AUTH_USERS

pytestmark = [pytest.mark.auth, pytest.mark.timeout(300)]

#: Far above what a refusal takes, so that a test which waits for it fails clearly.
SLOW = 30.0
FAST = 5.0


# -- logging in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password"),
    [("ignite", "ignite"), *AUTH_USERS.items()],
    ids=["ignite", "wire_user", "non-ascii"],
)
async def test_login_without_tls(
    kind: str, username: str, password: str, ignite_auth_node: IgniteCluster
) -> None:
    """The seed's ``use_ssl=False`` form; UTF-8 names and passwords (pyignite's bug)."""
    client = make_client(kind, username=username, password=password, use_ssl=False)
    try:
        await do(client.connect(*ignite_auth_node.node(0).endpoint))
        cache = await do(client.get_or_create_cache(f"auth_{kind}_{len(username)}"))
        await do(cache.put("ключ", username))
        assert await do(cache.get("ключ")) == username
        assert await rows(client.sql("SELECT ?", query_args=[username])) == [[username]]
        await do(cache.destroy())
    finally:
        await do(client.close())


@pytest.mark.parametrize(
    ("username", "password"),
    [("ignite", "wrong-password"), ("jürgen", "pässwörd-ü€x"), ("nobody", "ignite")],
    ids=["wrong-password", "non-ascii-wrong-password", "unknown-user"],
)
async def test_wrong_credentials_raise_authentication_error(
    kind: str, username: str, password: str, ignite_auth_node: IgniteCluster
) -> None:
    client = make_client(
        kind, username=username, password=password, use_ssl=False, handshake_timeout=SLOW
    )
    started = time.monotonic()
    try:
        with pytest.raises(AuthenticationError) as caught:
            await do(client.connect(*ignite_auth_node.node(0).endpoint))
    finally:
        await do(client.close())
    assert time.monotonic() - started < FAST
    error = caught.value
    assert error.status == 2000
    assert error.node == f"127.0.0.1:{ignite_auth_node.node(0).port}"
    assert "password is incorrect" in str(error)
    assert isinstance(error, HandshakeError)  # and so a SocketError, an OSError


@pytest.mark.parametrize("partition_aware", [True, False])
async def test_authentication_error_is_not_hidden_by_other_nodes(
    kind: str, partition_aware: bool, ignite_auth_node: IgniteCluster
) -> None:
    """With dead addresses listed too, the refusal still says "authentication"."""
    nodes = [("127.0.0.1", dead_port()), ignite_auth_node.node(0).endpoint]
    client = make_client(
        kind, username="ignite", password="wrong", use_ssl=False, partition_aware=partition_aware
    )
    try:
        with pytest.raises(AuthenticationError):
            await do(client.connect(nodes))
        # The client did not become half-connected: calls still say it cannot connect.
        with pytest.raises((AuthenticationError, ReconnectError)):
            await do(client.get_cluster().get_state())
    finally:
        await do(client.close())


async def test_credentials_turn_tls_on(kind: str, ignite_auth_node: IgniteCluster) -> None:
    """As the seed says: a plaintext node then refuses the TLS client, quickly."""
    client = make_client(kind, username="ignite", password="ignite", handshake_timeout=SLOW)
    assert "tls=True" in repr(client._options)
    started = time.monotonic()
    try:
        with pytest.raises(ReconnectError) as caught:
            await do(client.connect(*ignite_auth_node.node(0).endpoint))
    finally:
        await do(client.close())
    assert time.monotonic() - started < FAST
    assert "TLS" in str(caught.value) or "SSL" in str(caught.value)


# -- the password stays secret ---------------------------------------------------------------


class _Everything(monitoring.ConnectionEventListener, monitoring.QueryEventListener):
    """Every event, as its repr."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("on_"):
            return lambda event: object.__getattribute__(self, "seen").append(repr(event))
        return object.__getattribute__(self, name)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = [record.getMessage(), repr(record.args), repr(record.__dict__)]
        if record.exc_info:
            text.append("".join(traceback.format_exception(*record.exc_info)))
        self.texts.append("\n".join(text))


@pytest.fixture
def ignite_wire_log() -> Iterator[_Records]:
    """Every record of the "ignite_wire" logger at DEBUG, from any thread."""
    logger = logging.getLogger("ignite_wire")
    handler = _Records()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def secret_forms(password: str) -> list[str]:
    """The ways a password could show up in text: as is, escaped, as UTF-8 bytes."""
    raw = password.encode()
    return [password, repr(password)[1:-1], repr(raw)[2:-1], raw.hex(), ascii(password)[1:-1]]


def assert_nowhere(password: str, texts: list[str]) -> None:
    for form in secret_forms(password):
        for text in texts:
            assert form not in text, f"the password shows in: {text[:300]}"


def exception_texts(error: BaseException) -> list[str]:
    texts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args), repr(vars(current))]
        current = current.__cause__ or current.__context__
    texts.append("".join(traceback.format_exception(error)))
    return texts


@pytest.mark.parametrize("user", ["ignite", "jürgen"])
async def test_password_is_in_no_log_repr_event_or_exception(
    kind: str, user: str, ignite_auth_node: IgniteCluster, ignite_wire_log: _Records
) -> None:
    right = "ignite" if user == "ignite" else AUTH_USERS[user]
    # "ignite" is also the user name; the wrong password is one that appears nowhere else.
    wrong = "Wr0ng-pässwörd-€-7f3a9c" if user == "ignite" else right + "-wr0ng-7f3a9c"
    endpoint = ignite_auth_node.node(0).endpoint
    texts: list[str] = []

    # A successful login, some requests, a lost request, a close.
    events = _Everything()
    good = make_client(kind, username=user, password=right, use_ssl=False, event_listeners=[events])
    try:
        await do(good.connect([endpoint, ("127.0.0.1", dead_port())]))
        cache = await do(good.get_or_create_cache(f"secret_{kind}"))
        await do(cache.put(1, "one"))
        assert await do(cache.get(1)) == "one"
        texts += [repr(good), repr(good._options), repr(good._options.credentials)]
        texts += [repr(c) for c in good._pool.open_connections()]
        texts += [repr(cache)]
        await do(cache.destroy())
    finally:
        await do(good.close())
    texts += [repr(good)]

    # A failed login.
    bad = make_client(kind, username=user, password=wrong, use_ssl=False, event_listeners=[events])
    try:
        with pytest.raises(AuthenticationError) as caught:
            await do(bad.connect(*endpoint))
        texts += exception_texts(caught.value)
        texts += [repr(bad), repr(bad._options), repr(bad._options.credentials)]
        with pytest.raises((AuthenticationError, ReconnectError)) as again:
            await do(bad.get_cluster().get_state())
        texts += exception_texts(again.value)
    finally:
        await do(bad.close())

    assert any("connected to" in text for text in ignite_wire_log.texts)
    assert any("password is incorrect" in text for text in ignite_wire_log.texts)
    assert any("AuthenticationFailedEvent" in text for text in events.seen)
    # The user name is not a secret (the server itself reports it): the check can see it.
    assert any(user in text for text in texts)
    for password in (right, wrong):
        if password == user:
            continue  # ignite/ignite: the password cannot be told from the user name
        assert_nowhere(password, texts)
        assert_nowhere(password, ignite_wire_log.texts)
        assert_nowhere(password, events.seen)
