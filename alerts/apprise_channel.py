"""Apprise: one channel for the services readers live in beyond Slack and email.

`MOBWATCH_APPRISE_URL` (analysts) and `MOBWATCH_OPERATOR_APPRISE_URL` (the operator) take
any Apprise URL: `tgram://bot-token/chat-id` (Telegram), `msteams://…`, `matrix://…`,
`discord://…`, `ntfy://…`, `json://host/path` (a generic JSON webhook), and the hundred
others Apprise knows. Why Apprise: it is a maintained library that already speaks each
service's API, so mobwatch reaches them without a client of its own per service. Alerts go
as plain text: every service renders that, and scraped text stays inert (`one_line`).

Routed, retried and recorded by the outbox like the other channels. The URL is the secret
(it holds tokens): it is kept in a `Secret`, and an error names only its scheme — "Apprise
(tgram): not delivered". Apprise's own log names the whole URL in places (one it cannot
read; its debug lines), so its logger is kept to CRITICAL: the channel's errors say what
failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import apprise

from mobwatch.alerts.channels import ChannelOff, ChannelSetup, DeliveryError
from mobwatch.alerts.grouping import AlertGroup
from mobwatch.alerts.secrets import Secret, read_secret
from mobwatch.alerts.text import one_line
from mobwatch.indicators.model import Alert


def alert_body(alert: Alert, risk_level: str) -> str:
    lines = [one_line(alert.title, 500)]
    for item in alert.evidence[:5]:
        if item.quote:
            lines.append(f"«{one_line(item.quote, 300)}»")
        if item.url:
            lines.append(one_line(item.url, 500))
    if risk_level:
        lines.append(f"Risk level now: {one_line(risk_level)}")
    lines.append(f"Fired on {alert.fired_on}.")
    return "\n".join(lines)


def group_body(group: AlertGroup, risk_level: str) -> str:
    lines = []
    for alert in group.shown:
        link = alert.evidence[0].url if alert.evidence else ""
        lines.append(f"[{alert.severity}] {alert.marker}: {one_line(alert.title, 300)}")
        if link:
            lines.append(f"  {one_line(link, 500)}")
    if group.more:
        lines.append(group.overflow_line)
    if risk_level:
        lines.append(f"Risk level now: {one_line(risk_level)}")
    return "\n".join(lines)


@dataclass
class AppriseChannel:
    url: Secret
    scheme: str
    timeout: float = 10.0
    risk_level: str = ""
    name: str = "apprise"

    def _notify(self, title: str, body: str) -> None:
        # A plugin per send: Apprise's objects keep state between notifications.
        plugin = apprise.Apprise.instantiate(self.url.reveal(), asset=_ASSET)
        if plugin is None:
            raise DeliveryError(f"Apprise ({self.scheme}): the URL is not one Apprise reads")
        plugin.socket_connect_timeout = self.timeout
        plugin.socket_read_timeout = self.timeout
        if not plugin.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT):
            raise DeliveryError(f"Apprise ({self.scheme}): not delivered")

    def send(self, alert: Alert) -> None:
        audience = " (operator)" if alert.audience == "operator" else ""
        title = f"[mobwatch {alert.severity}]{audience} {alert.marker}"
        self._notify(title, alert_body(alert, self.risk_level))

    def send_group(self, group: AlertGroup) -> None:
        self._notify(f"mobwatch: {group.headline}", group_body(group, self.risk_level))


# In memory: Apprise would otherwise keep a cache on disk under the user's home.
_ASSET = apprise.AppriseAsset(storage_mode=apprise.PersistentStoreMode.MEMORY)


def _configure(setup: ChannelSetup, name: str, variable: str, block: str) -> AppriseChannel:
    logging.getLogger("apprise").setLevel(logging.CRITICAL)
    url = read_secret(setup.environ, variable, block if setup.secret_blocks else None)
    if url is None:
        raise ChannelOff(f"set {variable} or the Prefect Secret block {block}")
    scheme = url.reveal().partition("://")[0].lower()
    if not scheme.isalnum() or apprise.Apprise.instantiate(url.reveal(), asset=_ASSET) is None:
        raise ChannelOff(f"{variable} is not an Apprise URL")
    return AppriseChannel(
        url, scheme, timeout=setup.timeout, risk_level=setup.risk_level, name=name
    )


def analysts(setup: ChannelSetup) -> AppriseChannel:
    """The analysts' Apprise URL: `MOBWATCH_APPRISE_URL`."""
    return _configure(setup, "apprise", "MOBWATCH_APPRISE_URL", "mobwatch-apprise-url")


def operators(setup: ChannelSetup) -> AppriseChannel:
    """The operator's Apprise URL: `MOBWATCH_OPERATOR_APPRISE_URL`."""
    return _configure(
        setup, "apprise-operator", "MOBWATCH_OPERATOR_APPRISE_URL", "mobwatch-operator-apprise-url"
    )
