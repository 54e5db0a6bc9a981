"""Throw-away certificates for SSL tests, made at test time.

No private key is committed to the repository: every test session makes a fresh CA, a
server certificate for 127.0.0.1 / localhost, a client certificate, and an unrelated
"other" CA with its own client certificate for the negative cases (a client that trusts
the wrong CA, a node that must reject a certificate it did not issue).  Keys are EC P-256:
quick to make, and accepted by both Python's ssl module and the JDK.

Needs the ``cryptography`` package (part of the ``test`` extra), imported lazily so that
the rest of the harness works without it.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TlsFiles", "make_tls_files"]

#: Password of ``client_key_encrypted`` (a test secret, not a real one).
CLIENT_KEY_PASSWORD = "client-key-secret"


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for one SSL test setup (all paths)."""

    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    client_key_encrypted: Path
    client_key_password: str
    other_ca_cert: Path
    other_client_cert: Path
    other_client_key: Path

    def __repr__(self) -> str:
        return f"TlsFiles(ca_cert={str(self.ca_cert)!r}, ...)"


def make_tls_files(folder: str | os.PathLike[str]) -> TlsFiles:
    """Write a CA, server and client certificates (and a foreign CA) into ``folder``."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as e:  # pragma: no cover - the test extra installs it
        raise RuntimeError("SSL test certificates need the 'cryptography' package") from e

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)

    def key() -> Any:
        return ec.generate_private_key(ec.SECP256R1())

    def name(common_name: str) -> Any:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    def build(
        subject: str, subject_key: Any, issuer: str, issuer_key: Any, *, ca: bool, usage: Any
    ) -> Any:
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(subject_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if usage is not None:
            builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.DNSName("localhost"),
                        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    ]
                ),
                critical=False,
            )
        return builder.sign(issuer_key, hashes.SHA256())

    def write_cert(path: Path, cert: Any) -> Path:
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    def write_key(path: Path, private_key: Any, password: str | None = None) -> Path:
        encryption: Any = (
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption()
        )
        data = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return path

    ca_key, other_ca_key = key(), key()
    ca = build("ignite-wire test CA", ca_key, "ignite-wire test CA", ca_key, ca=True, usage=None)
    other_ca = build(
        "ignite-wire other CA",
        other_ca_key,
        "ignite-wire other CA",
        other_ca_key,
        ca=True,
        usage=None,
    )
    server_key, client_key, other_client_key = key(), key(), key()
    server = build(
        "127.0.0.1",
        server_key,
        "ignite-wire test CA",
        ca_key,
        ca=False,
        usage=ExtendedKeyUsageOID.SERVER_AUTH,
    )
    client = build(
        "ignite-wire client",
        client_key,
        "ignite-wire test CA",
        ca_key,
        ca=False,
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    other_client = build(
        "ignite-wire stranger",
        other_client_key,
        "ignite-wire other CA",
        other_ca_key,
        ca=False,
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
    )
    return TlsFiles(
        ca_cert=write_cert(out / "ca.pem", ca),
        server_cert=write_cert(out / "server.pem", server),
        server_key=write_key(out / "server.key", server_key),
        client_cert=write_cert(out / "client.pem", client),
        client_key=write_key(out / "client.key", client_key),
        client_key_encrypted=write_key(
            out / "client-encrypted.key", client_key, CLIENT_KEY_PASSWORD
        ),
        client_key_password=CLIENT_KEY_PASSWORD,
        other_ca_cert=write_cert(out / "other-ca.pem", other_ca),
        other_client_cert=write_cert(out / "other-client.pem", other_client),
        other_client_key=write_key(out / "other-client.key", other_client_key),
    )
