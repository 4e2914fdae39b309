"""The email channel against a real SMTP server on loopback (aiosmtpd): plain, STARTTLS
with a login, implicit TLS; what arrives, and how failures read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.email import EmailChannel, analysts, operators
from mobwatch.indicators.model import Alert, Evidence, Severity
from tests.alerts.receivers import SmtpServer, shows_no_chained_error

PASSWORD = "pa55-w0rd-7c1e"
FROM = "mobwatch@example.org"
TO = "analyst@example.org, desk@example.org"

ALERT = Alert(
    marker="martial_law",
    severity=Severity.CRITICAL,
    title="Decree No. 756: martial law in four regions",
    fingerprint="a" * 64,
    fired_on=date(2022, 10, 19),
    evidence=(
        Evidence(
            url="http://kremlin.ru/acts/bank/48430",
            quote="Ввести военное положение на территориях …",
            source="kremlin-acts",
            title="Указ № 756",
        ),
    ),
    basis="The President can extend their term of service only if martial law is introduced.",
)


def channel(
    tmp_path: Path, server: SmtpServer, url: str, *, to_var: str = "MOBWATCH_EMAIL_TO"
) -> EmailChannel:
    environ = {"MOBWATCH_SMTP_URL": url, "MOBWATCH_EMAIL_FROM": FROM, to_var: TO}
    if server.ca_file:
        environ["MOBWATCH_SMTP_CA_FILE"] = str(server.ca_file)
    setup = ChannelSetup(home=tmp_path, environ=environ, risk_level="RED: 1 critical", timeout=5)
    return (operators if to_var == "MOBWATCH_OPERATOR_EMAIL_TO" else analysts)(setup)


def parts(server: SmtpServer) -> tuple[str, str]:
    [message] = server.mailbox.messages
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_a_plain_server_receives_a_text_and_an_html_part(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    channel(tmp_path, server, server.url()).send(ALERT)
    [message] = server.mailbox.messages
    # Folded onto a continuation line by Python's generator; unfolding keeps the space.
    assert message["Subject"].strip() == (
        "[mobwatch critical] martial_law: Decree No. 756: martial law in four regions"
    )
    assert message["From"] == FROM
    assert message["To"] == "analyst@example.org, desk@example.org"
    assert message["Message-ID"] == f"<alert.{'a' * 64}@example.org>"
    assert server.mailbox.envelopes == [(FROM, ["analyst@example.org", "desk@example.org"])]
    assert message.is_multipart() and message.get_content_type() == "multipart/alternative"
    text, html = parts(server)
    for body in (text, html):
        assert "Ввести военное положение" in body
        assert "http://kremlin.ru/acts/bank/48430" in body
        assert "martial law is introduced" in body and "RED: 1 critical" in body
    assert '<a href="http://kremlin.ru/acts/bank/48430">Указ № 756</a>' in html


# With implicit TLS aiosmtpd cannot tell the connection is encrypted, and warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_and_login(tmp_path: Path, smtp: Callable[..., SmtpServer], tls: str) -> None:
    server = smtp(tls=tls, user="mobwatch", password=PASSWORD)
    channel(tmp_path, server, server.url("mobwatch", PASSWORD)).send(ALERT)
    assert server.mailbox.logins == ["mobwatch"]
    assert len(server.mailbox.messages) == 1
    if tls == "starttls":
        assert server.mailbox.tls == [True]


def test_a_password_with_reserved_characters_is_read_percent_decoded(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp(tls="starttls", user="desk@example.org", password="p@ss:w/rd")
    channel(tmp_path, server, server.url("desk%40example.org", "p%40ss%3Aw%2Frd")).send(ALERT)
    assert server.mailbox.logins == ["desk@example.org"]


def test_a_wrong_password_is_a_delivery_error_without_the_password(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp(tls="starttls", user="mobwatch", password="another")
    with pytest.raises(DeliveryError) as caught:
        channel(tmp_path, server, server.url("mobwatch", PASSWORD)).send(ALERT)
    assert str(caught.value) == f"SMTP 127.0.0.1:{server.port}: login refused (535)"
    assert shows_no_chained_error(caught.value)
    assert server.mailbox.messages == []


def test_the_password_is_never_sent_without_tls(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()  # no STARTTLS offered
    with pytest.raises(DeliveryError, match="not sent in clear"):
        channel(tmp_path, server, server.url("mobwatch", PASSWORD)).send(ALERT)
    assert server.mailbox.messages == []


def test_an_untrusted_certificate_is_refused(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp(tls="starttls")
    environ = {"MOBWATCH_SMTP_URL": server.url(), "MOBWATCH_EMAIL_FROM": FROM}
    environ["MOBWATCH_EMAIL_TO"] = TO  # and no MOBWATCH_SMTP_CA_FILE: the system's CAs
    untrusting = analysts(ChannelSetup(home=tmp_path, environ=environ, timeout=5))
    with pytest.raises(DeliveryError, match=r"TLS failed .*certificate"):
        untrusting.send(ALERT)


def test_no_server_listening_reads_plainly(tmp_path: Path) -> None:
    from tests.alerts.receivers import free_port

    port = free_port()
    environ = {
        "MOBWATCH_SMTP_URL": f"smtp://mobwatch:{PASSWORD}@127.0.0.1:{port}",
        "MOBWATCH_EMAIL_FROM": FROM,
        "MOBWATCH_EMAIL_TO": TO,
    }
    with pytest.raises(DeliveryError) as caught:
        analysts(ChannelSetup(home=tmp_path, environ=environ, timeout=2)).send(ALERT)
    assert str(caught.value).startswith(f"SMTP 127.0.0.1:{port}: cannot connect")
    assert PASSWORD not in str(caught.value)


def test_hostile_titles_arrive_inert(tmp_path: Path, smtp: Callable[..., SmtpServer]) -> None:
    server = smtp()
    hostile = Alert(
        marker="martial_law",
        severity=Severity.CRITICAL,
        title='<script>alert("x")</script>\r\nBcc: victim@example.org\r\n\r\nforged body',
        fingerprint="b" * 64,
        fired_on=date(2024, 1, 1),
        evidence=(
            Evidence(url="javascript:alert(1)", quote="<img src=x onerror=alert(1)>"),
            Evidence(url='http://example.org/"><script>', quote="ok"),
        ),
    )
    channel(tmp_path, server, server.url()).send(hostile)
    [message] = server.mailbox.messages
    assert message["Bcc"] is None and message["Cc"] is None
    assert server.mailbox.envelopes[0][1] == ["analyst@example.org", "desk@example.org"]
    subject = message["Subject"]
    assert "\r" not in subject and "\n" not in subject
    assert subject.endswith("Bcc: victim@example.org forged body")
    text, html = parts(server)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "javascript:" not in html and "javascript:" not in text
    assert 'href="http://example.org/%22%3E%3Cscript%3E"' in html
    assert '<script>alert("x")</script>' in text  # plain text shows it as it was


def test_operator_mail_goes_to_the_operator_address(
    tmp_path: Path, smtp: Callable[..., SmtpServer]
) -> None:
    server = smtp()
    sent = channel(tmp_path, server, server.url(), to_var="MOBWATCH_OPERATOR_EMAIL_TO")
    assert sent.name == "email-operator"
    sent.send(ALERT)
    assert server.mailbox.envelopes[0][1] == ["analyst@example.org", "desk@example.org"]


@pytest.mark.parametrize(
    ("environ", "reason"),
    [
        ({}, "set MOBWATCH_SMTP_URL"),
        ({"MOBWATCH_SMTP_URL": f"http://u:{PASSWORD}@h"}, "MOBWATCH_SMTP_URL: expected smtp"),
        ({"MOBWATCH_SMTP_URL": f"smtp://u:{PASSWORD}@h:port"}, "port is not a number"),
        ({"MOBWATCH_SMTP_URL": "smtp://h"}, "set MOBWATCH_EMAIL_FROM"),
        (
            {"MOBWATCH_SMTP_URL": "smtp://h", "MOBWATCH_EMAIL_FROM": FROM},
            "set MOBWATCH_EMAIL_TO",
        ),
        (
            {
                "MOBWATCH_SMTP_URL": "smtp://h",
                "MOBWATCH_EMAIL_FROM": FROM,
                "MOBWATCH_EMAIL_TO": "a@b\r\nBcc: c@d",
            },
            "not a plain address",
        ),
    ],
)
def test_an_unconfigured_channel_says_what_to_set(
    tmp_path: Path, environ: dict[str, str], reason: str
) -> None:
    with pytest.raises(ChannelOff, match=reason) as caught:
        analysts(ChannelSetup(home=tmp_path, environ=environ))
    assert PASSWORD not in str(caught.value)
