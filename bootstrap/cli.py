"""`wbpulse`: the command line. `run` is the one-machine default (embedded servers unless URLs are set);
`api` and `worker` are the pieces for installs with real Postgres and Redis; `migrate`, `cabinet connect`,
`sync` and `login-link` use the URLs when set, else the embedded servers of DATA_DIR (a running `run`'s, or
their own).

Every command is one row of COMMANDS. A bad setting prints one line naming the variable and exits 2: no
traceback, no secret. Settings are checked before the rest of the stack is even imported: a row names its
handler as "module:function", imported only once the settings are valid.
"""

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias
from uuid import UUID

import attrs

from bootstrap.errors import ConfigError, StartupError
from bootstrap.logging import Redactor, configure_logging
from bootstrap.settings import load_settings

logger = logging.getLogger("wbpulse")
BOTH_URLS = ("DATABASE_URL", "REDIS_URL")
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


@attrs.frozen
class Command:
    """One `wbpulse` command: its words, the URLs it cannot do without, its help, its arguments, and its
    handler ("module:function" taking (args, settings) and returning the exit code)."""

    name: str
    help: str
    handler: str
    required: tuple[str, ...] = ()
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments
    reads_settings: bool = True  # False: the handler gets no settings and its own unparsed arguments


class _RefuseKeyArgument(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        parser.error(
            "--api-key is not accepted: a key on the command line shows in `ps` and in shell history; "
            "give it with --api-key-file PATH, the WB_API_KEY variable, or one line on stdin"
        )


def _connect_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--telegram-id", type=int, required=True)
    parser.add_argument("--name", default="My cabinet")
    parser.add_argument("--username", default=None)
    parser.add_argument(
        "--api-key-file",
        metavar="PATH",
        help="file whose first line is the WB key (else WB_API_KEY, else stdin)",
    )
    parser.add_argument("--api-key", nargs="?", action=_RefuseKeyArgument, help=argparse.SUPPRESS)


def _sync_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cabinet", type=UUID, required=True, help="cabinet id (UUID)")


def _rollups_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cabinet", type=UUID, default=None, help="cabinet id (UUID); all if omitted")


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clock-rate",
        type=_rate,
        default=None,
        metavar="RATE",
        help="sim seconds per real second once serving (default 120; 0: the clock stands still)",
    )


def _rate(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not rate >= 0 or rate == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number >= 0 (got {text!r})")
    return rate


def _login_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--telegram-id", type=int, default=123456789, help="default: the demo user")


COMMANDS = (
    Command(
        "run",
        "API + worker in one process; embedded Postgres/Redis for the URLs not set",
        "bootstrap.commands:run",
    ),
    Command(
        "api",
        "serve the HTTP API on HOST:PORT (needs DATABASE_URL and REDIS_URL)",
        "bootstrap.commands:api",
        required=BOTH_URLS,
    ),
    Command(
        "worker",
        "run the background worker (needs DATABASE_URL and REDIS_URL)",
        "bootstrap.commands:worker",
        required=BOTH_URLS,
    ),
    Command("migrate", "migrate the database to the newest schema", "bootstrap.commands:migrate"),
    Command(
        "cabinet connect",
        "connect a WB API key for a Telegram user (key from --api-key-file, WB_API_KEY or stdin)",
        "bootstrap.commands_sync:cabinet_connect",
        arguments=_connect_arguments,
    ),
    Command(
        "sync",
        "sync one cabinet now, in the foreground",
        "bootstrap.commands_sync:sync",
        arguments=_sync_arguments,
    ),
    Command(
        "rollups rebuild",
        "recompute the order rollups of one cabinet (--cabinet) or of every cabinet from the stored orders",
        "bootstrap.commands_rollups:rollups_rebuild",
        arguments=_rollups_arguments,
    ),
    Command(
        "demo",
        "start the WB simulator, connect a demo cabinet, sync it, then serve",
        "bootstrap.demo:demo",
        arguments=_demo_arguments,
    ),
    Command(
        "login-link",
        "print a one-time dashboard login link for a user (--telegram-id; default the demo user)",
        "bootstrap.commands_login:login_link",
        arguments=_login_link_arguments,
    ),
    Command(
        "simulator",
        "run the WB simulator (see simulator/README.md; --help for options)",
        "bootstrap.cli:simulator",
        reads_settings=False,
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, rest = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    command: Command = args.row
    if not command.reads_settings:
        return int(_handler(command)(args, rest))
    if rest:  # shown through the log redactor: a stray WB key is masked, not echoed
        parser.error(f"unrecognized arguments: {Redactor().text(' '.join(rest))}")
    try:
        settings = load_settings(os.environ, required=command.required)
    except ConfigError as exc:
        return _fail(f"configuration error: {exc}", 2)
    configure_logging(settings.log_level, settings.secret_values, fmt=settings.log_format)
    try:
        return int(_handler(command)(args, settings))  # the heavy stack, loaded once settings are valid
    except StartupError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        logger.exception("wbpulse %s failed", command.name)
        return _fail(f"{command.name} failed ({type(exc).__name__}); see the log above", 1)


def simulator(args: argparse.Namespace, rest: list[str]) -> int:
    from simulator import main as simulator_main  # the fake WB needs no settings of ours

    return simulator_main(rest)


def _handler(command: Command) -> Callable[..., Any]:
    module, _, function = command.handler.partition(":")
    handler: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return handler


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wbpulse", description="wb-pulse: a backend for Wildberries sellers"
    )
    top = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups: dict[str, Subparsers] = {}
    for command in COMMANDS:
        *group, word = command.name.split()
        subparsers = top if not group else groups.get(group[0]) or _group(top, groups, group[0])
        sub = subparsers.add_parser(
            word, help=command.help, description=command.help, add_help=command.reads_settings
        )
        command.arguments(sub)
        sub.set_defaults(row=command)
    return parser


def _group(top: Subparsers, groups: dict[str, Subparsers], name: str) -> Subparsers:
    """The sub-commands of a group word such as `cabinet`, made once."""
    words = [c.name.split()[1] for c in COMMANDS if c.name.startswith(f"{name} ")]
    parser = top.add_parser(name, help=f"{name} commands: {', '.join(words)}")
    groups[name] = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    return groups[name]


def _fail(message: str, code: int) -> int:
    print(f"wbpulse: {message}", file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
