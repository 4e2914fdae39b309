"""The `mobwatch` command (docs/interfaces.md: the outside of the program).

Each command group is a module with `register(commands)`, which adds its commands, each
with its handler as `run`; a new group is its module and its place in `GROUPS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from mobwatch.alerts.routing import RoutingError
from mobwatch.cli import (
    alerts_commands,
    data_commands,
    explain,
    pass_commands,
    report_commands,
    runtime_commands,
    silence_commands,
)
from mobwatch.indicators.rules.config import ConfigError
from mobwatch.pipeline.settings import ConfigurationError
from mobwatch.runtime.prefect_defaults import apply_prefect_defaults
from mobwatch.store.schema import SchemaError

# In the order `mobwatch --help` lists them.
GROUPS = (
    pass_commands,
    data_commands,
    alerts_commands,
    report_commands,
    runtime_commands,
    explain,
    silence_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobwatch", description="Early-warning monitor for Russian military mobilisation."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    apply_prefect_defaults()
    args = build_parser().parse_args(argv)
    stream = out or sys.stdout
    try:
        return args.run(args, stream)
    except (ConfigurationError, ConfigError, RoutingError) as error:
        print(f"mobwatch: configuration error: {error}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, SchemaError) as error:
        print(f"mobwatch: database error: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
