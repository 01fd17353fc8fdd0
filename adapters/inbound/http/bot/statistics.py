"""Bot routes: order and sales statistics (seed 000 §3–§4), by telegram_id or user_id, one cabinet or all."""

from aiohttp import web

from adapters.inbound.http.app_keys import USE_CASES
from adapters.inbound.http.bot import statistics_texts as texts
from adapters.inbound.http.bot.statistics_schemas import (
    OrderListAnswer,
    OrderListQuery,
    OrderOut,
    OrderStatisticsAnswer,
    OrderStatisticsData,
    OrderSummary,
    OrderTotals,
    PageQuery,
    Pagination,
    ReportQuery,
    SaleListAnswer,
    SaleOut,
    SalesStatisticsAnswer,
    SalesStatisticsData,
    SalesTotalsOut,
    Summary,
)
from adapters.inbound.http.guards import BOT_SECRET
from adapters.inbound.http.routing import Returns, Route
from application.ports.reports import OrderLine, Page, SaleLine, SalesTotals, SaleType
from application.use_cases.access import UserRef

TAGS = ("bot", "orders and sales")


def _user(q: ReportQuery) -> UserRef:
    return UserRef(telegram_id=q.telegram_id, user_id=q.user_id)


def _sales(s: SalesTotals) -> SalesTotalsOut:
    total = s.buyouts + s.returns
    return SalesTotalsOut(
        total_sales=total,
        buyouts=s.buyouts,
        returns=s.returns,
        buyout_rate=texts.share(s.buyouts, total),
        total_amount=s.buyouts_amount - s.returns_amount,
        buyouts_amount=s.buyouts_amount,
        returns_amount=s.returns_amount,
    )


def _pagination(q: PageQuery, page: Page[OrderLine] | Page[SaleLine]) -> Pagination:
    has_more = q.offset + len(page.items) < page.total
    return Pagination(limit=q.limit, offset=q.offset, total=page.total, has_more=has_more)


async def order_statistics(request: web.Request, query: ReportQuery) -> OrderStatisticsAnswer:
    """Every order of the period (cancelled included, FBS and FBW) and its sales. 403 not a member, 404
    unknown user or cabinet."""
    r = await (await request.app[USE_CASES].order_statistics())(
        _user(query), query.cabinet_id, query.date_from, query.date_to
    )
    o = r.orders
    orders = OrderTotals(
        total_orders=o.total,
        active_orders=o.total - o.canceled,
        canceled_orders=o.canceled,
        active_percentage=texts.share(o.total - o.canceled, o.total),
        canceled_percentage=texts.share(o.canceled, o.total),
    )
    summary = OrderSummary(
        date_from=r.days.first,
        date_to=r.days.last,
        cabinets=r.cabinets,
        fbs_orders=o.total - o.fbw,
        fbw_orders=o.fbw,
    )
    data = OrderStatisticsData(orders=orders, sales=_sales(r.sales), summary=summary)
    text = texts.order_statistics_text(r.days, r.orders, r.sales)
    return OrderStatisticsAnswer(data=data, telegram_text=text)


async def recent_orders(request: web.Request, query: OrderListQuery) -> OrderListAnswer:
    """The period's orders, newest first, a page at a time; `status` keeps only active or cancelled ones."""
    r = await (await request.app[USE_CASES].recent_orders())(
        _user(query),
        query.cabinet_id,
        query.status,
        query.limit,
        query.offset,
        query.date_from,
        query.date_to,
    )
    title = {None: "Последние заказы", "active": "Активные заказы", "canceled": "Отменённые заказы"}
    return OrderListAnswer(
        orders=[_order(o) for o in r.page.items],
        pagination=_pagination(query, r.page),
        telegram_text=texts.recent_orders_text(title[query.status], r.days, r.page, query.offset),
    )


def _order(o: OrderLine) -> OrderOut:
    return OrderOut(
        id=o.srid, order_id=o.fbs_order_id, date=o.date, nm_id=o.nm_id, product=o.product, article=o.article,
        size=o.size, amount=o.amount, warehouse=o.warehouse, region=o.region, status=o.status,
    )  # fmt: skip


async def sales_statistics(request: web.Request, query: ReportQuery) -> SalesStatisticsAnswer:
    """The period's buyouts and returns with their amounts. 403 not a member, 404 unknown user or cabinet."""
    r = await (await request.app[USE_CASES].sales_statistics())(
        _user(query), query.cabinet_id, query.date_from, query.date_to
    )
    summary = Summary(date_from=r.days.first, date_to=r.days.last, cabinets=r.cabinets)
    data = SalesStatisticsData(sales=_sales(r.sales), summary=summary)
    return SalesStatisticsAnswer(data=data, telegram_text=texts.sales_statistics_text(r.days, r.sales))


async def _sale_list(
    request: web.Request, query: PageQuery, type: SaleType | None, title: str
) -> SaleListAnswer:
    r = await (await request.app[USE_CASES].recent_sales())(
        _user(query), query.cabinet_id, type, query.limit, query.offset, query.date_from, query.date_to
    )
    return SaleListAnswer(
        sales=[_sale(s) for s in r.page.items],
        pagination=_pagination(query, r.page),
        telegram_text=texts.recent_sales_text(title, r.days, r.page, query.offset),
    )


def _sale(s: SaleLine) -> SaleOut:
    return SaleOut(
        sale_id=s.sale_id, srid=s.srid, nm_id=s.nm_id, product=s.product, article=s.article, size=s.size,
        amount=s.amount, date=s.date, type=s.type,
    )  # fmt: skip


async def recent_sales(request: web.Request, query: PageQuery) -> SaleListAnswer:
    """The period's buyouts and returns, newest first."""
    return await _sale_list(request, query, None, "Последние продажи")


async def buyouts(request: web.Request, query: PageQuery) -> SaleListAnswer:
    """The period's buyouts only, newest first."""
    return await _sale_list(request, query, "buyout", "Выкупы")


async def returns(request: web.Request, query: PageQuery) -> SaleListAnswer:
    """The period's returns only, newest first."""
    return await _sale_list(request, query, "return", "Возвраты")


def _route(
    path: str, handler: object, summary: str, query: type[ReportQuery], answer: type, what: str
) -> Route:
    return Route(
        "GET", path, handler, summary=summary, tags=TAGS, query=query,  # type: ignore[arg-type]
        responses={200: Returns(what, answer)}, guard=BOT_SECRET, errors=(403, 404),
    )  # fmt: skip


ROUTES: tuple[Route, ...] = (
    _route("/api/v1/bot/orders/statistics", order_statistics, "Order and sales statistics of a period",
           ReportQuery, OrderStatisticsAnswer, "Counts, shares and amounts, with the text to show"),
    _route("/api/v1/bot/orders/recent", recent_orders, "The newest orders, optionally by status",
           OrderListQuery, OrderListAnswer, "A page of orders, with the text to show"),
    _route("/api/v1/bot/sales/statistics", sales_statistics, "Sales statistics of a period",
           ReportQuery, SalesStatisticsAnswer, "Buyouts, returns and amounts, with the text to show"),
    _route("/api/v1/bot/sales/recent", recent_sales, "The newest buyouts and returns",
           PageQuery, SaleListAnswer, "A page of sales, with the text to show"),
    _route("/api/v1/bot/sales/buyouts", buyouts, "The newest buyouts",
           PageQuery, SaleListAnswer, "A page of buyouts, with the text to show"),
    _route("/api/v1/bot/sales/returns", returns, "The newest returns",
           PageQuery, SaleListAnswer, "A page of returns, with the text to show"),
)  # fmt: skip
