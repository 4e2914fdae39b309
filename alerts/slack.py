"""Slack: an incoming webhook, posted one Block Kit message per alert, per group of alerts
(`grouping.py`) and per digest.

Why not Apprise or Prefect's `SlackWebhook` block: both take a text body and shape the
message themselves, while an alert needs an exact Block Kit layout (header, quotes, links,
basis, risk level) and its own escaping of scraped text, field by field, to keep
`<!channel>` and `<url|label>` inert (`slack_blocks.py`). The post is one httpx request.

The webhook URL is the secret: it is held in a `Secret`, and no error message names it —
a failure reads "Slack webhook: HTTP 500" or "Slack webhook: timed out".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.digest import Digest
from mobwatch.alerts.grouping import AlertGroup
from mobwatch.alerts.secrets import Secret, read_secret
from mobwatch.alerts.slack_blocks import alert_message, digest_message, group_message
from mobwatch.fetching.client import USER_AGENT
from mobwatch.fetching.transport import LazyTlsTransport
from mobwatch.indicators.model import Alert

# Slack answers errors with a short code (`invalid_payload`, `no_service`): worth showing.
_SLACK_CODE = re.compile(rb"[a-z_]{1,40}")


@dataclass(frozen=True)
class SlackWebhook:
    url: Secret
    timeout: float = 10.0

    def post(self, payload: dict[str, Any]) -> None:
        request = httpx.Request(
            "POST",
            self.url.reveal(),
            json=payload,
            headers={"User-Agent": USER_AGENT},
            extensions={"timeout": httpx.Timeout(self.timeout).as_dict()},
        )
        # A transport, not httpx.Client: the client logs every request's full URL at INFO.
        try:
            with LazyTlsTransport() as transport:
                response = transport.handle_request(request)
                try:
                    body = response.read()
                finally:
                    response.close()
        # `from None`: the httpx error holds the request, and the request the URL.
        except httpx.TimeoutException:
            raise DeliveryError("Slack webhook: timed out") from None
        except httpx.HTTPError as error:
            raise DeliveryError(f"Slack webhook: {type(error).__name__}") from None
        if not 200 <= response.status_code < 300:
            code = body.strip() if _SLACK_CODE.fullmatch(body.strip()) else b""
            detail = f" ({code.decode()})" if code else ""
            raise DeliveryError(f"Slack webhook: HTTP {response.status_code}{detail}")


@dataclass
class SlackChannel:
    webhook: SlackWebhook
    risk_level: str = ""
    name: str = "slack"

    def send(self, alert: Alert) -> None:
        self.webhook.post(alert_message(alert, self.risk_level))

    def send_group(self, group: AlertGroup) -> None:
        self.webhook.post(group_message(group, self.risk_level))

    def send_digest(self, digest: Digest) -> None:
        self.webhook.post(digest_message(digest))


def _configure(setup: ChannelSetup, name: str, variable: str, block: str) -> SlackChannel:
    url = read_secret(setup.environ, variable, block if setup.secret_blocks else None)
    if url is None:
        raise ChannelOff(f"set {variable} or the Prefect Secret block {block}")
    if not url.reveal().startswith(("https://", "http://")):
        raise ChannelOff(f"{variable} is not an http(s) URL")
    webhook = SlackWebhook(url, timeout=setup.timeout)
    return SlackChannel(webhook, risk_level=setup.risk_level, name=name)


def analysts(setup: ChannelSetup) -> SlackChannel:
    """The analysts' channel: `MOBWATCH_SLACK_WEBHOOK_URL`."""
    return _configure(setup, "slack", "MOBWATCH_SLACK_WEBHOOK_URL", "mobwatch-slack-webhook-url")


def operators(setup: ChannelSetup) -> SlackChannel:
    """The operator's channel: `MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL`."""
    return _configure(
        setup,
        "slack-operator",
        "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL",
        "mobwatch-operator-slack-webhook-url",
    )
