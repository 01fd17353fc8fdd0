"""Bot routes: test notifications (seed 000 §2), the member's delivery log and resending an entry of it. The
dashboard's `/v1/notifications/*` answer with the same models (`history_answer`, `notification_answer`)."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from aiohttp import web
from pydantic import Field

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Reply, Returns, Route
from adapters.inbound.http.schemas import BIGINT, Schema
from application.notifications.log import NOTIFICATION_TYPES, LogEntry, LogPage
from application.ports.notifications import Notification
from application.use_cases.access import UserRef
from domain.notifications import DeliveryStatus

TAGS = ("bot", "notifications")
NotificationType = Literal[
    "new_order", "order_buyout", "order_cancellation", "order_return", "negative_review",
    "critical_stocks", "cabinet_invalid", "token_expiring", "sync_completed", "missing_cogs",
]  # fmt: skip
Status = Literal["pending", "sent", "failed", "suppressed"]
TestValue = str | int | float | bool | None


class UserQuery(Schema):
    telegram_id: int = Field(gt=0, le=BIGINT, description="The user's Telegram id.")


class TestIn(Schema):
    notification_type: NotificationType = Field(description="Any notification type.")
    test_data: dict[str, TestValue] = Field(
        default_factory=dict,
        max_length=50,
        description="The facts to show, as a real notification of that type carries them (e.g. order_id, "
        "product_name, amount, quantity); anything missing is left out of the message.",
    )


class HistoryFilters(Schema):
    status: Status | None = Field(None, description="Only notifications in this state.")
    type: NotificationType | None = Field(None, description="Only notifications of this type.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)

    @property
    def delivery_status(self) -> DeliveryStatus | None:
        return None if self.status is None else DeliveryStatus(self.status)


class HistoryQuery(HistoryFilters, UserQuery):
    pass


class NotificationPath(Schema):
    notification_id: UUID


class AttemptOut(Schema):
    attempted_at: datetime
    http_status: int | None = Field(description="The bot's HTTP status; null when no answer came.")
    duration_ms: int
    error: str | None


class NotificationOut(Schema):
    id: UUID = Field(description="Stable per notification: the webhook's `id`, which the bot dedupes on.")
    type: str
    status: Status = Field(
        description="pending (on its way or waiting for a retry), sent, failed (dead-lettered, see "
        "last_error), suppressed (not sent, see reason)."
    )
    reason: str | None = Field(
        description="Why a suppressed one was not sent: notifications_disabled, type_disabled, "
        "below_threshold, ignored_sku, too_old, backfill, grouped (told in a summary, see group_id)."
    )
    is_test: bool
    is_summary: bool = Field(description="One message telling a burst of grouped notifications.")
    group_id: UUID | None = Field(description="The summary a grouped notification was told in.")
    resend_of: UUID | None
    cabinet_id: UUID | None
    data: dict[str, Any]
    occurred_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None
    attempts: int
    last_error: str | None
    delivery_attempts: list[AttemptOut]


class NotificationAnswer(Schema):
    success: bool = True
    data: NotificationOut


class HistoryData(Schema):
    items: list[NotificationOut]
    total: int
    limit: int
    offset: int
    has_more: bool


class HistoryAnswer(Schema):
    success: bool = True
    data: HistoryData


def notification_answer(n: Notification) -> NotificationAnswer:
    """A notification just queued (by a test or a resend), as those routes answer it."""
    return NotificationAnswer(data=_out(n))


def history_answer(page: LogPage, filters: HistoryFilters) -> HistoryAnswer:
    """A page of the delivery log as the history routes answer it."""
    items = [_out(e.notification, e) for e in page.entries]
    data = HistoryData(
        items=items,
        total=page.total,
        limit=filters.limit,
        offset=filters.offset,
        has_more=filters.offset + len(items) < page.total,
    )
    return HistoryAnswer(data=data)


def _out(n: Notification, attempts: LogEntry | None = None) -> NotificationOut:
    return NotificationOut(
        id=n.id, type=n.type, status=n.status.value, reason=n.reason, is_test=n.is_test,
        is_summary=n.is_summary, group_id=n.group_id, resend_of=n.resend_of, cabinet_id=n.cabinet_id,
        data=dict(n.data), occurred_at=n.occurred_at, created_at=n.created_at, sent_at=n.sent_at,
        next_attempt_at=n.next_attempt_at, attempts=n.attempts, last_error=n.last_error,
        delivery_attempts=[
            AttemptOut(attempted_at=a.attempted_at, http_status=a.http_status, duration_ms=a.duration_ms,
                       error=a.error)
            for a in (attempts.attempts if attempts else ())
        ],
    )  # fmt: skip


async def send_test(request: web.Request, query: UserQuery, body: TestIn) -> Reply:
    """Queue a test notification (202): formatted, signed, delivered, retried and logged like a real one,
    marked `is_test`, whatever the user's settings. 404 unknown user."""
    use_case = await request.app[USE_CASES].send_test_notification()
    queued = await use_case(UserRef(telegram_id=query.telegram_id), body.notification_type, body.test_data)
    return Reply(notification_answer(queued), status=202)


async def history(request: web.Request, query: HistoryQuery) -> HistoryAnswer:
    """The user's delivery log, newest first, with every delivery attempt. 404 unknown user."""
    use_case = await request.app[USE_CASES].notification_log()
    page = await use_case(
        UserRef(telegram_id=query.telegram_id), query.delivery_status, query.type, query.limit, query.offset
    )
    return history_answer(page, query)


async def resend(request: web.Request, path: NotificationPath, query: UserQuery) -> Reply:
    """Send a log entry again as a new notification (202) naming the original in `resend_of`. 404: no
    such notification of this user; 409: it is still pending."""
    use_case = await request.app[USE_CASES].resend_notification()
    queued = await use_case(UserRef(telegram_id=query.telegram_id), path.notification_id)
    return Reply(notification_answer(queued), status=202)


assert set(NotificationType.__args__) == set(NOTIFICATION_TYPES)  # type: ignore[attr-defined]

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/api/v1/notifications/test",
        send_test,
        summary="Send a test notification of any type",
        tags=TAGS,
        query=UserQuery,
        body=TestIn,
        responses={202: Returns("Queued for delivery like a real notification", NotificationAnswer)},
        guard=BOT_SECRET,
        errors=(404,),
    ),
    Route(
        "GET",
        "/api/v1/notifications/history",
        history,
        summary="The user's delivery log",
        tags=TAGS,
        query=HistoryQuery,
        responses={200: Returns("A page of notifications, newest first", HistoryAnswer)},
        guard=BOT_SECRET,
        errors=(404,),
    ),
    Route(
        "POST",
        "/api/v1/notifications/{notification_id}/resend",
        resend,
        summary="Send a logged notification again",
        tags=TAGS,
        path_params=NotificationPath,
        query=UserQuery,
        responses={202: Returns("Queued again, as a new notification", NotificationAnswer)},
        guard=BOT_SECRET,
        errors=(404, 409),
    ),
)
