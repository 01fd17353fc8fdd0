"""`wbpulse rollups rebuild [--cabinet UUID]`: recompute order rollups from the stored orders (decision
0015). Like `sync`, it uses DATABASE_URL when set, else the embedded Postgres of DATA_DIR."""

import argparse
import asyncio
import contextlib
import sys
from uuid import UUID

from bootstrap.commands import shared_servers, terminate_as_interrupt
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.settings import Settings
from domain.errors import NotFound


async def _rebuild(settings: Settings, cabinet_id: UUID | None) -> int:
    container = build_container(settings)
    await init_resources(container)
    try:
        rebuild = await use_case_registry(container).rebuild_rollups()
        results = await rebuild(cabinet_id)
    except NotFound as exc:
        print(f"wbpulse: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        await shutdown_resources(container)
    for r in results:
        print(f"cabinet {r.cabinet_id}: {r.days} days with orders or returns", flush=True)
    print(f"rebuilt the order rollups of {len(results)} cabinet(s)", flush=True)
    return 0


def rollups_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    terminate_as_interrupt()
    with contextlib.ExitStack() as stack:
        effective = shared_servers(settings, stack, "rollups rebuild")
        return asyncio.run(_rebuild(effective, args.cabinet))
