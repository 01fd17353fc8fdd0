"""DeliverNotifications: drain the due notifications to the bot, each exactly once in effect.

A round claims a batch (committed at once: the claim is a lease, so a worker that dies mid-round gives its
rows back when the lease ends), formats and sends them concurrently, then records every outcome in one
unit of work: sent; retried on the schedule (a 429's Retry-After honoured); or dead-lettered with the
reason once the schedule is spent. The bot dedupes by the notification id, which never changes, so a
delivery repeated after a crash between sending and recording is harmless.
"""

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from application.notifications.texts import UnformattableEvent, summary_text, telegram_text
from application.ports.notifications import (
    BotGateway,
    DeliveryAttempt,
    DeliveryResult,
    Notification,
    OutgoingNotification,
)
from application.ports.system import Clock
from application.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Seconds before the 2nd, 3rd, ... attempt: a few quick tries, then minutes, then hours, so a bot that is
# restarted, redeployed or down for a night still gets everything (about 16 h in all), and then the row is
# dead-lettered with the last error.
RETRY_SCHEDULE_S: tuple[float, ...] = (2, 10, 30, 60, 180, 600, 1800, 3600, 7200, 14400, 28800)
# The bot will never take these as they are: retrying cannot help.
PERMANENT_STATUSES = frozenset({400, 410, 413, 422})
SUMMARY_ITEMS = 20


@attrs.frozen
class DeliverySettings:
    batch: int = 200
    concurrency: int = 64
    lease: timedelta = timedelta(minutes=2)
    retry_schedule_s: tuple[float, ...] = RETRY_SCHEDULE_S
    max_retry_after_s: float = 6 * 3600
    max_rounds: int = 50  # per call: a job that drains a huge backlog yields to the others now and then


@attrs.frozen
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0


@attrs.frozen
class _Outcome:
    notification: Notification
    result: DeliveryResult | None  # None: not sent (unformattable)
    error: str | None = None


@attrs.frozen
class DeliverNotifications:
    uow_factory: UnitOfWorkFactory
    bot: BotGateway
    clock: Clock
    settings: DeliverySettings = attrs.field(factory=DeliverySettings)

    async def __call__(self) -> DeliveryReport:
        total = DeliveryReport()
        for _ in range(self.settings.max_rounds):
            report, claimed = await self._round()
            total = DeliveryReport(
                total.sent + report.sent, total.retried + report.retried, total.dead + report.dead
            )
            if claimed < self.settings.batch:
                break
        return total

    async def _round(self) -> tuple[DeliveryReport, int]:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            claimed = await uow.notifications.claim_due(now, self.settings.batch, now + self.settings.lease)
            items = [(n, await self._body(uow, n)) for n in claimed]
            await uow.commit()
        if not claimed:
            return DeliveryReport(), 0
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def send(notification: Notification, body: OutgoingNotification | str) -> _Outcome:
            if isinstance(body, str):
                return _Outcome(notification, None, body)
            async with gate:
                return _Outcome(notification, await self.bot.send(body))

        outcomes = await asyncio.gather(*(send(n, body) for n, body in items))
        return await self._record(outcomes), len(claimed)

    async def _body(self, uow: UnitOfWork, notification: Notification) -> OutgoingNotification | str:
        """The webhook body, or why it cannot be made (logged; that row alone is dead-lettered)."""
        data: dict[str, Any] = dict(notification.data)
        try:
            if notification.is_summary and notification.resend_of is not None:  # told before: as it was
                text = summary_text(notification.type, list(data.get("items") or []), count=data.get("count"))
            elif notification.is_summary:
                grouped = await uow.notifications.group_items(notification.id)
                items = [dict(g.data) for g in grouped]
                data = {"count": len(items), "items": items[:SUMMARY_ITEMS]}
                await uow.notifications.set_data(notification.id, data)
                text = summary_text(notification.type, items)
            else:
                photo = bool(data.get("image_url"))
                text = telegram_text(notification.type, data, is_test=notification.is_test, has_photo=photo)
        except UnformattableEvent as exc:
            log.error(
                "notification cannot be formatted; skipped",
                extra={"notification_id": str(notification.id), "type": notification.type, "error": str(exc)},
            )
            return f"cannot be formatted: {exc}"
        return OutgoingNotification(
            id=notification.id,
            type=notification.type,
            data=data,
            user_id=notification.user_id,
            telegram_id=notification.telegram_id,
            telegram_text=text,
            timestamp=notification.created_at,
            is_test=notification.is_test,
        )

    async def _record(self, outcomes: Sequence[_Outcome]) -> DeliveryReport:
        now = self.clock.now()
        sent, retried, dead = [], 0, 0
        attempts = []
        async with self.uow_factory() as uow:
            for outcome in outcomes:
                n, result = outcome.notification, outcome.result
                if result is None:
                    await uow.notifications.dead_letter(n.id, outcome.error or "not sent")
                    dead += 1
                    continue
                attempts.append(DeliveryAttempt(n.id, now, result.status, result.duration_ms, result.error))
                if result.ok:
                    sent.append(n.id)
                    continue
                error = result.error or f"HTTP {result.status}"
                retry_at = self._retry_at(n, result, now)
                if retry_at is None:
                    await uow.notifications.dead_letter(n.id, f"gave up after {n.attempts} attempts: {error}")
                    dead += 1
                else:
                    await uow.notifications.retry_at(n.id, retry_at, error)
                    retried += 1
                log.warning(
                    "notification delivery failed",
                    extra={
                        "notification_id": str(n.id),
                        "attempt": n.attempts,
                        "status": result.status,
                        "error": error,
                        "retry_at": None if retry_at is None else retry_at.isoformat(),
                    },
                )
            await uow.notifications.record_attempts(attempts)
            await uow.notifications.mark_sent(sent, now)
            await uow.commit()
        return DeliveryReport(len(sent), retried, dead)

    def _retry_at(self, n: Notification, result: DeliveryResult, now: datetime) -> datetime | None:
        """When to try again, or None to dead-letter: a permanent refusal, or the schedule is spent."""
        schedule = self.settings.retry_schedule_s
        if result.status in PERMANENT_STATUSES or n.attempts > len(schedule):
            return None
        delay = schedule[n.attempts - 1]
        if result.retry_after_s is not None:
            delay = max(delay, min(result.retry_after_s, self.settings.max_retry_after_s))
        return now + timedelta(seconds=delay)
