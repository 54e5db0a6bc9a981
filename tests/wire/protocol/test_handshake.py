"""The handshake request, both answers, and version fallback (protocol notes, section 1).

Golden bytes are written by hand from the layouts in the protocol notes.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ignite_wire._protocol.features import (
    SUPPORTED_VERSIONS,
    V1_0_0,
    V1_1_0,
    V1_2_0,
    V1_3_0,
    V1_4_0,
    V1_6_0,
    V1_7_0,
    Feature,
    ProtocolVersion,
)
from ignite_wire._protocol.handshake import (
    Credentials,
    HandshakeAccepted,
    HandshakeRejected,
    build_handshake_request,
    fallback_version,
    parse_handshake_response,
)
from ignite_wire.exceptions import (
    AuthenticationError,
    HandshakeError,
    ParameterError,
    ParseError,
    ProtocolError,
)

NODE_ID = uuid.UUID("01234567-89ab-cdef-fedc-ba9876543210")
# typed UUID: 0A, msb i64 LE, lsb i64 LE
NODE_ID_BYTES = "0a efcdab8967452301 1032547698badcfe"


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def parse(frame: bytes, offered: ProtocolVersion) -> HandshakeAccepted | HandshakeRejected:
    assert int.from_bytes(frame[:4], "little") == len(frame) - 4, "bad golden length"
    return parse_handshake_response(frame, 4, len(frame), offered)


# -- request ---------------------------------------------------------------------------------

REQUEST_CASES = [
    # (version, features, credentials, frame)
    (V1_7_0, {Feature.CLUSTER_STATES}, None, "0e000000 01 0100 0700 0000 02 0c 01000000 04"),
    (V1_7_0, set(), None, "0d000000 01 0100 0700 0000 02 0c 00000000"),
    (
        V1_7_0,
        {Feature.USER_ATTRIBUTES, Feature.CLUSTER_STATES},
        None,
        "0f000000 01 0100 0700 0000 02 0c 01000000 05 65",  # null user-attributes map
    ),
    (
        V1_7_0,
        {Feature.CLUSTER_STATES, Feature.BINARY_CONFIGURATION},
        None,
        "0f000000 01 0100 0700 0000 02 0c 02000000 0401",
    ),
    (V1_6_0, {Feature.CLUSTER_STATES}, None, "08000000 01 0100 0600 0000 02"),  # no bitmask
    (V1_0_0, set(), None, "08000000 01 0100 0000 0000 02"),
    (
        V1_1_0,
        set(),
        Credentials("ignite", "ignite"),
        "1e000000 01 0100 0100 0000 02 09 06000000 69676e697465 09 06000000 69676e697465",
    ),
    (
        V1_7_0,
        {Feature.CLUSTER_STATES},
        Credentials("ü"),  # no password: null string
        "16000000 01 0100 0700 0000 02 0c 01000000 04 09 02000000 c3bc 65",
    ),
]


@pytest.mark.parametrize(("version", "features", "credentials", "frame"), REQUEST_CASES)
def test_request_golden(
    version: ProtocolVersion,
    features: set[Feature],
    credentials: Credentials | None,
    frame: str,
) -> None:
    assert build_handshake_request(version, features=features, credentials=credentials) == h(frame)


def test_default_features_are_offered() -> None:
    assert build_handshake_request(V1_7_0) == h("0e000000 01 0100 0700 0000 02 0c 01000000 04")


def test_credentials_need_1_1() -> None:
    with pytest.raises(ParameterError):
        build_handshake_request(V1_0_0, credentials=Credentials("u", "p"))


def _split_strings(data: bytes) -> list[str | None]:
    out: list[str | None] = []
    pos = 0
    while pos < len(data):
        if data[pos] == 0x65:
            out.append(None)
            pos += 1
            continue
        assert data[pos] == 0x09
        n = int.from_bytes(data[pos + 1 : pos + 5], "little")
        out.append(data[pos + 5 : pos + 5 + n].decode("utf-8"))
        pos += 5 + n
    return out


@pytest.mark.parametrize(
    ("user", "password"),
    [("пользователь", "пароль"), ("用户", "密码🔑"), ("ascii", "ünïcødé"), ("😀", "")],
)
def test_non_ascii_credentials_use_byte_lengths(user: str, password: str) -> None:
    frame = build_handshake_request(V1_1_0, credentials=Credentials(user, password))
    assert int.from_bytes(frame[:4], "little") == len(frame) - 4
    assert _split_strings(frame[12:]) == [user, password]


@settings(max_examples=60)
@given(st.text(min_size=1, max_size=20), st.none() | st.text(max_size=20))
def test_any_credentials_frame_consistently(user: str, password: str | None) -> None:
    frame = build_handshake_request(V1_1_0, credentials=Credentials(user, password))
    assert int.from_bytes(frame[:4], "little") == len(frame) - 4
    try:
        expected = [user.encode("utf-8").decode(), password]
    except UnicodeEncodeError:  # lone surrogates cannot be sent at all
        return
    assert _split_strings(frame[12:]) == expected


# -- success answers, per offered version ----------------------------------------------------

SUCCESS_BY_VERSION = {
    V1_0_0: "01000000 01",
    V1_3_0: "01000000 01",
    V1_4_0: f"12000000 01 {NODE_ID_BYTES}",
    V1_6_0: f"12000000 01 {NODE_ID_BYTES}",
    V1_7_0: f"18000000 01 0c 01000000 04 {NODE_ID_BYTES}",
}


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_success_layout_per_version(version: ProtocolVersion) -> None:
    if version >= V1_7_0:
        frame = SUCCESS_BY_VERSION[V1_7_0]
    elif version >= V1_4_0:
        frame = SUCCESS_BY_VERSION[V1_4_0]
    else:
        frame = SUCCESS_BY_VERSION[V1_0_0]
    event = parse(h(frame), version)
    expected_features = {Feature.CLUSTER_STATES} if version >= V1_7_0 else set()
    expected_node = NODE_ID if version >= V1_4_0 else None
    assert event == HandshakeAccepted(version, frozenset(expected_features), expected_node)


def test_success_features_and_null_node() -> None:
    frame = h("0a000000 01 0c 03000000 04 0802 65")  # bits 2, 11, 17; node id null
    event = parse(frame, V1_7_0)
    assert event == HandshakeAccepted(
        V1_7_0,
        frozenset({Feature.CLUSTER_STATES, Feature.HEARTBEAT, Feature.CACHE_INVOKE}),
        None,
    )


# -- failure answers -------------------------------------------------------------------------

# "Unsupported" = 11 bytes
FAILURE_NO_STATUS = "17000000 00 0100 0700 0000 09 0b000000 556e737570706f72746564"
FAILURE_WITH_STATUS = "1b000000 00 0100 0700 0000 09 0b000000 556e737570706f72746564 01000000"


@pytest.mark.parametrize("version", SUPPORTED_VERSIONS)
def test_failure_layout_per_version(version: ProtocolVersion) -> None:
    if version >= V1_1_0:
        event = parse(h(FAILURE_WITH_STATUS), version)
        assert event == HandshakeRejected(version, V1_7_0, "Unsupported", 1)
    else:
        event = parse(h(FAILURE_NO_STATUS), version)
        assert event == HandshakeRejected(version, V1_7_0, "Unsupported", None)


def test_auth_failure() -> None:
    frame = h("16000000 00 0000 0000 0000 09 06000000 64656e696564 d0070000")
    event = parse(frame, V1_7_0)
    assert event == HandshakeRejected(V1_7_0, ProtocolVersion(0, 0, 0), "denied", 2000)
    assert isinstance(event, HandshakeRejected)
    assert event.is_auth_failure
    error = event.error(node="h:1")
    assert type(error) is AuthenticationError
    assert error.status == 2000
    assert error.node == "h:1"


def test_version_failure_error() -> None:
    event = parse(h(FAILURE_WITH_STATUS), V1_7_0)
    assert isinstance(event, HandshakeRejected)
    error = event.error()
    assert type(error) is HandshakeError
    assert error.server_version == (1, 7, 0)
    assert "Unsupported" in str(error)
    assert "1.7.0" in str(error)


def test_failure_with_null_message_and_zero_version() -> None:
    event = parse(h("08000000 00 0000 0000 0000 65"), V1_0_0)
    assert event == HandshakeRejected(V1_0_0, ProtocolVersion(0, 0, 0), None, None)
    assert isinstance(event, HandshakeRejected)
    assert event.error().server_version is None


MALFORMED = [
    "01000000 02",  # result byte neither 0 nor 1
    "00000000",  # empty
    "03000000 00 0100",  # truncated version
    "07000000 00 0100 0700 0000",  # message missing
    "0c000000 00 0100 0700 0000 09 05000000",  # message truncated
    "06000000 01 0c 05000000 04",  # bitmask longer than the frame
    "06000000 01 09 01000000 04",  # bitmask with the wrong type code
    f"12000000 01 {NODE_ID_BYTES[:-2]}",  # node id truncated (length adjusted below)
]


@pytest.mark.parametrize("frame", MALFORMED)
def test_malformed_answers(frame: str) -> None:
    data = h(frame)
    data = (len(data) - 4).to_bytes(4, "little") + data[4:]
    with pytest.raises(ParseError):
        parse_handshake_response(data, 4, len(data), V1_7_0)


@settings(max_examples=300)
@given(st.binary(max_size=48), st.sampled_from(SUPPORTED_VERSIONS))
def test_random_answers_raise_only_protocol_errors(body: bytes, version: ProtocolVersion) -> None:
    with contextlib.suppress(ProtocolError):
        parse_handshake_response(body, 0, len(body), version)


# -- fallback --------------------------------------------------------------------------------

ZERO = ProtocolVersion(0, 0, 0)


@pytest.mark.parametrize(
    ("offered", "server", "status", "kwargs", "expected"),
    [
        (V1_7_0, V1_4_0, 1, {}, V1_4_0),
        (V1_7_0, V1_0_0, None, {}, V1_0_0),
        (V1_7_0, V1_7_0, 1, {}, None),  # same version: not a version problem
        (V1_4_0, V1_7_0, 1, {}, None),  # never climb: negotiation must terminate
        (V1_7_0, ZERO, 1, {}, None),
        (V1_7_0, ProtocolVersion(1, 7, 1), 1, {}, None),  # not a version we speak
        (V1_7_0, ProtocolVersion(1, 3, 5), 1, {}, None),
        (V1_7_0, V1_4_0, 2000, {}, None),  # auth failures are final
        (V1_7_0, V1_2_0, 1, {"min_version": V1_3_0}, None),
        (V1_7_0, V1_3_0, 1, {"min_version": V1_3_0}, V1_3_0),
        (V1_7_0, V1_0_0, 1, {"with_credentials": True}, None),
        (V1_7_0, V1_1_0, 1, {"with_credentials": True}, V1_1_0),
    ],
)
def test_fallback_version(
    offered: ProtocolVersion,
    server: ProtocolVersion,
    status: int | None,
    kwargs: dict[str, object],
    expected: ProtocolVersion | None,
) -> None:
    rejected = HandshakeRejected(offered, server, "Unsupported version.", status)
    assert fallback_version(rejected, **kwargs) == expected  # type: ignore[arg-type]


# -- secrets ---------------------------------------------------------------------------------


def test_password_never_in_repr_or_errors() -> None:
    secret = "s3cr3t-ü-pässwörd"
    credentials = Credentials("admin", secret)
    assert secret not in repr(credentials)
    assert secret not in str(credentials)
    assert "admin" in repr(credentials)
    frame = build_handshake_request(V1_7_0, credentials=credentials)
    assert secret.encode() in frame  # it is sent, of course
    rejected = parse(h("16000000 00 0000 0000 0000 09 06000000 64656e696564 d0070000"), V1_7_0)
    assert isinstance(rejected, HandshakeRejected)
    for text in (repr(rejected), str(rejected.error()), repr(rejected.error())):
        assert secret not in text
