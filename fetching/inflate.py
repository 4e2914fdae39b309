"""Content-Encoding undone in bounded steps, so a compressed body cannot outgrow the size cap.

httpx inflates each network read whole: 64 KiB of a gzip bomb becomes some 64 MiB in one
piece, in memory before the client's size cap can see it. `decoded_chunks` reads the raw
bytes and inflates them at most `STEP` bytes at a time, so what the cap holds back is
never more than the cap plus one step.

Only the codings the client asks for (`ACCEPTED`) are understood; a server sending another
gives an undecodable body rather than bytes no parser can read.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import httpx

ACCEPTED = "gzip, deflate"  # the client's Accept-Encoding
STEP = 64 * 1024
_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


def decoded_chunks(response: httpx.Response, step: int = STEP) -> Iterator[bytes]:
    """The response body with its Content-Encoding undone, in pieces of at most `step` bytes."""
    header = response.headers.get("content-encoding", "")
    codings = [coding.strip().lower() for coding in header.split(",") if coding.strip()]
    chunks: Iterable[bytes] = response.iter_raw()
    # Codings are listed in the order they were applied: undo the last one first.
    for coding in reversed(codings):
        chunks = _inflate(chunks, coding, step)
    return iter(chunks)


def _inflate(chunks: Iterable[bytes], coding: str, step: int) -> Iterator[bytes]:
    if coding == "identity":
        yield from chunks
        return
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise httpx.DecodingError(f"unsupported content encoding: {coding!r}")
    inflater = None
    for chunk in chunks:
        if not chunk:
            continue
        if inflater is None:
            inflater = zlib.decompressobj(_GZIP if coding != "deflate" else _deflate_kind(chunk))
        data = chunk
        while True:
            try:
                piece = inflater.decompress(data, step)
            except zlib.error as error:
                raise httpx.DecodingError(f"{coding}: {error}") from error
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            # A full piece may leave output pending inside zlib even with no input left.
            if not data and len(piece) < step:
                break
    if inflater is not None and (rest := inflater.flush()):
        yield rest


def _deflate_kind(first: bytes) -> int:
    """`deflate` is meant to be zlib-wrapped, but some servers send raw deflate."""
    if len(first) >= 2 and first[0] & 0x0F == 8 and int.from_bytes(first[:2], "big") % 31 == 0:
        return _ZLIB
    return _RAW_DEFLATE
