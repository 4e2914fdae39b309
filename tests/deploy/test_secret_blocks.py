"""A team keeps its Slack and SMTP secrets on its Prefect server, as Secret blocks every
worker reads; a variable in a worker's own environment still comes first."""

from __future__ import annotations

from pathlib import Path

from prefect.blocks.system import Secret as SecretBlock
from prefect.settings import PREFECT_API_URL, temporary_settings

from mobwatch.alerts.channels import ChannelSetup
from mobwatch.alerts.secrets import read_secret
from mobwatch.alerts.slack import analysts
from mobwatch.cli.alerts_commands import delivery_test_alert
from mobwatch.demo.server import LoopbackServer
from tests.alerts.receivers import Webhook
from tests.deploy.prefect_api import PrefectServer

BLOCK = "mobwatch-slack-webhook-url"
VARIABLE = "MOBWATCH_SLACK_WEBHOOK_URL"


def test_a_secret_block_on_the_server_configures_the_channel_unless_the_variable_is_set(
    tmp_path: Path, prefect_server: PrefectServer
) -> None:
    with (
        LoopbackServer() as hooks,
        temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}),
    ):
        from_block = Webhook(hooks, "/services/T0/B0/from-block")
        SecretBlock(value=from_block.url).save(BLOCK, overwrite=True)
        try:
            found = read_secret({}, VARIABLE, BLOCK)
            assert found is not None and found.reveal() == from_block.url
            analysts(ChannelSetup(home=tmp_path, environ={})).send(delivery_test_alert("slack"))
            assert len(from_block.accepted) == 1

            from_env = read_secret({VARIABLE: "https://hooks.example/from-env"}, VARIABLE, BLOCK)
            assert from_env is not None and from_env.reveal() == "https://hooks.example/from-env"
        finally:
            # The other tests' runs share this server: they must find no Slack configured.
            SecretBlock.delete(BLOCK)
