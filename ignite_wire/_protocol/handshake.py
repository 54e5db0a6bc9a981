"""The handshake: what the client offers, what the server answers (protocol notes, section 1).

Request (``len`` counts the bytes after itself)::

    i32 len | i8 1 | i16 major | i16 minor | i16 patch | i8 clientType = 2
    [ver >= 1.7.0]                        BArr featureBitmask
    [ver >= 1.7.0 and USER_ATTRIBUTES]    Map userAttributes, or 65 (we send null)
    [ver >= 1.1.0 and a user name]        Str user, Str password

Answers::

    success   i32 len | i8 1 | [ver >= 1.7.0] BArr features | [ver >= 1.4.0] UUID nodeId
    failure   i32 len | i8 0 | i16 major minor patch | Str message | [i32 status]

The returned features are the intersection of ours and the server's.  In a failure the
version is the newest the server speaks (0.0.0 after an authentication failure or when the
server could not even build a connection context); the status is present when the offered
version is 1.1.0 or newer, and we read it whenever the bytes are there, as the Java client
does.

**Fallback.**  We offer 1.7.0 first.  If the server refuses and names a version we speak,
lower than the one offered and not below our minimum, we offer that one (same socket or a
new one: the server treats the next message as a new handshake either way).  Requiring
"strictly lower" makes the negotiation terminate.  Credentials need 1.1.0, so with a user
name the floor is at least 1.1.0.  Authentication failures (2000) never fall back.

**Secrets.**  The password exists only inside :class:`Credentials` (whose ``repr`` hides
it) and in the request bytes; no event or exception here ever includes it.  Lengths are
UTF-8 *byte* lengths (pyignite used ``len(str)``, which breaks non-ASCII credentials).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..exceptions import (
    AuthenticationError,
    HandshakeError,
    ParameterError,
    ParseError,
)
from .features import (
    DEFAULT_FEATURES,
    MIN_SUPPORTED_VERSION,
    SUPPORTED_VERSIONS,
    V1_1_0,
    Feature,
    ProtocolVersion,
    VersionFeature,
    bitmask_to_features,
    features_to_bitmask,
    version_supports,
)
from .messages import (
    LENGTH_PREFIX_SIZE,
    Buffer,
    byte_array_bytes,
    read_byte_array,
    read_str,
    read_uuid,
    str_bytes,
)
from .status import StatusCode

__all__ = [
    "CLIENT_TYPE_THIN",
    "Credentials",
    "HandshakeAccepted",
    "HandshakeRejected",
    "build_handshake_request",
    "fallback_version",
    "parse_handshake_response",
]

CLIENT_TYPE_THIN = 2
_HANDSHAKE_CODE = 1
_HEADER = struct.Struct("<ibhhhb")
_VERSION = struct.Struct("<hhh")
_I32 = struct.Struct("<i")


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and password for the handshake; ``repr`` never shows the password."""

    username: str
    password: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=<hidden>)"


@dataclass(frozen=True, slots=True)
class HandshakeAccepted:
    """The server accepted ``version``.

    ``features`` is the negotiated set (empty before 1.7.0), ``node_id`` the server node's
    id (``None`` before 1.4.0).
    """

    version: ProtocolVersion
    features: frozenset[Feature]
    node_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class HandshakeRejected:
    """The server refused the handshake for ``offered``.

    ``server_version`` is the version it named (0.0.0 if none), ``status`` its status code
    (``None`` if it sent none).  ``retry_version`` is what to offer next, decided by
    :func:`fallback_version`, or ``None`` when the failure is final; :meth:`error` builds
    the exception to raise then.
    """

    offered: ProtocolVersion
    server_version: ProtocolVersion
    message: str | None
    status: int | None
    retry_version: ProtocolVersion | None = None

    @property
    def is_auth_failure(self) -> bool:
        """True when the server rejected the credentials."""
        return self.status == StatusCode.AUTH_FAILED

    def error(self, node: str | None = None) -> HandshakeError:
        """The exception for this rejection (``AuthenticationError`` for status 2000)."""
        text = self.message or "handshake rejected"
        if self.is_auth_failure:
            return AuthenticationError(text, node=node, status=self.status)
        known = self.server_version if any(self.server_version) else None
        return HandshakeError(
            f"{text} (offered protocol {self.offered}, server speaks {self.server_version})",
            server_version=known,
            node=node,
            status=self.status,
        )


