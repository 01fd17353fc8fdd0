"""`wbpulse cabinet connect` and `wbpulse sync`: the smallest honest way to connect a cabinet and sync it
before the bot API exists. With DATABASE_URL/REDIS_URL unset they use the embedded servers of DATA_DIR:
those of a running `wbpulse run`, or servers started for the command and stopped after it.

A WB key is never a command-line argument (it would sit in `ps` and in shell history): `cabinet connect`
reads it from --api-key-file, else WB_API_KEY, else one line of stdin (a hidden prompt on a terminal).
"""

import argparse
import asyncio
import contextlib
import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO
from uuid import UUID

from application.errors import ApplicationError
from bootstrap.commands import shared_servers, terminate_as_interrupt
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.logging import configure_logging
from bootstrap.settings import Settings
from domain.errors import DomainError

KEY_SOURCES = "--api-key-file PATH, the WB_API_KEY variable, or one line on stdin"


class KeyInputError(Exception):
    """No usable WB key was given; the message names where one may come from, never a key."""


def read_api_key(key_file: str | None, environ: Mapping[str, str], stdin: TextIO | None) -> str:
    """The key from the first source given: the file, then WB_API_KEY, then stdin (first line)."""
    if key_file is not None:
        try:
            text = Path(key_file).expanduser().read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyInputError(f"cannot read --api-key-file {key_file}: {type(exc).__name__}") from None
        where = f"--api-key-file {key_file}"
    elif environ.get("WB_API_KEY", "").strip():
        text, where = environ["WB_API_KEY"], "WB_API_KEY"
    elif stdin is not None and stdin.isatty():
        text, where = getpass.getpass("WB API key (not shown): "), "the prompt"
    else:
        text, where = (stdin.readline() if stdin is not None else ""), "stdin"
    key = (text.strip().splitlines() or [""])[0].strip()
    if not key:
        raise KeyInputError(f"no WB API key in {where}; give it with {KEY_SOURCES}")
    return key


async def _connect(
    settings: Settings, telegram_id: int, api_key: str, name: str, username: str | None
) -> UUID | None:
    """Connect the key for the Telegram user (created if new): the cabinet id, or None after an error."""
    container = build_container(settings)
    await init_resources(container)
    try:
        use_cases = use_case_registry(container)
        await (await use_cases.register_user())(telegram_id, username)
        connect = await use_cases.connect_cabinet()
        result = await connect(telegram_id, api_key, name)
    except (ApplicationError, DomainError) as exc:
        print(f"wbpulse: cabinet not connected: {exc}", file=sys.stderr, flush=True)
        return None
    finally:
        await shutdown_resources(container)
    verb = "joined existing" if result.joined_existing else "created"
    print(f"cabinet {result.cabinet.id} {verb} ({result.role}); name: {result.cabinet.name}", flush=True)
    return result.cabinet.id


async def _sync(settings: Settings, cabinet_id: UUID) -> int:
    container = build_container(settings)
    await init_resources(container)
    try:
        sync = await use_case_registry(container).sync_cabinet()
        report = await sync(cabinet_id)
    finally:
        await shutdown_resources(container)
    if report.skipped:
        print(f"sync skipped: {report.skipped}", flush=True)
    for s in report.sources:
        state = s.error or s.skipped or "ok"
        print(f"{s.source:<14} taken {s.taken:>7}  written {s.written:>7}  {state}", flush=True)
    return 1 if report.invalidated or any(s.error for s in report.sources) else 0


def cabinet_connect(args: argparse.Namespace, settings: Settings) -> int:
    try:
        key = read_api_key(args.api_key_file, os.environ, sys.stdin)
    except KeyInputError as exc:
        print(f"wbpulse: {exc}", file=sys.stderr, flush=True)
        return 2
    # The redactor masks JWT-shaped keys anyway; naming this one masks it whatever its shape.
    configure_logging(settings.log_level, (*settings.secret_values, key), fmt=settings.log_format)
    terminate_as_interrupt()
    with contextlib.ExitStack() as stack:
        effective = shared_servers(settings, stack, "cabinet connect")
        cabinet_id = asyncio.run(_connect(effective, args.telegram_id, key, args.name, args.username))
    return 0 if cabinet_id else 1


def sync(args: argparse.Namespace, settings: Settings) -> int:
    terminate_as_interrupt()
    with contextlib.ExitStack() as stack:
        effective = shared_servers(settings, stack, "sync")
        return asyncio.run(_sync(effective, args.cabinet))


async def connect_and_sync(settings: Settings, telegram_id: int, api_key: str, name: str) -> int:
    """The demo's path: connect (creating the user), then sync that cabinet once with a line per source."""
    cabinet_id = await _connect(settings, telegram_id, api_key, name, "demo")
    if cabinet_id is None:
        return 1
    print(f"first sync of cabinet {cabinet_id}:", flush=True)
    return await _sync(settings, cabinet_id)
