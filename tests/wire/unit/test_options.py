"""The constructor's options (ignite_wire/_options.py), checked without a server."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from ignite_wire._options import ClientOptions, SslOptions, client_options, settle
from ignite_wire.exceptions import ParameterError
from ignite_wire.monitoring import QueryEventListener
from ignite_wire.retry import NO_RETRY, RetryPolicy


def test_defaults() -> None:
    settings = settle(None, {})
    assert settings.retry_policy == RetryPolicy()
    assert settings.heartbeat_interval == 30.0
    assert settings.discovery is True
    assert settings.connect.ssl_context is None
    assert settings.connect.events is None
    assert settings.connect.connect_timeout == 10.0


def test_pool_options_are_taken_out_and_checked() -> None:
    options: ClientOptions = {
        "retry_policy": NO_RETRY,
        "heartbeat_interval": None,
        "cluster_discovery": False,
        "timeout": 2.5,
    }
    settings = settle(None, options)
    assert settings.retry_policy is NO_RETRY
    assert settings.heartbeat_interval is None
    assert settings.discovery is False
    assert settings.connect.timeout == 2.5


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"heartbeat_interval": 0}, "heartbeat_interval must be > 0 seconds"),
        ({"heartbeat_interval": float("inf")}, "heartbeat_interval"),
        ({"retry_policy": 3}, "retry_policy must be a RetryPolicy"),
        ({"timout": 1}, "unexpected keyword argument 'timout'"),
        ({"timeout": -1}, "timeout must be a positive, finite number"),
        ({"password": "secret"}, "a password was given without a username"),
    ],
)
def test_a_bad_option_is_named(options: dict[str, Any], words: str) -> None:
    with pytest.raises(ParameterError, match=words):
        settle(None, options)  # type: ignore[arg-type]


def test_a_secret_never_appears_in_the_error() -> None:
    with pytest.raises(ParameterError) as info:
        settle(None, {"username": "u", "password": "p\ud800ss"})
    assert "p\ud800ss" not in str(info.value)


def test_event_listeners_are_kept_only_when_given() -> None:
    settings = settle([QueryEventListener()], {})
    assert settings.connect.events is not None
    assert len(settings.connect.events.query) == 1
    with pytest.raises(ParameterError, match="event_listeners"):
        settle([object()], {})  # type: ignore[list-item]


def test_credentials_turn_tls_on_unless_told_not_to() -> None:
    on = client_options(username="u", password="p")
    assert isinstance(on.ssl_context, ssl.SSLContext)
    off = client_options(username="u", password="p", use_ssl=False)
    assert off.ssl_context is None
    assert off.credentials is not None


def test_ssl_options_are_one_value_that_hides_the_key_password() -> None:
    tls = SslOptions(keyfile="k.pem", keyfile_password="hunter2", cert_reqs=ssl.CERT_NONE)
    assert "hunter2" not in repr(tls)
    assert tls.names_files
    assert not SslOptions(ciphers="HIGH").names_files
    assert SslOptions(cert_reqs=ssl.CERT_REQUIRED).context().verify_mode == ssl.CERT_REQUIRED


def test_a_given_context_is_used_as_it_is() -> None:
    context = ssl.create_default_context()
    assert client_options(ssl_context=context).ssl_context is context


def test_max_frame_size_and_protocol_version() -> None:
    connect = client_options(max_frame_size=1 << 20, protocol_version=(1, 6, 0))
    assert connect.max_frame_size == 1 << 20
    assert tuple(connect.protocol_version) == (1, 6, 0)
