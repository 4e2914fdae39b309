"""`mobwatch silence add|list|expire`: mute a marker for a while, without editing rules.

A silence lives in the store, so every worker of a shared deployment honours it. It always
ends: `--until` is required and must lie ahead; `expire` ends it sooner.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from mobwatch.alerts.silences import known_markers
from mobwatch.alerts.text import one_line
from mobwatch.cli.common import Commands, common_options
from mobwatch.pipeline.settings import Settings
from mobwatch.store.store import Store


def until_moment(text: str) -> datetime:
    """`2026-12-10` (until that day is over, UTC) or an ISO moment (UTC unless it says)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), UTC) + timedelta(days=1)
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"not a date or moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {text!r}"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(commands: Commands) -> None:
    silence = commands.add_parser("silence", help="mute a marker's alerts for a while")
    verbs = silence.add_subparsers(dest="silence_command", required=True)
    add = verbs.add_parser("add", help="mute a marker (in a region, from a source) until a date")
    common_options(add)
    add.add_argument("--marker", required=True)
    add.add_argument("--region", help="only alerts about this region (ISO code, e.g. RU-BEL)")
    add.add_argument("--source", help="only alerts about this source")
    add.add_argument("--until", type=until_moment, required=True, help="a date or moment, UTC")
    add.add_argument("--by", required=True, help="who sets it")
    add.add_argument("--comment", required=True, help="why")
    add.set_defaults(run=cmd_add)
    listing = verbs.add_parser("list", help="the silences, in force and ended")
    common_options(listing)
    listing.set_defaults(run=cmd_list)
    expire = verbs.add_parser("expire", help="end a silence now")
    common_options(expire)
    expire.add_argument("id", type=int)
    expire.set_defaults(run=cmd_expire)


def _store(args: argparse.Namespace) -> Store:
    return Store.open(Settings.resolve(home=args.home, db=args.db).db_url)


def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    if args.marker not in known_markers():
        print(
            f"mobwatch: no marker {args.marker!r} (known: {', '.join(sorted(known_markers()))})",
            file=sys.stderr,
        )
        return 2
    if args.until <= datetime.now(UTC):
        print(f"mobwatch: --until {args.until:%Y-%m-%d %H:%M} UTC has passed", file=sys.stderr)
        return 2
    for name in ("by", "comment"):
        if not one_line(getattr(args, name)):
            print(f"mobwatch: --{name} is empty", file=sys.stderr)
            return 2
    store = _store(args)
    try:
        silence = store.add_silence(
            marker=args.marker,
            region=args.region,
            source=args.source,
            until=args.until,
            by=one_line(args.by, 200),
            comment=one_line(args.comment, 1000),
        )
    finally:
        store.close()
    print(f"added {silence.describe()}", file=out)
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    try:
        silences = store.silences()
    finally:
        store.close()
    now = datetime.now(UTC)
    for silence in silences:
        state = "in force" if silence.active(now) else "ended"
        print(f"{state:<9} {one_line(silence.describe(), 600)}", file=out)
    print(f"{len(silences)} silences", file=out)
    return 0


def cmd_expire(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    try:
        silence = store.expire_silence(args.id)
    finally:
        store.close()
    if silence is None:
        print(f"mobwatch: no silence {args.id}", file=sys.stderr)
        return 1
    print(f"ended {one_line(silence.describe(), 600)}", file=out)
    return 0
