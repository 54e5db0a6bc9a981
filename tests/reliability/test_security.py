"""Security negatives (issue 9) beyond those of tests/wire/cluster.

tests/wire/cluster/test_tls.py and test_auth.py already refuse, against real nodes, a
wrong CA, a missing or foreign client certificate, plaintext against TLS, a wrong
password and an unknown user, and keep the password out of every log, repr, event and
error.  Here:

* the default when a CA is given (against the real SSL node): the node's certificate is
  checked, so a CA that did not issue it is refused (before: not checked at all);
* a certificate that has expired, one that is self-signed, and one issued for another
  host name (with host-name checking on; off by default).  The harness cannot start a
  node with such a certificate (its readiness probe verifies it), and the check happens
  entirely in the client's TLS handshake, so a loopback TLS server presents them.

Each refusal is a ``ReconnectError`` within seconds that says why and shows no secret.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fake_node import HANDSHAKE_OK, FakeServer, read_frame, request_id_of, response

from ignite_wire import Client
from ignite_wire.exceptions import ReconnectError
from ignite_wire.testing import IgniteCluster, TlsFiles

FAST = 5.0


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _cert(
    subject: str,
    key: Any,
    issuer: str,
    issuer_key: Any,
    *,
    ca: bool,
    expired: bool,
    names: tuple[str, ...] = (),
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    after = now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(days=2)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=10))
        .not_valid_after(after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if names:
        sans: list[x509.GeneralName] = []
        for name in names:
            try:
                sans.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                sans.append(x509.DNSName(name))
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write(folder: Path, stem: str, cert: x509.Certificate, key: Any) -> tuple[Path, Path]:
    cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, and server certificates: good, expired, self-signed, for another host."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert("rel CA", ca_key, "rel CA", ca_key, ca=True, expired=False)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files = {"ca": folder / "ca.pem"}
    local = ("localhost", "127.0.0.1")
    for stem, expired, self_signed, names in (
        ("good", False, False, local),
        ("expired", True, False, local),
        ("self_signed", False, True, local),
        ("other_host", False, False, ("node.example.com",)),
    ):
        key = ec.generate_private_key(ec.SECP256R1())
        issuer, issuer_key = (stem, key) if self_signed else ("rel CA", ca_key)
        cert = _cert(stem, key, issuer, issuer_key, ca=False, expired=expired, names=names)
        files[stem], files[stem + ".key"] = _write(folder, stem, cert, key)
    return files


class TlsFakeNode:
    """A loopback TLS server presenting one certificate, then an Ignite handshake OK."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.server = FakeServer(self._run)
        self.port = self.server.port

    def _run(self, raw: socket.socket, n: int) -> None:
        with self.context.wrap_socket(raw, server_side=True) as conn:
            if read_frame(conn) is None:
                return
            conn.sendall(HANDSHAKE_OK)
            while (frame := read_frame(conn)) is not None:
                conn.sendall(response(request_id_of(frame), b"\x01"))

    def close(self) -> None:
        self.server.close()


def _refused(port: int, **options: Any) -> tuple[ReconnectError, float]:
    started = time.monotonic()
    client = Client(handshake_timeout=30, **options)
    with pytest.raises(ReconnectError) as caught:
        client.connect("127.0.0.1", port)
    return caught.value, time.monotonic() - started


def test_a_given_ca_is_checked_by_default(
    ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster, figures: Any
) -> None:
    """Before: with ssl_ca_certfile but no ssl_cert_reqs, any certificate was accepted."""
    options = {
        "use_ssl": True,
        "ssl_certfile": str(ignite_tls.client_cert),
        "ssl_keyfile": str(ignite_tls.client_key),
    }
    error, elapsed = _refused(
        ignite_ssl_node.node(0).port, ssl_ca_certfile=str(ignite_tls.other_ca_cert), **options
    )
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert elapsed < FAST
    good = Client(ssl_ca_certfile=str(ignite_tls.ca_cert), **options)
    good.connect(*ignite_ssl_node.node(0).endpoint)
    good.get_cluster().get_state()
    good.close()
    figures("security.ca_given_checked", refused_in_s=elapsed)


@pytest.mark.parametrize(
    ("stem", "reason"),
    [("expired", "certificate has expired"), ("self_signed", "self-signed certificate")],
)
def test_expired_and_self_signed_certificates_are_refused(
    pki: dict[str, Path], stem: str, reason: str, figures: Any
) -> None:
    node = TlsFakeNode(pki[stem], pki[stem + ".key"])
    try:
        error, elapsed = _refused(node.port, use_ssl=True, ssl_ca_certfile=str(pki["ca"]))
        assert reason in str(error)
        assert elapsed < FAST
        good = TlsFakeNode(pki["good"], pki["good.key"])
        client = Client(use_ssl=True, ssl_ca_certfile=str(pki["ca"]))
        client.connect("127.0.0.1", good.port)  # the same CA, a valid certificate: fine
        assert client.get_cluster().get_state() == 1
        client.close()
        good.close()
    finally:
        node.close()
    figures(f"security.{stem}", refused_in_s=elapsed)


def test_a_certificate_for_another_host_is_refused_with_checking_on(
    pki: dict[str, Path], figures: Any
) -> None:
    node = TlsFakeNode(pki["other_host"], pki["other_host.key"])
    try:
        context = ssl.create_default_context(cafile=str(pki["ca"]))  # checks the host name
        error, elapsed = _refused(node.port, ssl_context=context)
        assert "mismatch" in str(error)  # "IP address mismatch, certificate is not valid ..."
        assert elapsed < FAST
        # Off by default (nodes are addressed by IP; their certificates seldom name it).
        client = Client(use_ssl=True, ssl_ca_certfile=str(pki["ca"]))
        client.connect("127.0.0.1", node.port)
        client.close()
    finally:
        node.close()
    figures("security.hostname_mismatch", refused_in_s=elapsed)


def test_no_key_password_in_a_tls_failure(
    ignite_tls: TlsFiles, ignite_ssl_node: IgniteCluster
) -> None:
    error, _ = _refused(
        ignite_ssl_node.node(0).port,
        use_ssl=True,
        ssl_ca_certfile=str(ignite_tls.other_ca_cert),
        ssl_certfile=str(ignite_tls.client_cert),
        ssl_keyfile=str(ignite_tls.client_key_encrypted),
        ssl_keyfile_password=ignite_tls.client_key_password,
    )
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for exc in chain:
        assert ignite_tls.client_key_password not in f"{exc} {exc!r} {exc.args!r}"
