"""An httpx transport that sets up TLS only when an https URL is first requested.

Loading the CA store costs about 30 ms, a third of a warm pass over plain-http sources
(the official Russian hosts answer http:// more reliably than https://).
"""

from __future__ import annotations

import threading

import httpx


class LazyTlsTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        # verify=False only skips loading certificates: plain http never uses TLS.
        self._plain = httpx.HTTPTransport(verify=False)
        self._secure: httpx.HTTPTransport | None = None
        self._lock = threading.Lock()

    def _tls(self) -> httpx.HTTPTransport:
        with self._lock:
            if self._secure is None:
                self._secure = httpx.HTTPTransport()
            return self._secure

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._tls() if request.url.scheme == "https" else self._plain
        return transport.handle_request(request)

    def close(self) -> None:
        self._plain.close()
        if self._secure is not None:
            self._secure.close()
