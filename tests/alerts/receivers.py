"""Real receivers on loopback for the channels' tests: an SMTP server and a Slack webhook.

`smtp_server` runs aiosmtpd on 127.0.0.1: plain, with STARTTLS, or with implicit TLS
(smtps), optionally requiring a login; its certificate comes from a throwaway CA made here,
whose file the client trusts through `MOBWATCH_SMTP_CA_FILE`. `Webhook` answers a Slack
incoming-webhook path on a `LoopbackServer`: 200 "ok", or an error status, or no answer in
time, as the test sets it.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mobwatch.demo.server import LoopbackServer, Reply, Request


@dataclass(frozen=True)
class Certificates:
    ca_file: Path  # what the client trusts
    cert_file: Path  # the server's certificate for 127.0.0.1 and localhost
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_certificates(directory: Path) -> Certificates:
    """A CA and a server certificate it signed, valid for a day."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("mobwatch test CA"))
        .issuer_name(_name("mobwatch test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = Certificates(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    files.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@dataclass
class Mailbox:
    """The aiosmtpd handler: keeps what arrived, and who logged in."""

    user: str | None = None
    password: str | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)  # per message: did it arrive over TLS

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.tls.append(session.ssl is not None)
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (data.login.decode(), data.password.decode()) == (self.user, self.password)
        if ok:
            self.logins.append(data.login.decode())
        # handled=False: aiosmtpd itself answers 235 or 535.
        return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int
    scheme: str
    ca_file: Path | None

    def url(self, user: str | None = None, password: str | None = None) -> str:
        login = f"{user}:{password}@" if user else ""
        return f"{self.scheme}://{login}127.0.0.1:{self.port}"


def free_port() -> int:
    # aiosmtpd's controller checks its server by connecting to the port it was given,
    # so it needs a real number rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(
    directory: Path,
    *,
    tls: str = "none",  # "none", "starttls" or "implicit"
    user: str | None = None,
    password: str | None = None,
) -> Iterator[SmtpServer]:
    """An SMTP server on loopback; with `user`, a login is required (over TLS only)."""
    mailbox = Mailbox(user, password)
    certificates = make_certificates(directory) if tls != "none" else None
    options: dict[str, Any] = {}
    if user:
        options.update(authenticator=mailbox.authenticate, auth_required=True)
    if tls == "starttls" and certificates:
        options.update(tls_context=certificates.server_context(), auth_require_tls=True)
    if tls == "implicit" and certificates:
        # The whole connection is TLS: aiosmtpd's STARTTLS bookkeeping does not know it.
        options.update(ssl_context=certificates.server_context(), auth_require_tls=False)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpServer(
            mailbox,
            port,
            "smtps" if tls == "implicit" else "smtp",
            certificates.ca_file if certificates else None,
        )
    finally:
        controller.stop()


@dataclass
class Webhook:
    """A Slack incoming-webhook receiver at `path` on a running `LoopbackServer`.

    `failing` is None (answer 200 "ok"), an HTTP status to answer with, or "hang" (answer
    only after `hang_seconds`, when the sender has given up). `accepted` holds the payloads
    answered 200: what the channel delivered.
    """

    server: LoopbackServer
    path: str
    failing: int | str | None = None
    hang_seconds: float = 1.0
    accepted: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server.add_handler(self.path, self._handle)

    @property
    def url(self) -> str:
        return self.server.url + self.path

    @property
    def posts(self) -> list[Request]:
        return [r for r in self.server.requests if r.route == self.path]

    def fingerprints(self) -> list[str]:
        """The alert fingerprint of each accepted message (from its header block id)."""
        return [
            block["block_id"].removeprefix("mobwatch-alert-")
            for payload in self.accepted
            for block in payload["blocks"]
            if block.get("block_id", "").startswith("mobwatch-alert-")
        ]

    def _handle(self, request: Request, raw: BaseHTTPRequestHandler) -> Reply:
        failing = self.failing
        if failing == "hang":
            time.sleep(self.hang_seconds)
            return Reply(200, b"ok")
        if isinstance(failing, int):
            return Reply(failing, b"Internal Server Error")
        with self._lock:
            self.accepted.append(json.loads(request.body))
        return Reply(200, b"ok")


def shows_no_chained_error(error: BaseException) -> bool:
    """A traceback of `error` shows no library exception (which may hold the URL)."""
    return error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
