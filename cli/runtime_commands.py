"""Running the program itself: `serve` (every deployment on its schedule, until stopped),
`demo` (an offline pass over the bundled samples)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from mobwatch.alerts.routing import load_delivery_config
from mobwatch.cli.common import Commands, checked_settings, common_options, no_seed_option
from mobwatch.runtime.local_server import ServerError


def register(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve", help="run every deployment of prefect.yaml on its schedule, until stopped"
    )
    common_options(serve)
    serve.add_argument(
        "--feeds-port", type=int, help="serve the alert feeds on 127.0.0.1 at this port"
    )
    serve.set_defaults(run=cmd_serve)

    demo = commands.add_parser(
        "demo", help="an offline pass over the bundled sample sources, in its own home"
    )
    common_options(demo)
    no_seed_option(demo)
    demo.set_defaults(run=cmd_demo)


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.runtime.signals import Stopped, stop_on_signals

    try:
        with stop_on_signals():  # before Prefect loads: a SIGTERM from now on stops cleanly
            _serve(args, out)
    except Stopped:
        pass
    except ServerError as error:
        print(f"mobwatch: {error}", file=sys.stderr)
        return 1
    print("mobwatch serve: stopped", file=out)
    return 0


def _serve(args: argparse.Namespace, out: TextIO) -> None:
    from mobwatch.runtime.deployments import read_deployments
    from mobwatch.runtime.serve import runner_deployments, serve_deployments

    settings = checked_settings(args)
    overrides = {
        "home": str(settings.home.resolve()) if args.home else None,
        "sources": str(settings.sources_file.resolve()) if args.sources else None,
    }
    deployments = runner_deployments(
        read_deployments(), {key: value for key, value in overrides.items() if value}
    )
    serve_deployments(
        deployments,
        # The database URL reaches the runs through their environment, not as a parameter:
        # Prefect would store a parameter, password and all, and show it in its UI.
        environment={"MOBWATCH_DB_URL": args.db} if args.db else {},
        server_log=settings.home / "prefect-server.log",
        home=settings.home,
        out=out,
        dead_man_hours=load_delivery_config(settings.alerts_file).dead_man_hours,
        feeds_port=args.feeds_port,
    )


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from mobwatch.flows.demo import run_demo

    return run_demo(home=args.home, db=args.db, out=out, seed=not args.no_seed)
