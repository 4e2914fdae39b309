"""A worker's fetch loop for test_shared_pacing.py, run as a process of its own.

It opens the store, builds a client paced through it (`shared`) or paced within this
process only (`local`, the control), says it is ready, waits for the start signal and then
fetches each URL its number of times, one thread per URL, as a pass's tasks do.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mobwatch.fetching.client import HttpClient
from mobwatch.fetching.pacing import Pacer, Pacing
from mobwatch.fetching.shared_pacing import SharedPacer
from mobwatch.store.store import Store


def fetch(client: HttpClient, url: str, times: int) -> None:
    for _ in range(times):
        client.get(url, conditional=False)


def main(config: dict[str, object]) -> None:
    store = Store.open(str(config["db"]))
    interval = float(str(config["interval"]))
    pacer: Pacing = SharedPacer(store, interval) if config["mode"] == "shared" else Pacer(interval)
    fetches: dict[str, int] = config["fetches"]  # type: ignore[assignment]
    with HttpClient(pacer=pacer, retries=0) as client:
        Path(str(config["ready"])).touch()
        while not Path(str(config["go"])).exists():
            time.sleep(0.001)
        with ThreadPoolExecutor(max_workers=len(fetches)) as pool:
            loops = [pool.submit(fetch, client, url, times) for url, times in fetches.items()]
            for loop in loops:
                loop.result()  # a failed fetch fails the worker
    store.close()


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
