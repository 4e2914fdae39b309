"""Messages a burst of alerts costs each channel: Slack posts and emails received.

A pass raising `--warnings` warning and `--critical` critical alerts is delivered as the
monitoring flow delivers it: half the burst lands mid-pass, the rest at the pass's end; then
the pass is run again. A Slack webhook and an SMTP server on loopback count what arrives.
The routes are the project's, with warnings emailed too, so both channels see the burst.

    .venv/bin/python bench/alert_burst.py [--warnings 20] [--critical 2]

Run from an older checkout, the same script measures the code before grouping (the flow's
mid-pass delivery there takes no `flush`).
"""

from __future__ import annotations

import argparse
import inspect
import io
import json
import os
import socket
import tempfile
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from mobwatch.alerts.routing import DEFAULT_ALERTS_FILE
from mobwatch.demo.server import LoopbackServer, Reply, Request
from mobwatch.indicators.model import Alert, Evidence, Severity
from mobwatch.pipeline import stages
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store

AS_OF = date(2026, 11, 20)


class Mailbox:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def burst(warnings: int, critical: int) -> list[Alert]:
    severities = [Severity.CRITICAL] * critical + [Severity.WARNING] * warnings
    return [
        Alert(
            marker="martial_law" if severity is Severity.CRITICAL else "regional_bonus_record",
            severity=severity,
            title=f"burst alert {n}",
            fingerprint=f"{n:064x}",
            fired_on=AS_OF,
            evidence=(Evidence(url=f"http://example.org/{n}", quote=f"quote {n}"),),
        )
        for n, severity in enumerate(severities, 1)
    ]


def deliver(store: Store, settings: Settings, *, last: bool) -> None:
    options: dict[str, Any] = {"as_of": AS_OF, "risk_level": "", "now": datetime.now(UTC)}
    if "flush" in inspect.signature(stages.deliver).parameters:
        options["flush"] = last
    stages.deliver(store, settings, **options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warnings", type=int, default=20)
    parser.add_argument("--critical", type=int, default=2)
    args = parser.parse_args()
    posts: list[int] = []
    mailbox = Mailbox()
    with tempfile.TemporaryDirectory() as home, LoopbackServer() as server:

        def webhook(request: Request, raw: object) -> Reply:
            posts.append(len(json.loads(request.body)["blocks"]))
            return Reply(200, b"ok")

        server.add_handler("/hook", webhook)
        with socket.socket() as probe:  # aiosmtpd checks the port it is given: a real one
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
        smtp.start()
        alerts_file = Path(home) / "alerts.toml"
        alerts_file.write_text(
            DEFAULT_ALERTS_FILE.read_text("utf-8").replace(
                'warning = ["console", "jsonl", "slack"]',
                'warning = ["console", "jsonl", "slack", "email"]',
            ),
            "utf-8",
        )
        os.environ.update(
            MOBWATCH_SLACK_WEBHOOK_URL=server.url + "/hook",
            MOBWATCH_SMTP_URL=f"smtp://127.0.0.1:{port}",
            MOBWATCH_EMAIL_FROM="mobwatch@example.org",
            MOBWATCH_EMAIL_TO="analyst@example.org",
        )
        settings = Settings.resolve(home=home, alerts=alerts_file)
        store = Store.open(settings.db_url)
        alerts = burst(args.warnings, args.critical)
        half = len(alerts[::2])
        # The console channel's copy of each alert is not what is measured.
        try:
            with redirect_stdout(io.StringIO()):
                # The flow's rhythm: alerts of the sources landed first, then the rest.
                for alert in alerts[::2]:
                    store.record_alert(alert)
                deliver(store, settings, last=False)
                for alert in alerts[1::2]:
                    store.record_alert(alert)
                deliver(store, settings, last=True)
                first = (len(posts), mailbox.count)
                deliver(store, settings, last=True)  # the rerun
                rerun = (len(posts) - first[0], mailbox.count - first[1])
        finally:
            store.close()
            smtp.stop()
    print(f"burst: {args.warnings} warnings, {args.critical} critical ({half} mid-pass)")
    print(f"slack messages: {first[0]}   emails: {first[1]}")
    print(f"rerun: slack {rerun[0]}, email {rerun[1]}")


if __name__ == "__main__":
    main()
