"""A secret prints masked, and comes from the environment before any Prefect block."""

from __future__ import annotations

from mobwatch.alerts.secrets import Secret, read_secret


def test_a_secret_prints_masked_everywhere() -> None:
    secret = Secret("https://hooks.slack.com/services/T0/B0/xyz")
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", repr([secret])):
        assert "xyz" not in shown and "********" in shown
    assert secret.reveal().endswith("/xyz")


def test_the_environment_comes_first_and_blank_is_absent() -> None:
    environ = {"MOBWATCH_SLACK_WEBHOOK_URL": " https://hooks/x "}
    found = read_secret(environ, "MOBWATCH_SLACK_WEBHOOK_URL", None)
    assert found is not None and found.reveal() == "https://hooks/x"
    assert (
        read_secret({"MOBWATCH_SLACK_WEBHOOK_URL": "  "}, "MOBWATCH_SLACK_WEBHOOK_URL", None)
        is None
    )
