"""A JSON array written one element at a time, laid out as `json.dump(..., indent=2)` would.

`mobwatch export` streams the history through it: each record is written before the next
is read, so a million observations hold about as much memory as a thousand.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from typing import Any, TextIO


def write_json_array(items: Iterable[Any], out: TextIO) -> None:
    empty = True
    for item in items:
        out.write("[\n" if empty else ",\n")
        # json.dumps escapes newlines inside strings: every line here is the layout's own.
        out.write(textwrap.indent(json.dumps(item, ensure_ascii=False, indent=2), "  "))
        empty = False
    out.write("[]\n" if empty else "\n]\n")