def build_handshake_request(
    version: ProtocolVersion,
    *,
    features: Iterable[Feature] = DEFAULT_FEATURES,
    credentials: Credentials | None = None,
) -> bytes:
    """The handshake frame offering ``version``.

    ``features`` is sent only from 1.7.0 on; credentials only from 1.1.0 on (offering an
    older version with credentials is an error: they would silently be dropped).
    """
    feature_set = frozenset(features)
    parts: list[bytes] = []
    if version_supports(version, VersionFeature.BITMAP_FEATURES):
        parts.append(byte_array_bytes(features_to_bitmask(feature_set)))
        if Feature.USER_ATTRIBUTES in feature_set:
            parts.append(b"\x65")  # no user attributes: null map
    if credentials is not None:
        if not version_supports(version, VersionFeature.AUTHORIZATION):
            raise ParameterError(f"protocol {version} cannot carry a user name and password")
        parts.append(str_bytes(credentials.username))
        parts.append(str_bytes(credentials.password))
    body = b"".join(parts)
    size = _HEADER.size - LENGTH_PREFIX_SIZE + len(body)
    return _HEADER.pack(size, _HANDSHAKE_CODE, *version, CLIENT_TYPE_THIN) + body


def parse_handshake_response(
    buf: Buffer, start: int, end: int, offered: ProtocolVersion
) -> HandshakeAccepted | HandshakeRejected:
    """Parse the handshake answer whose body (after the length prefix) is ``buf[start:end]``.

    The returned :class:`HandshakeRejected` has no ``retry_version``; the connection fills
    it in with :func:`fallback_version`.
    """
    if end <= start:
        raise ParseError("handshake response is empty", offset=LENGTH_PREFIX_SIZE)
    success = buf[start]
    pos = start + 1
    if success == 1:
        features: frozenset[Feature] = frozenset()
        node_id: uuid.UUID | None = None
        if version_supports(offered, VersionFeature.BITMAP_FEATURES):
            mask, pos = read_byte_array(buf, pos, end, base=start)
            features = bitmask_to_features(mask or b"")
        if version_supports(offered, VersionFeature.PARTITION_AWARENESS):
            node_id, pos = read_uuid(buf, pos, end, base=start)
        return HandshakeAccepted(offered, features, node_id)
    if success != 0:
        raise ParseError(f"handshake result byte is {success}", offset=LENGTH_PREFIX_SIZE)
    if end - pos < _VERSION.size:
        raise ParseError("server version is truncated", offset=pos - start + 4)
    server_version = ProtocolVersion(*_VERSION.unpack_from(buf, pos))
    pos += _VERSION.size
    message, pos = read_str(buf, pos, end, base=start)
    status: int | None = None
    if end - pos >= 4:
        (status,) = _I32.unpack_from(buf, pos)
    return HandshakeRejected(offered, server_version, message, status)


def fallback_version(
    rejected: HandshakeRejected,
    *,
    min_version: ProtocolVersion = MIN_SUPPORTED_VERSION,
    supported: Iterable[ProtocolVersion] = SUPPORTED_VERSIONS,
    with_credentials: bool = False,
) -> ProtocolVersion | None:
    """The version to offer after ``rejected``, or ``None`` if the failure is final.

    Falls back only to the version the server named, only if we speak it, it is strictly
    lower than what we offered, and it is not below the floor (``min_version``, raised to
    1.1.0 when credentials must be sent).
    """
    if rejected.is_auth_failure:
        return None
    candidate = rejected.server_version
    floor = max(min_version, V1_1_0) if with_credentials else min_version
    if candidate in tuple(supported) and floor <= candidate < rejected.offered:
        return candidate
    return None
