"""`wbpulse login-link [--telegram-id N]`, and the demo's own link: a one-time dashboard login link for a
user of the configured database (DATABASE_URL/REDIS_URL when set, else the embedded servers of DATA_DIR).

The code in the link is a credential: it goes to the user's own terminal with `print`, never to a log.
"""

import argparse
import asyncio
import contextlib
import sys
from urllib.parse import quote

from adapters.inbound.http.bot.login_codes import LOGIN_PAGE_PATH
from application.use_cases.access import UserRef
from bootstrap.commands import shared_servers, terminate_as_interrupt
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.settings import Settings
from domain.errors import NotFound

DEMO_TELEGRAM_ID = 123456789  # the seed walkthrough's user, whom `wbpulse demo` connects


def login_url(port: int, code: str) -> str:
    return f"http://localhost:{port}{LOGIN_PAGE_PATH}?code={quote(code, safe='')}"


async def issue_login_url(settings: Settings, telegram_id: int) -> str | None:
    """A fresh one-time login link for the user (good once, for 5 minutes), or None for an unknown user."""
    container = build_container(settings)
    await init_resources(container)
    try:
        issue = await use_case_registry(container).issue_login_code()
        issued = await issue(UserRef(telegram_id=telegram_id))
    except NotFound:
        return None
    finally:
        await shutdown_resources(container)
    return login_url(settings.port, issued.code)


def print_login_link(url: str) -> None:
    print(
        f"open the dashboard: {url}  (good once, for 5 minutes; `wbpulse login-link` prints a new one)",
        flush=True,
    )


def login_link(args: argparse.Namespace, settings: Settings) -> int:
    terminate_as_interrupt()
    with contextlib.ExitStack() as stack:
        effective = shared_servers(settings, stack, "login-link")
        url = asyncio.run(issue_login_url(effective, args.telegram_id))
    if url is None:
        print(
            f"wbpulse: no user with telegram id {args.telegram_id} (the bot registers users; "
            "`wbpulse demo` registers the demo user)",
            file=sys.stderr,
            flush=True,
        )
        return 1
    print_login_link(url)
    return 0
