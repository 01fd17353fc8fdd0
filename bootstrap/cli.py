"""`wbpulse`: the command line. `run` is the one-machine default (embedded servers unless URLs are set);
`api`, `worker` and `migrate` are the pieces for installs with real Postgres and Redis.

A bad setting prints one line naming the variable and exits 2: no traceback, no secret. Settings are
checked before the rest of the stack is even imported.
"""

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bootstrap.errors import ConfigError, StartupError
from bootstrap.logging import configure_logging
from bootstrap.settings import load_settings

logger = logging.getLogger("wbpulse")
REQUIRED = {
    "run": (),
    "api": ("DATABASE_URL", "REDIS_URL"),
    "worker": ("DATABASE_URL", "REDIS_URL"),
    "migrate": ("DATABASE_URL",),
    "cabinet": ("DATABASE_URL", "REDIS_URL"),
    "sync": ("DATABASE_URL", "REDIS_URL"),
    "demo": (),
}
HELP = {
    "run": "API + worker in one process; embedded Postgres/Redis for the URLs not set",
    "api": "serve the HTTP API on HOST:PORT (needs DATABASE_URL and REDIS_URL)",
    "worker": "run the background worker (needs DATABASE_URL and REDIS_URL)",
    "migrate": "migrate the database to the newest schema (needs DATABASE_URL)",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["simulator"]:  # the fake WB needs no settings of ours
        from simulator import main as simulator_main

        return simulator_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(os.environ, required=REQUIRED[args.command])
    except ConfigError as exc:
        return _fail(f"configuration error: {exc}", 2)
    configure_logging(settings.log_level, settings.secret_values, fmt=settings.log_format)
    try:
        from bootstrap.commands import COMMANDS  # the heavy stack, loaded once the settings are valid

        if args.command == "demo":
            from bootstrap.demo import demo

            return demo(settings)
        if args.command in ("cabinet", "sync"):
            from bootstrap import commands_sync

            return getattr(commands_sync, "cabinet_connect" if args.command == "cabinet" else "sync")(
                settings, args
            )
        return COMMANDS[args.command](settings)
    except StartupError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        logger.exception("wbpulse %s failed", args.command)
        return _fail(f"{args.command} failed ({type(exc).__name__}); see the log above", 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wbpulse", description="wb-pulse: a backend for Wildberries sellers"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in HELP.items():
        commands.add_parser(name, help=help_text, description=help_text)
    _add_sync_commands(commands)
    commands.add_parser(
        "simulator", help="run the WB simulator (see simulator/README.md; --help for options)"
    )
    return parser


def _add_sync_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    cabinet = commands.add_parser("cabinet", help="manage cabinets (needs DATABASE_URL and REDIS_URL)")
    actions = cabinet.add_subparsers(dest="action", required=True)
    connect = actions.add_parser("connect", help="connect a WB API key for a Telegram user")
    connect.add_argument("--telegram-id", type=int, required=True)
    connect.add_argument("--api-key", required=True, help="the WB API key (never printed or logged)")
    connect.add_argument("--name", default="My cabinet")
    connect.add_argument("--username", default=None)
    one = commands.add_parser("sync", help="sync one cabinet now, in the foreground (needs the URLs too)")
    one.add_argument("--cabinet", required=True, help="cabinet id (UUID)")
    commands.add_parser("demo", help="start the WB simulator, connect a demo cabinet, sync it, then serve")


def _fail(message: str, code: int) -> int:
    print(f"wbpulse: {message}", file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
