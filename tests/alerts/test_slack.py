"""The Slack channel against a real webhook receiver on loopback: the Block Kit payload,
inert scraped text, and failures that never name the webhook URL."""

from __future__ import annotations

import json
import re
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.secrets import Secret
from mobwatch.alerts.slack import SlackChannel, SlackWebhook, analysts, operators
from mobwatch.indicators.model import Alert, Evidence, Severity
from tests.alerts.receivers import Webhook, shows_no_chained_error

ALERT = Alert(
    marker="force_size_increase",
    severity=Severity.CRITICAL,
    title="Decree No. 704: the Armed Forces' servicemen rise to 1,500,000 (+13.6 %)",
    fingerprint="c" * 64,
    fired_on=date(2024, 9, 16),
    evidence=(
        Evidence(
            url="http://publication.pravo.gov.ru/document/0001202409160001",
            quote="установить штатную численность … 1 500 000 военнослужащих",
            source="pravo-president",
            title="Указ Президента Российской Федерации от 16.09.2024 № 704",
        ),
    ),
    basis="on 16 September 2024, Putin signed a decree on increasing the Armed Forces",
)
BLOCK_TYPES = {"header", "section", "context"}


def slack(webhook: Webhook, timeout: float = 5.0) -> SlackChannel:
    return SlackChannel(SlackWebhook(Secret(webhook.url), timeout), risk_level="RED: 1 critical")


def mrkdwn_texts(payload: dict[str, Any]) -> list[str]:
    texts = [payload["text"]]
    for block in payload["blocks"]:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        if block["type"] == "context":
            texts += [element["text"] for element in block["elements"]]
    return texts


def test_the_message_is_block_kit_with_every_field(webhook: Webhook) -> None:
    slack(webhook).send(ALERT)
    [request] = webhook.posts
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    [payload] = webhook.accepted
    assert json.loads(request.body) == payload
    blocks = payload["blocks"]
    assert {block["type"] for block in blocks} <= BLOCK_TYPES and len(blocks) <= 50
    header = blocks[0]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert header["text"]["text"] == "CRITICAL · force_size_increase"
    assert webhook.fingerprints() == ["c" * 64]
    text = "\n".join(mrkdwn_texts(payload))
    assert "*Decree No. 704: the Armed Forces' servicemen rise to 1,500,000 (+13.6 %)*" in text
    assert "> «установить штатную численность … 1 500 000 военнослужащих»" in text
    assert (
        "<http://publication.pravo.gov.ru/document/0001202409160001|"
        "Указ Президента Российской Федерации от 16.09.2024 № 704>"
    ) in text
    assert "*Basis in the report:* _on 16 September 2024, Putin signed" in text
    assert "*Risk level now:* RED: 1 critical" in text and "fired on 2024-09-16" in text
    assert payload["text"].startswith("[CRITICAL] force_size_increase: Decree No. 704")
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert len(header["text"]["text"]) <= 150


def test_mentions_and_links_in_scraped_text_arrive_inert(webhook: Webhook) -> None:
    hostile = Alert(
        marker="martial_law",
        severity=Severity.WARNING,
        title="<!channel> <@U1> see <http://evil.example|click> & <!here|here>",
        fingerprint="d" * 64,
        fired_on=date(2024, 1, 1),
        evidence=(
            Evidence(url="javascript:alert(1)", quote="<!everyone> <#C123>", title="js"),
            Evidence(url="ftp://files.example/x", quote="ftp", title=""),
            Evidence(url="http://ok.example/a|b>c", quote="", title="<http://evil|x>"),
        ),
        basis="<@U2>",
    )
    slack(webhook).send(hostile)
    [payload] = webhook.accepted
    texts = mrkdwn_texts(payload)
    joined = "\n".join(texts)
    assert "&lt;!channel&gt; &lt;@U1&gt; see &lt;http://evil.example|click&gt; &amp;" in joined
    assert "&lt;!everyone&gt; &lt;#C123&gt;" in joined and "&lt;@U2&gt;" in joined
    # The only `<…>` left is the one real link, with its `|` and `>` percent-encoded.
    assert re.findall(r"<[^>]*>", joined) == ["<http://ok.example/a%7Cb%3Ec|&lt;http://evil|x&gt;>"]
    assert "javascript:" not in joined and "ftp://" not in joined


@pytest.mark.parametrize(
    ("failing", "reason"),
    [
        (500, "Slack webhook: HTTP 500"),
        (404, "Slack webhook: HTTP 404"),
        ("hang", "Slack webhook: timed out"),
    ],
)
def test_failures_read_plainly_and_never_name_the_url(
    webhook: Webhook, failing: int | str, reason: str
) -> None:
    webhook.failing = failing
    webhook.hang_seconds = 0.5
    with pytest.raises(DeliveryError) as caught:
        slack(webhook, timeout=0.2).send(ALERT)
    assert str(caught.value) == reason
    assert "T000" not in str(caught.value) and "/services/" not in str(caught.value)
    assert shows_no_chained_error(caught.value)
    assert webhook.accepted == []


def test_slack_error_codes_are_shown_and_other_bodies_are_not(webhook: Webhook) -> None:
    from mobwatch.demo.server import Reply

    webhook.server.add_handler("/code", lambda request, raw: Reply(400, b"invalid_blocks"))
    webhook.server.add_handler("/echo", lambda request, raw: Reply(400, request.path.encode()))
    with pytest.raises(DeliveryError, match=r"^Slack webhook: HTTP 400 \(invalid_blocks\)$"):
        SlackWebhook(Secret(webhook.server.url + "/code")).post({"text": "x"})
    with pytest.raises(DeliveryError, match=r"^Slack webhook: HTTP 400$"):
        SlackWebhook(Secret(webhook.server.url + "/echo")).post({"text": "x"})


def test_a_receiver_that_is_not_there_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryError, match=r"^Slack webhook: ConnectError$"):
        SlackWebhook(Secret(f"http://127.0.0.1:{port}/services/T000/B000/x")).post({})


def test_configuration_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "MOBWATCH_SLACK_WEBHOOK_URL": "http://127.0.0.1:9/services/analysts",
        "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL": "http://127.0.0.1:9/services/operator",
    }
    setup = ChannelSetup(home=tmp_path, environ=environ, risk_level="GREEN", timeout=3)
    channel = analysts(setup)
    assert channel.name == "slack" and channel.webhook.timeout == 3
    assert channel.webhook.url.reveal() == environ["MOBWATCH_SLACK_WEBHOOK_URL"]
    assert "services" not in repr(channel)  # the secret prints masked
    assert operators(setup).name == "slack-operator"
    with pytest.raises(ChannelOff, match="set MOBWATCH_SLACK_WEBHOOK_URL"):
        analysts(ChannelSetup(home=tmp_path, environ={}))
    with pytest.raises(ChannelOff, match="not an http"):
        analysts(ChannelSetup(home=tmp_path, environ={"MOBWATCH_SLACK_WEBHOOK_URL": "hooks"}))
