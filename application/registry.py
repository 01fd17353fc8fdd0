"""The one registry of use-case factories that inbound adapters (HTTP handlers, arq jobs, the CLI) are
handed. They never see the container: bootstrap builds this from it.

Each entry makes a ready use case: `use_case = await use_cases.sync_cabinet()`, then `await use_case(...)`.
A factory is awaited because some of the use case's adapters are created asynchronously at start-up.
"""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs

from application.cogs.bulk import BulkSetCogs
from application.cogs.reads import CogsHistoryView, GetCogs, GetCogsVersion, MissingCogsReport
from application.cogs.writes import CreateCogs, DeleteCogs, UpdateCogs
from application.dashboard.analytics import OrderComparison, OrderTrends, OrderVolume, SeasonalPatterns
from application.dashboard.answers import AdmitRequest, ServeCachedAnswer
from application.dashboard.orders import GetOrder, ListOrders
from application.dashboard.sla import OrderSla
from application.dashboard.velocity import OrderVelocity
from application.dashboard.weekly import WeeklyBySku
from application.notifications.deliver import DeliverNotifications
from application.notifications.log import NotificationLog, ResendNotification, SendTestNotification
from application.notifications.missing_cogs import ReportMissingCogs
from application.notifications.settings import (
    AddStockIgnore,
    GetNotificationSettings,
    ListStockIgnore,
    RemoveStockIgnore,
    UpdateNotificationSettings,
)
from application.use_cases.bot_order_statistics import OrderStatistics
from application.use_cases.bot_recent_orders import RecentOrders
from application.use_cases.bot_sales import RecentSales, SalesStatistics
from application.use_cases.cabinet_data_health import CabinetDataHealth
from application.use_cases.cabinet_overview import CabinetOverview
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.connect_cabinet import ConnectCabinet
from application.use_cases.dashboard_access import Authenticate, AuthorizeCabinet, GetMe
from application.use_cases.leave_cabinet import LeaveCabinet
from application.use_cases.list_active_cabinets import ListActiveCabinets
from application.use_cases.list_user_cabinets import ListUserCabinets
from application.use_cases.login_codes import ExchangeLoginCode, IssueLoginCode
from application.use_cases.poll_new_orders import PollNewOrders
from application.use_cases.purge_cabinets import PurgeCabinets
from application.use_cases.rebuild_rollups import RebuildRollups
from application.use_cases.refresh_session import Logout, RefreshSession
from application.use_cases.register_user import RegisterUser
from application.use_cases.sync_cabinet import SyncCabinet
from application.use_cases.telegram_login import TelegramLogin
from application.use_cases.validate_cabinets import ValidateAllCabinets
from application.use_cases.worker_heartbeat import RecordWorkerHeartbeat

T = TypeVar("T")
Factory = Callable[[], Awaitable[T]]


@attrs.frozen
class UseCases:
    register_user: Factory[RegisterUser]
    connect_cabinet: Factory[ConnectCabinet]
    list_user_cabinets: Factory[ListUserCabinets]
    leave_cabinet: Factory[LeaveCabinet]
    sync_cabinet: Factory[SyncCabinet]
    poll_new_orders: Factory[PollNewOrders]
    validate_cabinets: Factory[ValidateAllCabinets]
    purge_cabinets: Factory[PurgeCabinets]
    rebuild_rollups: Factory[RebuildRollups]
    list_active_cabinets: Factory[ListActiveCabinets]
    cabinet_data_health: Factory[CabinetDataHealth]
    check_readiness: Factory[CheckReadiness]
    record_worker_heartbeat: Factory[RecordWorkerHeartbeat]
    order_statistics: Factory[OrderStatistics]
    recent_orders: Factory[RecentOrders]
    sales_statistics: Factory[SalesStatistics]
    recent_sales: Factory[RecentSales]
    deliver_notifications: Factory[DeliverNotifications]
    report_missing_cogs: Factory[ReportMissingCogs]
    list_dashboard_orders: Factory[ListOrders]
    get_dashboard_order: Factory[GetOrder]
    order_volume: Factory[OrderVolume]
    order_trends: Factory[OrderTrends]
    order_comparison: Factory[OrderComparison]
    seasonal_patterns: Factory[SeasonalPatterns]
    order_velocity: Factory[OrderVelocity]
    order_sla: Factory[OrderSla]
    weekly_by_sku: Factory[WeeklyBySku]
    send_test_notification: Factory[SendTestNotification]
    notification_log: Factory[NotificationLog]
    resend_notification: Factory[ResendNotification]
    get_notification_settings: Factory[GetNotificationSettings]
    update_notification_settings: Factory[UpdateNotificationSettings]
    list_stock_ignore: Factory[ListStockIgnore]
    add_stock_ignore: Factory[AddStockIgnore]
    remove_stock_ignore: Factory[RemoveStockIgnore]
    issue_login_code: Factory[IssueLoginCode]
    exchange_login_code: Factory[ExchangeLoginCode]
    telegram_login: Factory[TelegramLogin]
    refresh_session: Factory[RefreshSession]
    logout: Factory[Logout]
    authenticate: Factory[Authenticate]
    authorize_cabinet: Factory[AuthorizeCabinet]
    get_me: Factory[GetMe]
    cabinet_overview: Factory[CabinetOverview]
    serve_cached_answer: Factory[ServeCachedAnswer]
    admit_dashboard_request: Factory[AdmitRequest]
    get_cogs: Factory[GetCogs]
    get_cogs_version: Factory[GetCogsVersion]
    cogs_history: Factory[CogsHistoryView]
    missing_cogs: Factory[MissingCogsReport]
    create_cogs: Factory[CreateCogs]
    update_cogs: Factory[UpdateCogs]
    delete_cogs: Factory[DeleteCogs]
    bulk_set_cogs: Factory[BulkSetCogs]
