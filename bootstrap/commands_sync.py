"""`wbpulse cabinet connect` and `wbpulse sync`: the smallest honest way to connect a cabinet and sync it
before the bot API exists. Both need DATABASE_URL and REDIS_URL (the servers `wbpulse run` uses)."""

import argparse
import asyncio
from uuid import UUID

from application.errors import ApplicationError
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.settings import Settings
from domain.errors import DomainError


async def _connect(settings: Settings, args: argparse.Namespace) -> UUID | None:
    """Connect the key for the Telegram user (created if new): the cabinet id, or None after an error."""
    container = build_container(settings)
    await init_resources(container)
    try:
        use_cases = use_case_registry(container)
        await (await use_cases.register_user())(args.telegram_id, args.username)
        connect = await use_cases.connect_cabinet()
        result = await connect(args.telegram_id, args.api_key, args.name)
    except (ApplicationError, DomainError) as exc:
        print(f"wbpulse: cabinet not connected: {exc}", flush=True)
        return None
    finally:
        await shutdown_resources(container)
    verb = "joined existing" if result.joined_existing else "created"
    print(f"cabinet {result.cabinet.id} {verb} ({result.role}); name: {result.cabinet.name}", flush=True)
    return result.cabinet.id


async def _sync(settings: Settings, args: argparse.Namespace) -> int:
    container = build_container(settings)
    await init_resources(container)
    try:
        sync = await use_case_registry(container).sync_cabinet()
        report = await sync(UUID(args.cabinet))
    finally:
        await shutdown_resources(container)
    if report.skipped:
        print(f"sync skipped: {report.skipped}", flush=True)
    for s in report.sources:
        state = s.error or s.skipped or "ok"
        print(f"{s.source:<14} taken {s.taken:>7}  written {s.written:>7}  {state}", flush=True)
    return 1 if report.invalidated or any(s.error for s in report.sources) else 0


def cabinet_connect(settings: Settings, args: argparse.Namespace) -> int:
    return 0 if asyncio.run(_connect(settings, args)) else 1


def sync(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_sync(settings, args))


async def connect_and_sync(settings: Settings, telegram_id: int, api_key: str, name: str) -> int:
    """The demo's path: connect (creating the user), then sync that cabinet once with a line per source."""
    args = argparse.Namespace(telegram_id=telegram_id, api_key=api_key, name=name, username="demo")
    cabinet_id = await _connect(settings, args)
    if cabinet_id is None:
        return 1
    print(f"first sync of cabinet {cabinet_id}:", flush=True)
    return await _sync(settings, argparse.Namespace(cabinet=str(cabinet_id)))
