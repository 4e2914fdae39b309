"""Delivery channels by name: the names `alerts.toml` routes alerts to.

Like the parser kinds, a channel is registered here by its name; adding one touches its
own module and one line below. A channel that is not configured raises `ChannelOff` with
what to set; the run then lists it as off rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from mobwatch.alerts import apprise_channel, email, slack
from mobwatch.alerts.channels import Channel, ChannelOff, ChannelSetup, console, jsonl

Configure = Callable[[ChannelSetup], Channel]

CHANNELS: Mapping[str, Configure] = MappingProxyType(
    {
        "console": console,
        "jsonl": jsonl,
        "slack": slack.analysts,
        "email": email.analysts,
        "slack-operator": slack.operators,
        "email-operator": email.operators,
        "apprise": apprise_channel.analysts,
        "apprise-operator": apprise_channel.operators,
    }
)


@dataclass
class Channels:
    on: dict[str, Channel] = field(default_factory=dict)
    off: dict[str, str] = field(default_factory=dict)  # name → what to set


def build_channels(names: Iterable[str], setup: ChannelSetup) -> Channels:
    """The named channels, each on (configured) or off (with the reason)."""
    built = Channels()
    for name in dict.fromkeys(names):
        try:
            built.on[name] = CHANNELS[name](setup)
        except ChannelOff as off:
            built.off[name] = str(off)
    return built
