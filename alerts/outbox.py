"""Delivery from the store: an alert is committed before any send, each send recorded.

Each channel takes the alerts its route names (`alerts.toml`), oldest first. A send that
fails is tried again within the run (`tries_per_run`, waiting 1 s, 2 s, …); if it still
fails, it is recorded with its error and held back for a growing while (`backoff_minutes`,
doubling up to `max_backoff_minutes`), and the channel stops for this run: the rest wait
in order. Since the store keys alerts on their fingerprint and records each delivery,
nothing delivered is sent again, across runs and restarts.

Delivery is at least once, not exactly once, at one edge: a receiver that accepted a
message but whose answer never arrived (a timeout after the fact) gets it again.

A channel that keeps failing raises one `channel_failing` operator alert per failure
streak, delivered in the same run to the operator's channels that are working.

Alerts of one route go out together (`grouping.py`): one message carries a group, and its
alerts are recorded as delivered together, in one transaction, once the message got
through. Alerts held back by a silence or an inhibition (`holding.py`) are recorded as
done, with their reason, unsent.

Workers sharing a store drain a channel one at a time (`Store.delivery_lock`): the second
waits, then finds the first one's alerts delivered, so two workers' passes send nothing
twice. The lock goes with a killed worker, so a rerun after a kill -9 does not wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from mobwatch.alerts.channels import Channel, DeliveryError, DigestChannel
from mobwatch.alerts.digest import DIGEST, Digest
from mobwatch.alerts.grouping import AlertGroup, GroupChannel, plan_messages
from mobwatch.alerts.holding import held_back
from mobwatch.alerts.routing import DeliveryConfig, OutboxPolicy
from mobwatch.alerts.states import follow_states
from mobwatch.indicators.model import Alert
from mobwatch.indicators.rules.markers.operator import (
    CHANNEL_FAILING,
    channel_failing,
    channel_state_key,
)
from mobwatch.store.alerts import RouteSelector
from mobwatch.store.health import ChannelHealth
from mobwatch.store.store import Store

Sleep = Callable[[float], None]


@dataclass
class DeliveryReport:
    delivered: dict[str, int] = field(default_factory=dict)  # alerts, per channel
    messages: dict[str, int] = field(default_factory=dict)  # messages that carried them
    held: dict[str, int] = field(default_factory=dict)  # silenced or inhibited, not sent
    failed: dict[str, str] = field(default_factory=dict)  # channel → last error
    off: dict[str, str] = field(default_factory=dict)  # channel → what to set
    raised: list[Alert] = field(default_factory=list)  # channel_failing alerts of this run


def attempt(send: Callable[[], None], policy: OutboxPolicy, sleep: Sleep) -> str | None:
    """Try `send` up to `tries_per_run` times; None when it got through, else the last error."""
    error = ""
    for tries in range(policy.tries_per_run):
        if tries:
            sleep(policy.retry_delay(tries))
        try:
            send()
        except DeliveryError as failure:
            error = str(failure)
        else:
            return None
    return error


def deliver_pending(
    store: Store,
    channels: Sequence[Channel],
    config: DeliveryConfig | None = None,
    *,
    off: Mapping[str, str] | None = None,
    now: datetime | None = None,
    sleep: Sleep = time.sleep,
    flush: bool = True,
) -> DeliveryReport:
    """Send what each channel has pending. Without `config`: every alert to every channel,
    one message each, one try a run, no backoff and no `channel_failing` (the plain
    outbox). Without `flush`, grouped alerts within their group window wait."""
    moment = now or datetime.now(UTC)
    report = DeliveryReport(off=dict(off or {}))
    health = {}
    for channel in channels:
        tried = _drain(store, channel, config, moment, sleep, report, flush)
        if tried is not None:
            health[channel.name] = tried
    if config is None:
        return report
    report.raised = _raise_channel_failing(store, health, config, moment)
    if report.raised:
        for channel in channels:
            if channel.name not in report.failed:
                _drain(store, channel, config, moment, sleep, report, flush=True)
    return report


def _selector(config: DeliveryConfig | None, channel: str) -> RouteSelector:
    return config.routing.selector(channel) if config else RouteSelector()


def _drain(
    store: Store,
    channel: Channel,
    config: DeliveryConfig | None,
    moment: datetime,
    sleep: Sleep,
    report: DeliveryReport,
    flush: bool,
) -> ChannelHealth | None:
    """Send the channel's due alerts in order; its health when it tried any."""
    # The due alerts are read under the lock: after another worker's drain, not before it.
    with store.delivery_lock(channel.name):
        return _send_due(store, channel, config, moment, sleep, report, flush)


