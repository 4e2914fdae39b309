"""Content-Encoding undone in bounded steps (fetching/inflate.py)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

import httpx
import pytest

from mobwatch.fetching.inflate import decoded_chunks

TEXT = "Указ Президента Российской Федерации о призыве граждан на военную службу. ".encode() * 50


class Network(httpx.SyncByteStream):
    """The body as it arrives: in network-sized reads."""

    def __init__(self, body: bytes, read: int = 65536) -> None:
        self.pieces = [body[start : start + read] for start in range(0, len(body), read)]

    def __iter__(self) -> Iterator[bytes]:
        yield from self.pieces


def response(body: bytes, encoding: str | None) -> httpx.Response:
    headers = {"Content-Encoding": encoding} if encoding else {}
    return httpx.Response(200, headers=headers, stream=Network(body))


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (TEXT, None),
        (TEXT, "identity"),
        (gzip.compress(TEXT), "gzip"),
        (gzip.compress(TEXT), "x-gzip"),
        (zlib.compress(TEXT), "deflate"),
        (raw_deflate(TEXT), "deflate"),
        (zlib.compress(gzip.compress(TEXT)), "gzip, deflate"),  # applied in that order
    ],
)
def test_each_accepted_coding_is_undone(body: bytes, encoding: str | None) -> None:
    assert b"".join(decoded_chunks(response(body, encoding))) == TEXT


def test_no_piece_is_larger_than_the_step() -> None:
    bomb = gzip.compress(bytes(8 * 1024 * 1024))
    pieces = decoded_chunks(response(bomb, "gzip"), step=4096)
    sizes = [len(piece) for piece in pieces]
    assert max(sizes) <= 4096
    assert sum(sizes) == 8 * 1024 * 1024


def test_a_bomb_is_inflated_only_as_far_as_it_is_read() -> None:
    pieces = decoded_chunks(response(gzip.compress(bytes(16 * 1024 * 1024)), "gzip"), step=1024)
    assert len(next(pieces)) == 1024  # lazily: the rest is never inflated


@pytest.mark.parametrize(
    ("body", "encoding", "message"),
    [
        (b"not gzip at all", "gzip", "gzip:"),
        (TEXT, "br", "unsupported content encoding: 'br'"),
    ],
)
def test_an_undecodable_body_is_a_decoding_error(body: bytes, encoding: str, message: str) -> None:
    with pytest.raises(httpx.DecodingError, match=message):
        b"".join(decoded_chunks(response(body, encoding)))
