"""Delivery from the store: an alert is committed before any send, each send recorded.

A channel that fails leaves the alert undelivered on that channel only; the next run
retries it. Since the store keys alerts on their fingerprint, nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from alerts.channels import Channel, DeliveryError
from indicators.store import Store


@dataclass
class DeliveryReport:
    delivered: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # channel → last error


def deliver_pending(store: Store, channels: Sequence[Channel]) -> DeliveryReport:
    report = DeliveryReport()
    for channel in channels:
        sent = 0
        for alert in store.undelivered(channel.name):
            try:
                channel.send(alert)
            except DeliveryError as error:
                store.record_delivery(alert.fingerprint, channel.name, error=str(error))
                report.failed[channel.name] = str(error)
                break  # keep order: the rest wait for the next run
            store.record_delivery(alert.fingerprint, channel.name)
            sent += 1
        report.delivered[channel.name] = sent
    return report
