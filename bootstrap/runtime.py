"""Running the API and the arq worker until SIGTERM/SIGINT, then shutting down in order: stop taking
requests (in-flight ones finish), let running jobs finish for a while, release the resources."""

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from arq.worker import Worker
from dependency_injector import providers

from adapters.inbound.http.access_log import StructuredAccessLogger
from adapters.outbound.clock import SystemClock
from application.ports.system import Clock
from bootstrap.app import create_app
from bootstrap.container import Container, build_container
from bootstrap.errors import StartupError
from bootstrap.settings import Settings
from bootstrap.worker import create_worker

SHUTDOWN_TIMEOUT_S = 10.0
JOB_DRAIN_TIMEOUT_S = 10.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
logger = logging.getLogger(__name__)


async def serve_api(settings: Settings, on_ready: Callable[[], None] = lambda: None) -> int:
    async with stop_signals() as stop, http_server(create_app(build_container(settings)), settings):
        on_ready()
        await stop.wait()
    return 0


async def serve_worker(settings: Settings) -> int:
    async with stop_signals() as stop, running_worker(settings, build_container(settings)) as worker:
        return await _until_stopped(stop, worker)


async def serve_all(
    settings: Settings, on_ready: Callable[[], None] = lambda: None, clock: Clock | None = None
) -> int:
    """API and worker in one event loop (each with its own container, so neither closes the other's).
    `clock` replaces the system clock in both (only `wbpulse demo` passes one: docs/decisions/0012), except
    for sign-in, which stays on real time."""
    async with stop_signals() as stop, running_worker(settings, _container(settings, clock)) as worker:
        async with http_server(create_app(_container(settings, clock)), settings):
            on_ready()
            return await _until_stopped(stop, worker)


def _container(settings: Settings, clock: Clock | None) -> Container:
    container = build_container(settings)
    if clock is not None:
        container.gateways.clock.override(providers.Object(clock))
        container.gateways.session_clock.override(providers.Singleton(SystemClock))
    return container


@contextlib.asynccontextmanager
async def stop_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGTERM/SIGINT; the handlers stay until shutdown is over, so a second signal
    does not cut the shutdown short."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def http_server(app: web.Application, settings: Settings) -> AsyncIterator[web.AppRunner]:
    runner = web.AppRunner(app, access_log_class=StructuredAccessLogger, shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, settings.host, settings.port).start()
        except OSError as exc:
            raise StartupError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None
        logger.info("HTTP API listening", extra={"host": settings.host, "port": settings.port})
        # Everything made while starting (modules, schemas, the OpenAPI document, pools) lives as long as
        # the process: out of the collector's sight, a full collection scans only what requests made, not
        # the whole heap (an 80 ms pause mid-request before; decision 0022).
        gc.freeze()
        yield runner
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def running_worker(settings: Settings, container: Container) -> AsyncIterator[asyncio.Task[None]]:
    worker = create_worker(settings, container)
    task = asyncio.create_task(worker.async_run(), name="arq-worker")
    try:
        yield task
    finally:
        await _stop_worker(worker, task)


async def _until_stopped(stop: asyncio.Event, worker: asyncio.Task[None]) -> int:
    """0 when a signal asked us to stop; 1 when the worker ended on its own (it should not)."""
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({waiter, worker}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    return 0 if stop.is_set() else 1


async def _stop_worker(worker: Worker, task: asyncio.Task[None]) -> None:
    worker.allow_pick_jobs = False
    running = [job for job in worker.tasks.values() if not job.done()]
    if running:  # jobs are idempotent, but a finished job is cheaper than a re-run one
        await asyncio.wait(running, timeout=JOB_DRAIN_TIMEOUT_S)
    try:
        await worker.close()  # cancels what is still running, runs on_shutdown, closes the pool
        await task
    except asyncio.CancelledError:
        pass
    except Exception:
        logger.exception("the worker stopped with an error")
