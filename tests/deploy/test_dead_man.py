"""The dead man's switch on a real Prefect server: with no monitoring pass completed, the
automation fires and the operator's webhook on loopback hears it; installing it again
leaves one; the monitoring deployment runs one pass at a time."""

from __future__ import annotations

import time
from datetime import timedelta

from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.settings import PREFECT_API_URL, temporary_settings

from mobwatch.demo.server import LoopbackServer
from mobwatch.runtime.dead_man import AUTOMATION_NAME, BLOCK_NAME, install_dead_man
from mobwatch.runtime.deployments import read_deployments
from mobwatch.runtime.serve import runner_deployments
from tests.alerts.receivers import Webhook
from tests.deploy.prefect_api import PrefectServer, client


def test_the_dead_man_fires_on_a_real_server_when_no_monitoring_pass_completes(
    prefect_server: PrefectServer,
) -> None:
    with LoopbackServer() as server, temporary_settings({PREFECT_API_URL: prefect_server.api_url}):
        operator = Webhook(server, "/services/T000/B000/operator")
        environ = {"MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL": operator.url}
        # Ten seconds, the least a proactive trigger takes, stand in for three hours.
        first = install_dead_man(environ, within=timedelta(seconds=10))
        said = install_dead_man(environ, within=timedelta(seconds=10))
        assert (
            first
            == said
            == ("dead man's switch on: the operator hears when no pass completes in 10 seconds")
        )
        deadline = time.monotonic() + 120
        while not operator.accepted and time.monotonic() < deadline:
            time.sleep(0.5)
    assert operator.accepted, "the automation never fired"
    text = operator.accepted[0]["text"]
    assert text.startswith("mobwatch: the watch has stopped: No monitoring pass (mobwatch-monitor)")
    with client(prefect_server.api_url) as api:
        automations = api.post("/automations/filter", json={}).json()
        named = [a for a in automations if a["name"] == AUTOMATION_NAME]
        assert len(named) == 1  # installed twice, there is one
        assert named[0]["trigger"]["posture"] == "Proactive"
        block = api.get(f"/block_types/slug/custom-webhook/block_documents/name/{BLOCK_NAME}")
        # The webhook URL is among the block's secrets, not in its plain fields.
        assert block.json()["data"]["url"] == "{{webhook}}"
        assert operator.url not in block.text


def test_the_dead_man_is_off_without_an_operator_webhook() -> None:
    said = install_dead_man({}, within=timedelta(hours=3))
    assert said.startswith("dead man's switch off: set MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL")


def test_the_monitoring_deployment_runs_one_pass_at_a_time() -> None:
    served = {d.name: d for d in runner_deployments(read_deployments(), {})}
    monitor = served["monitor-hourly"]
    assert monitor.concurrency_limit == 1
    assert monitor.concurrency_options is not None
    assert monitor.concurrency_options.collision_strategy is ConcurrencyLimitStrategy.CANCEL_NEW
    assert served["daily-digest"].concurrency_limit is None
