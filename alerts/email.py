"""Email over SMTP: `MOBWATCH_SMTP_URL` (`smtp://user:password@host:port` with STARTTLS
when the server offers it, or `smtps://…` for implicit TLS), `MOBWATCH_EMAIL_FROM`,
`MOBWATCH_EMAIL_TO` (comma-separated).

Why the standard library's smtplib rather than prefect-email: prefect-email's
`email_send_message` is a Prefect task that needs a flow run context and raises whatever
its SMTP library raises, while the outbox sends one alert at a time, synchronously, from
plain functions and tests, and needs typed errors whose text it can store — never holding
the password or the URL. smtplib with `email.message.EmailMessage` does exactly that in a
few lines.

TLS is verified against the system's CAs, or against the CA file in
`MOBWATCH_SMTP_CA_FILE` (a private CA; the tests' self-signed loopback server). There is no
switch to turn verification off. A password is never sent over a connection without TLS:
a plain `smtp://` server that offers no STARTTLS gets the message only without login.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.digest import Digest
from mobwatch.alerts.email_body import Envelope, alert_email, digest_email, group_email
from mobwatch.alerts.grouping import AlertGroup
from mobwatch.alerts.secrets import Secret, read_secret
from mobwatch.indicators.model import Alert

_PORTS = {"smtp": 587, "smtps": 465}
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    login: tuple[str, Secret] | None = None  # user name and password
    ca_file: Path | None = None
    timeout: float = 20.0

    @classmethod
    def from_url(cls, url: Secret, *, ca_file: Path | None, timeout: float) -> SmtpServer:
        """Read `smtp[s]://[user:password@]host[:port]`; ValueError names no part of it."""
        parts = urlsplit(url.reveal())
        if parts.scheme not in _PORTS or not parts.hostname:
            raise ValueError("expected smtp://[user:password@]host[:port] or smtps://…")
        try:
            port = parts.port or _PORTS[parts.scheme]
        except ValueError:
            raise ValueError("the port is not a number") from None
        return cls(
            host=parts.hostname,
            port=port,
            implicit_tls=parts.scheme == "smtps",
            login=(unquote(parts.username), Secret(unquote(parts.password or "")))
            if parts.username
            else None,
            ca_file=ca_file,
            timeout=timeout,
        )

    def send(self, message: EmailMessage) -> None:
        """Deliver one message; any failure is a `DeliveryError` without a secret in it."""
        where = f"{self.host}:{self.port}"
        # `from None` below: smtplib's exceptions may carry the server's echo of a login.
        try:
            self._send(message)
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(f"SMTP {where}: login refused ({error.smtp_code})") from None
        except smtplib.SMTPRecipientsRefused as error:
            refused = ", ".join(sorted(error.recipients))
            raise DeliveryError(f"SMTP {where}: recipients refused: {refused}") from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(f"SMTP {where}: server answered {error.smtp_code}") from None
        except smtplib.SMTPException as error:
            raise DeliveryError(f"SMTP {where}: {type(error).__name__}") from None
        except ssl.SSLError as error:
            reason = getattr(error, "verify_message", None) or error.reason or "handshake failed"
            raise DeliveryError(f"SMTP {where}: TLS failed ({reason})") from None
        except TimeoutError:
            raise DeliveryError(f"SMTP {where}: timed out") from None
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise DeliveryError(f"SMTP {where}: cannot connect ({reason})") from None

    def _send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context(cafile=self.ca_file)
        # An explicit EHLO name: smtplib's default asks DNS for this host's FQDN.
        local = socket.gethostname()
        client: smtplib.SMTP
        if self.implicit_tls:
            client = smtplib.SMTP_SSL(
                self.host, self.port, local, timeout=self.timeout, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, local, timeout=self.timeout)
        with client:
            encrypted = self.implicit_tls
            if not encrypted:
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                    encrypted = True
            if self.login:
                if not encrypted:
                    raise DeliveryError(
                        f"SMTP {self.host}:{self.port}: the server offers no STARTTLS, and "
                        "the password is not sent in clear (use smtps:// or a TLS server)"
                    )
                user, password = self.login
                client.login(user, password.reveal())
            client.send_message(message)


@dataclass
class EmailChannel:
    server: SmtpServer
    envelope: Envelope
    risk_level: str = ""
    name: str = "email"

    def send(self, alert: Alert) -> None:
        self.server.send(alert_email(alert, self.envelope, self.risk_level))

    def send_group(self, group: AlertGroup) -> None:
        self.server.send(group_email(group, self.envelope, self.risk_level))

    def send_digest(self, digest: Digest) -> None:
        self.server.send(digest_email(digest, self.envelope))


def _addresses(setup: ChannelSetup, variable: str) -> tuple[str, ...]:
    raw = setup.environ.get(variable, "")
    found = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not found:
        raise ChannelOff(f"set {variable}")
    bad = [address for address in found if not _ADDRESS.fullmatch(address)]
    if bad:
        raise ChannelOff(f"{variable}: not a plain address: {bad[0]!r}")
    return found


def _configure(setup: ChannelSetup, name: str, to_variable: str) -> EmailChannel:
    block = "mobwatch-smtp-url" if setup.secret_blocks else None
    url = read_secret(setup.environ, "MOBWATCH_SMTP_URL", block)
    if url is None:
        raise ChannelOff("set MOBWATCH_SMTP_URL or the Prefect Secret block mobwatch-smtp-url")
    ca_file = setup.environ.get("MOBWATCH_SMTP_CA_FILE", "").strip()
    try:
        server = SmtpServer.from_url(
            url, ca_file=Path(ca_file) if ca_file else None, timeout=setup.timeout
        )
    except ValueError as error:
        raise ChannelOff(f"MOBWATCH_SMTP_URL: {error}") from None
    senders = _addresses(setup, "MOBWATCH_EMAIL_FROM")
    if len(senders) > 1:
        raise ChannelOff("MOBWATCH_EMAIL_FROM: one address, not a list")
    envelope = Envelope(senders[0], _addresses(setup, to_variable))
    return EmailChannel(server, envelope, risk_level=setup.risk_level, name=name)


def analysts(setup: ChannelSetup) -> EmailChannel:
    """The analysts' inboxes: `MOBWATCH_EMAIL_TO`."""
    return _configure(setup, "email", "MOBWATCH_EMAIL_TO")


def operators(setup: ChannelSetup) -> EmailChannel:
    """The operator's inbox: `MOBWATCH_OPERATOR_EMAIL_TO`, through the same SMTP server."""
    return _configure(setup, "email-operator", "MOBWATCH_OPERATOR_EMAIL_TO")