def _send_due(
    store: Store,
    channel: Channel,
    config: DeliveryConfig | None,
    moment: datetime,
    sleep: Sleep,
    report: DeliveryReport,
    flush: bool,
) -> ChannelHealth | None:
    policy = config.outbox if config else OutboxPolicy()
    due = store.undelivered(channel.name, _selector(config, channel.name), due_at=moment)
    held = held_back(store, due, config.inhibit if config else (), now=moment)
    for fingerprint in held:
        store.record_delivery(fingerprint, channel.name, at=moment)
    if held:
        _add(report.held, channel.name, len(held))
    messages = _messages(
        [a for a in due if a.fingerprint not in held], channel, config, moment, flush
    )
    sent = 0
    for group in messages:
        error = attempt(_sender(channel, group), policy, sleep)
        if error is None:
            store.record_deliveries([a.fingerprint for a in group.alerts], channel.name, at=moment)
            sent += len(group.alerts)
            _add(report.messages, channel.name, 1)
            continue
        for alert in group.alerts:
            failed_runs = store.record_delivery(alert.fingerprint, channel.name, error, at=moment)
            if policy.backoff_minutes:
                store.defer(alert.fingerprint, channel.name, moment + policy.backoff(failed_runs))
        report.failed[channel.name] = error
        break  # the channel is probably down: the rest wait, in order
    _add(report.delivered, channel.name, sent)
    if not messages:
        return None
    return store.record_channel_run(channel.name, error=report.failed.get(channel.name), at=moment)


def _add(counts: dict[str, int], name: str, count: int) -> None:
    counts[name] = counts.get(name, 0) + count


def _messages(
    due: Sequence[Alert],
    channel: Channel,
    config: DeliveryConfig | None,
    moment: datetime,
    flush: bool,
) -> list[AlertGroup]:
    """The messages to send: groups where the channel takes them, else one per alert."""
    if config is None or not isinstance(channel, GroupChannel):
        return [AlertGroup((alert,), 1) for alert in due]
    return plan_messages(due, config.grouping, now=moment, flush=flush)


def _sender(channel: Channel, group: AlertGroup) -> Callable[[], None]:
    if len(group.alerts) == 1 or not isinstance(channel, GroupChannel):
        return partial(channel.send, group.alerts[0])
    return partial(channel.send_group, group)


def _raise_channel_failing(
    store: Store, health: Mapping[str, ChannelHealth], config: DeliveryConfig, moment: datetime
) -> list[Alert]:
    """`channel_failing` for the channels failing long enough, repeated while they fail,
    resolved when they work again (`states.py`)."""
    policy = config.channel_failing
    current = []
    for name, state in health.items():
        if not state.consecutive_failures:
            continue
        waiting = store.undelivered(name, config.routing.selector(name))
        oldest = min((a.created_at for a in waiting if a.created_at), default=moment)
        alert = channel_failing(
            state,
            waiting=len(waiting),
            oldest=oldest,
            failed_runs=policy.failed_runs,
            waited=timedelta(minutes=policy.undelivered_minutes),
            now=moment,
        )
        if alert is not None:
            current.append(alert)
    return follow_states(
        store,
        current,
        marker=CHANNEL_FAILING.id,
        streaks={name: channel_state_key(state) for name, state in health.items()},
        repeat=timedelta(hours=config.repeat_hours),
        now=moment,
    )


@dataclass
class DigestReport:
    delivered: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    off: dict[str, str] = field(default_factory=dict)


def deliver_digest(
    store: Store,
    digest: Digest,
    channels: Sequence[Channel],
    policy: OutboxPolicy,
    *,
    off: Mapping[str, str] | None = None,
    now: datetime | None = None,
    sleep: Sleep = time.sleep,
) -> DigestReport:
    """Send the digest to each channel; its alerts count as delivered when all took it.

    When a channel failed, the alerts stay pending and appear in the next digest too.
    """
    report = DigestReport(off=dict(off or {}))
    for channel in channels:
        if not isinstance(channel, DigestChannel):
            report.failed[channel.name] = "this channel does not take the digest"
            continue
        error = attempt(partial(channel.send_digest, digest), policy, sleep)
        if error is None:
            report.delivered.append(channel.name)
        else:
            report.failed[channel.name] = error
    failure = "; ".join(f"{name}: {error}" for name, error in report.failed.items()) or None
    for alert in digest.alerts:
        store.record_delivery(alert.fingerprint, DIGEST, failure, at=now)
    return report
