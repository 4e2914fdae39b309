"""`mobwatch run`: one pass, recorded in Prefect when there is a Prefect API to record it on.

With an API — the one configured for Prefect, or the local server of a `mobwatch serve`
running under the same home — the pass runs as the `mobwatch-monitor` flow and shows in
Prefect's UI beside the scheduled ones. Without one, Prefect would start a temporary
server for this run alone (seconds and some 200 MB) and discard it, run record and all,
when the pass ends; the pass then runs directly (`flows/direct.py`), Prefect is not even
imported, and the output says so. `prefect=True` asks for the flow whatever the cost;
`prefect=False` for the direct pass whatever API there is. No Prefect setting is written:
a served server is used for this process only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from mobwatch.pipeline.monitor_pass import PassSummary
from mobwatch.runtime.prefect_api import PrefectApi, configured_api, served_api


def where_recorded(home: Path, prefect: bool | None) -> PrefectApi | None:
    """The API the pass is recorded on; None to run it directly."""
    if prefect is False:
        return None
    return configured_api() or served_api(home)


def run_pass(
    settings_home: Path, prefect: bool | None, out: TextIO, **parameters: Any
) -> PassSummary:
    """One monitoring pass; `parameters` are the flow's (home, sources, db, as_of...)."""
    api = where_recorded(settings_home, prefect)
    if api is None and not prefect:
        why = "--no-prefect" if prefect is False else _nothing_to_record_on(settings_home)
        print(f"mobwatch run: not recorded in Prefect ({why}); run directly", file=out)
        from mobwatch.flows.direct import direct_monitor

        return direct_monitor(**parameters)
    monitor = _flow_on(api)
    where = f"{api.url}, {api.origin}" if api else "a temporary Prefect server of this run's own"
    print(f"mobwatch run: recorded in Prefect as a mobwatch-monitor run on {where}", file=out)
    return monitor(**parameters)


def _nothing_to_record_on(home: Path) -> str:
    return (
        f"no Prefect API configured and no `mobwatch serve` running for {home}; "
        "set PREFECT_API_URL or run `mobwatch serve` to record passes, --prefect to force it"
    )


def _flow_on(api: PrefectApi | None) -> Callable[..., PassSummary]:
    """The flow, on `api` for this process when only mobwatch knows of it."""
    from mobwatch.flows.monitor import monitor  # Prefect's import: only when it records

    if api is None or not api.served:
        return monitor
    from prefect.settings import PREFECT_API_URL, temporary_settings

    def on_served(**parameters: Any) -> PassSummary:
        with temporary_settings(updates={PREFECT_API_URL: api.url}):
            return monitor(**parameters)

    return on_served
