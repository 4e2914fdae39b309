"""alerts.toml: the routes by severity and audience, and errors naming file and key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE, RoutingError, load_delivery_config
from mobwatch.indicators.model import Alert, Severity
from mobwatch.store.alerts import RouteSelector

REPO_ROOT = Path(__file__).resolve().parents[2]


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_ALERTS_FILE.read_text("utf-8")
    assert old in text
    path = tmp_path / "alerts.toml"
    path.write_text(text.replace(old, new), "utf-8")
    return path


def test_the_defaults_route_by_severity_and_keep_operators_apart() -> None:
    assert DEFAULT_ALERTS_FILE == REPO_ROOT / "alerts.toml"
    routing = load_delivery_config().routing
    assert routing.critical == ("console", "jsonl", "slack", "email")
    assert routing.warning == ("console", "jsonl", "slack")
    assert routing.info == ("console", "jsonl", "digest")
    assert "slack" not in routing.operator and "email" not in routing.operator
    assert routing.channels() == (
        "console",
        "jsonl",
        "slack",
        "email",
        "slack-operator",
        "email-operator",
    )
    both = frozenset(Severity)
    assert routing.selector("console") == RouteSelector(both, operator=True)
    assert routing.selector("slack") == RouteSelector(
        frozenset({Severity.CRITICAL, Severity.WARNING}), operator=False
    )
    assert routing.selector("email") == RouteSelector(frozenset({Severity.CRITICAL}), False)
    assert routing.selector("digest") == RouteSelector(frozenset({Severity.INFO}), False)
    assert routing.selector("slack-operator") == RouteSelector(frozenset(), operator=True)
    alert = Alert("source_failing", Severity.WARNING, "t", "f", date(2025, 1, 1))
    assert routing.route(alert) == routing.warning
    assert routing.route(replace(alert, audience="operator")) == routing.operator


def test_the_outbox_policy_backs_off_doubling_up_to_its_cap() -> None:
    policy = load_delivery_config().outbox
    assert [policy.retry_delay(n) for n in (1, 2)] == [1.0, 2.0]
    assert [policy.backoff(n).total_seconds() / 60 for n in range(1, 7)] == [
        5,
        10,
        20,
        40,
        60,
        60,
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'warning = ["console", "jsonl", "slack"]',
            'warning = ["slak"]',
            "routing.warning: unknown channel 'slak'",
        ),
        (
            'warning = ["console", "jsonl", "slack"]',
            'warning = "slack"',
            "routing.warning: expected a list",
        ),
        ("tries_per_run = 3", "", "outbox.tries_per_run: missing"),
        ("tries_per_run = 3", "tries_per_run = true", "outbox.tries_per_run: expected a int"),
        (
            "failed_runs = 3",
            "failed_runs = 3\nfailed_run = 4",
            "channel_failing.failed_run: unknown key",
        ),
        ("[digest]", "[digest\n", "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(RoutingError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_delivery_config(variant(tmp_path, old, new))


def test_a_missing_file_is_a_routing_error(tmp_path: Path) -> None:
    with pytest.raises(RoutingError, match="no such file"):
        load_delivery_config(tmp_path / "absent.toml")
