"""The dead man's switch: a Prefect automation that tells the operator when the watch has
stopped.

Every alert mobwatch sends comes from a pass; when no pass runs (the worker is down, the
server lost its schedule, a pass hangs), nothing says so. This automation lives in the
Prefect server, outside the passes: a proactive trigger expects a completed run of the
monitoring flow within `hours` (alerts.toml, `[dead_man]`, default 3) and, when none
comes, posts to the operator's Slack webhook (`MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL`, or
its Secret block) through a Prefect webhook notification block.

`mobwatch serve` installs it on the server it serves on, and `prefect deploy` through the
build step in prefect.yaml; installing again replaces it, so there is always one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta

from prefect.automations import Automation, EventTrigger, Posture, SendNotification
from prefect.blocks.notifications import CustomWebhookNotificationBlock
from prefect.client.orchestration import get_client

from mobwatch.alerts.routing import load_delivery_config
from mobwatch.alerts.secrets import read_secret

MONITOR_FLOW = "mobwatch-monitor"  # the monitoring flow's name (flows/monitor.py)
AUTOMATION_NAME = "mobwatch: no monitoring pass completed"
BLOCK_NAME = "mobwatch-operator-dead-man"
WEBHOOK_VARIABLE = "MOBWATCH_OPERATOR_SLACK_WEBHOOK_URL"
WEBHOOK_BLOCK = "mobwatch-operator-slack-webhook-url"


def dead_man_trigger(within: timedelta) -> EventTrigger:
    """Fires when no run of the monitoring flow has completed for `within`."""
    return EventTrigger(
        posture=Posture.Proactive,
        expect={"prefect.flow-run.Completed"},
        match={"prefect.resource.id": "prefect.flow-run.*"},
        match_related={"prefect.resource.role": "flow", "prefect.resource.name": MONITOR_FLOW},
        threshold=1,
        within=within,
    )


def install_dead_man(environ: Mapping[str, str], *, within: timedelta) -> str:
    """Create (or replace) the automation on the configured Prefect API; what was done."""
    url = read_secret(environ, WEBHOOK_VARIABLE, WEBHOOK_BLOCK)
    if url is None:
        return f"dead man's switch off: set {WEBHOOK_VARIABLE} for the operator's alarm"
    block = CustomWebhookNotificationBlock(
        name="mobwatch operator",
        # The URL is the secret: kept among the block's secrets, filled in at sending.
        url="{{webhook}}",
        secrets={"webhook": url.reveal()},
        # Slack's incoming webhooks take {"text": …}; so do most chat webhooks.
        json_data={"text": "{{subject}}: {{body}}"},
    )
    block_id = block.save(BLOCK_NAME, overwrite=True)
    span = _span(within)
    automation = Automation(
        name=AUTOMATION_NAME,
        description="mobwatch's dead man's switch: the watch itself has stopped",
        trigger=dead_man_trigger(within),
        actions=[
            SendNotification(
                block_document_id=block_id,
                subject="mobwatch: the watch has stopped",
                body=(
                    f"No monitoring pass ({MONITOR_FLOW}) has completed in the last "
                    f"{span}: check the worker, the schedule and the last runs."
                ),
            )
        ],
    )
    with get_client(sync_client=True) as client:
        for old in client.read_automations_by_name(name=AUTOMATION_NAME):
            client.delete_automation(old.id)
    automation.create()
    return f"dead man's switch on: the operator hears when no pass completes in {span}"


def _span(within: timedelta) -> str:
    seconds = within.total_seconds()
    if seconds < 3600:
        return f"{seconds:g} seconds"
    return f"{seconds / 3600:g} hours"


def install_step() -> dict[str, str]:
    """prefect.yaml's build step: run by `prefect deploy` on the API it deploys to."""
    hours = load_delivery_config().dead_man_hours
    return {"dead_man": install_dead_man(os.environ, within=timedelta(hours=hours))}
