"""Every route of every table, called on the real app (real container, Postgres and Redis), answers with
a body that matches the schema the served OpenAPI document declares for its path, method and status:
successes and errors alike. A route added to a table without a case here fails this module."""

import secrets
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # ships no stubs
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.inbound.http.routes import ROUTE_TABLES
from adapters.inbound.http.routing import openapi_path
from adapters.outbound.jwt_tokens import JwtAccessTokens
from adapters.outbound.postgres.unit_of_work import PostgresUnitOfWorkFactory
from application.ports.notifications import DeliveryAttempt, NewNotification
from application.ports.sync import OrderStatusUpdate, SourceState
from bootstrap.app import create_app
from bootstrap.container import build_container
from domain.auth import LoginCode, RefreshToken, secret_hash
from domain.cogs import CogsVersion
from domain.identity import Cabinet, Membership, Role, User
from domain.money import Money
from domain.order_status import SupplierStatus, WbStatus
from domain.orders import Address, Order, StatusChange
from domain.sales import Sale
from domain.stat_orders import StatOrder
from domain.wb_token import WbCategory
from tests.integration.test_http_app import Client, settings_for
from tests.unit.use_cases.support import wb_key

DOCUMENT_URI = "urn:wb-pulse:openapi"
BOT = {"X-API-SECRET-KEY": "CnWvwoDwwGKh"}
NOW = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
ROUTES = [(r.method, openapi_path(t.full_path(r))) for t in ROUTE_TABLES for r in t.routes]
VALIDATE_ALL = "/api/v1/wb/cabinets/validation/validate-all"


@attrs.frozen
class Call:
    url: str
    status: int
    headers: dict[str, str] = attrs.field(factory=dict)
    json: Any = None


def cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    """How each route is exercised: its success, and each error it declares."""
    health = f"/api/v1/wb/cabinets/{cabinet_id}/health"
    return {
        ("GET", "/health"): [Call("/health", 200)],
        ("GET", "/ready"): [Call("/ready", 200)],
        ("GET", "/openapi.json"): [Call("/openapi.json", 200)],
        ("GET", "/docs"): [Call("/docs", 200)],
        **statistics_cases(cabinet_id),
        **user_and_cabinet_cases(cabinet_id),
        **notification_settings_cases(cabinet_id),
        **notification_log_cases(cabinet_id),
        **dashboard_auth_cases(cabinet_id),
        **dashboard_orders_cases(cabinet_id),
        **dashboard_analytics_cases(cabinet_id),
        **dashboard_cogs_cases(cabinet_id),
        ("GET", "/api/v1/wb/cabinets/{cabinet_id}/health"): [
            Call(health, 200, BOT),
            Call(health, 401),
            Call(health, 401, {"X-API-SECRET-KEY": "not-the-secret"}),
            Call(f"/api/v1/wb/cabinets/{uuid.uuid4()}/health", 404, BOT),
            Call("/api/v1/wb/cabinets/not-a-uuid/health", 400, BOT),
        ],
        ("GET", VALIDATE_ALL): [Call(VALIDATE_ALL, 200, BOT), Call(VALIDATE_ALL, 401)],
        ("POST", VALIDATE_ALL): [
            Call(VALIDATE_ALL, 200, BOT),
            Call(VALIDATE_ALL, 401, {"X-API-SECRET-KEY": "x"}),
        ],
    }


async def stored_cabinet(engine: AsyncEngine) -> uuid.UUID:
    """A cabinet with one source synced and one failing, so dates and errors appear in its health."""
    cabinet = Cabinet(
        id=uuid.uuid4(),
        name="Shop",
        key_fingerprint=secrets.token_hex(32),
        seller_id="s-" + secrets.token_hex(4),
        token_expires_at=NOW + timedelta(days=180),
        categories=frozenset({WbCategory.MARKETPLACE, WbCategory.STATISTICS}),
        read_only=True,
        created_at=NOW,
    )
    async with PostgresUnitOfWorkFactory(engine)() as uow:
        await uow.cabinets.add(cabinet, b"ciphertext")
        await uow.source_states.save(
            SourceState(cabinet.id, "stat_orders", last_success_at=NOW, rows_taken=3)
        )
        failed = SourceState(cabinet.id, "stocks", last_error="429", last_error_at=NOW, backoff_until=NOW)
        await uow.source_states.save(failed)
        await stored_statistics(uow, cabinet.id)
        await uow.commit()
    return cabinet.id


@pytest.fixture
async def client(aiohttp_client: Client, database_url: str, redis_url: str) -> TestClient:
    app: web.Application = create_app(build_container(settings_for(database_url, redis_url)))
    return await aiohttp_client(app)


def test_every_route_has_cases_and_every_case_a_route() -> None:
    assert set(cases(uuid.uuid4())) == set(ROUTES)


@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_route_answers_as_the_document_declares(
    client: TestClient, pg_engine: AsyncEngine, method: str, template: str
) -> None:
    calls = cases(await stored_cabinet(pg_engine)).get((method, template))
    assert calls, f"{method} {template} is in a route table but not exercised here: add its cases"
    document = await (await client.get("/openapi.json")).json()
    for call in calls:
        response = await client.request(method, call.url, headers=call.headers, json=call.json)
        assert response.status == call.status, (call, await response.text())
        await assert_matches_document(document, template, method, response)


async def assert_matches_document(
    document: dict[str, Any], template: str, method: str, response: ClientResponse
) -> None:
    responses = document["paths"][template][method.lower()]["responses"]
    status = str(response.status)
    assert status in responses or response.status >= 400, f"{status} is not declared"
    key = status if status in responses else "default"
    if response.status == 304:  # Not Modified (decision 0017): declared without content, sent without
        assert "content" not in responses[key] and await response.read() == b""
        assert response.headers["ETag"], "a 304 names the ETag it confirms"
        return
    assert response.content_type in responses[key]["content"], f"{response.content_type} is not declared"
    where = ("paths", template, method.lower(), "responses", key, "content", response.content_type, "schema")
    body = await response.json() if response.content_type == "application/json" else await response.text()
    validator(document, "#/" + "/".join(escape(part) for part in where)).validate(body)


def validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A 2020-12 validator of the schema at `pointer`, resolving `$ref`s against the whole document."""
    registry: Registry[Any] = Registry().with_resource(DOCUMENT_URI, DRAFT202012.create_resource(document))
    schema = {"$ref": DOCUMENT_URI + pointer}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


# Orders and sales (issue 8, part C): a member of the stored cabinet, an order and a sale of each kind.

STATISTICS = ("/api/v1/bot/orders/statistics", "/api/v1/bot/sales/statistics")
LISTS = (
    "/api/v1/bot/orders/recent",
    "/api/v1/bot/sales/recent",
    "/api/v1/bot/sales/buyouts",
    "/api/v1/bot/sales/returns",
)


def member_telegram_id(cabinet_id: uuid.UUID) -> int:
    return 10**12 + cabinet_id.int % 10**12


async def stored_statistics(uow: Any, cabinet_id: uuid.UUID) -> None:
    user = await uow.users.add(User(telegram_id=member_telegram_id(cabinet_id), username="member"))
    await uow.memberships.add(Membership(user.id, cabinet_id, Role.OWNER, NOW))
    await stored_sign_in(uow, cabinet_id, user.id)
    await stored_notifications(uow, cabinet_id, user.id)
    await stored_orders(uow, cabinet_id)
    await stored_cogs(uow, cabinet_id)
    day = datetime.now(UTC) - timedelta(days=1)
    rub = Money(Decimal("900.5"))
    money: dict[str, Any] = {"total_price": rub, "finished_price": rub, "price_with_disc": rub}
    pct: dict[str, Any] = {"discount_percent": Decimal(10), "spp": Decimal(5)}
    await uow.stat_orders.upsert_many([
        StatOrder(cabinet_id, "srid-1", 7, day, day, **money, **pct, subject="Платья <мини>"),
        StatOrder(cabinet_id, "srid-2", 7, day, day, **money, **pct, is_cancel=True),
    ])  # fmt: skip
    sale: dict[str, Any] = {"nm_id": 7, "supplier_article": "A&B", "barcode": "1", "date": day}
    sale["last_change_date"] = day
    sale |= money | pct
    await uow.sales.upsert_many([
        Sale(cabinet_id, "S1", "srid-1", for_pay=Money(Decimal(800)), **sale),
        Sale(cabinet_id, "R1", "srid-1", for_pay=Money(Decimal(-800)), **sale),
    ])  # fmt: skip


def statistics_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    tg = member_telegram_id(cabinet_id)
    found: dict[tuple[str, str], list[Call]] = {}
    for path in (*STATISTICS, *LISTS):
        found[("GET", path)] = [
            Call(f"{path}?telegram_id={tg}", 200, BOT),
            Call(f"{path}?telegram_id={tg}&cabinet_id={cabinet_id}&date_from=2000-01-01", 200, BOT),
            Call(f"{path}?telegram_id={tg}", 401),
            Call(f"{path}?telegram_id=1", 404, BOT),
            Call(f"{path}?telegram_id={tg}&cabinet_id={uuid.uuid4()}", 404, BOT),
            Call(f"{path}?telegram_id={tg}&date_from=2026-02-10&date_to=2026-02-09", 400, BOT),
            Call(f"{path}?telegram_id={tg}&date_from=31.01.2026", 400, BOT),
            Call(path, 400, BOT),
        ]
    for path in LISTS:
        found[("GET", path)] += [
            Call(f"{path}?telegram_id={tg}&limit=1&offset=1", 200, BOT),
            Call(f"{path}?telegram_id={tg}&limit=101", 400, BOT),
        ]
    found[("GET", LISTS[0])].append(Call(f"{LISTS[0]}?telegram_id={tg}&status=canceled", 200, BOT))
    return found


# Users and cabinets (issue 8, part A); connecting a good key needs WB (the simulator): 200/201 of
# POST /wb/cabinets/ are checked against this document in test_bot_users_cabinets.py.


def user_and_cabinet_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    tg = member_telegram_id(cabinet_id)
    user = {"telegram_id": tg, "username": "@member", "first_name": "Ann", "last_name": None}
    new_user = {"telegram_id": secrets.randbelow(10**12) + 1}
    key = wb_key(exp=datetime.now(UTC) + timedelta(days=30))
    leave = f"/wb/cabinets/{cabinet_id}"
    return {
        ("POST", "/users/"): [
            Call("/users/", 201, BOT, new_user),
            Call("/users/", 200, BOT, user),
            Call("/users/", 401, {}, user),
            Call("/users/", 400, BOT, {"telegram_id": 0}),
            Call("/users/", 400, BOT),
        ],
        ("POST", "/wb/cabinets/"): [
            Call(f"/wb/cabinets/?telegram_id={tg}&api_key={key}&name=Shop", 401),
            Call(f"/wb/cabinets/?telegram_id={tg}&name=Shop", 400, BOT),
            Call("/wb/cabinets/?user_id=1&api_key=INVALID_KEY&name=Shop", 400, BOT),
            Call("/wb/cabinets/", 404, BOT, {"telegram_id": 1, "api_key": key}),
        ],
        ("GET", "/wb/cabinets/"): [
            Call(f"/wb/cabinets/?telegram_id={tg}", 200, BOT),
            Call(f"/wb/cabinets/?telegram_id={tg}", 401),
            Call("/wb/cabinets/?telegram_id=1", 404, BOT),
            Call("/wb/cabinets/", 400, BOT),
        ],
        ("DELETE", "/wb/cabinets/{cabinet_id}"): [
            Call(f"{leave}?telegram_id={tg}", 401),
            Call(f"/wb/cabinets/{uuid.uuid4()}?telegram_id={tg}", 404, BOT),
            Call(f"{leave}?telegram_id=1", 404, BOT),
            Call(f"{leave}?telegram_id={tg}", 200, BOT),
            Call(f"{leave}?telegram_id={tg}", 403, BOT),
        ],
    }


# Notification settings (issue 9, point 4): the stored cabinet's member has the default settings.

SETTINGS = "/api/v1/notifications/settings"
IGNORE_LIST = f"{SETTINGS}/stock-ignore-list"


def notification_settings_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    tg = member_telegram_id(cabinet_id)
    mine, ignore = f"{SETTINGS}?telegram_id={tg}", f"{IGNORE_LIST}?telegram_id={tg}"
    reads = {
        ("GET", path): [
            Call(f"{path}?telegram_id={tg}", 200, BOT),
            Call(f"{path}?telegram_id={tg}", 401),
            Call(f"{path}?telegram_id=1", 404, BOT),
            Call(path, 400, BOT),
        ]
        for path in (SETTINGS, IGNORE_LIST)
    }
    return reads | {
        ("POST", SETTINGS): [
            Call(mine, 200, BOT, {"new_orders_enabled": False, "stock_analysis_days": 7}),
            Call(mine, 400, BOT, {"sound_enabled": True}),
            Call(mine, 400, BOT, {"max_group_size": True}),
            Call(mine, 400, BOT, {"review_rating_threshold": 6}),
            Call(mine, 400, BOT, {}),
            Call(mine, 400, BOT),
            Call(mine, 401, {}, {"grouping_enabled": False}),
            Call(f"{SETTINGS}?telegram_id=1", 404, BOT, {"grouping_enabled": False}),
        ],
        ("POST", IGNORE_LIST): [
            Call(ignore, 200, BOT, {"nm_ids": [7, 3]}),
            Call(ignore, 400, BOT, {"nm_ids": []}),
            Call(ignore, 400, BOT, {"nm_ids": [0, "7"]}),
            Call(ignore, 401, {}, {"nm_ids": [7]}),
            Call(f"{IGNORE_LIST}?telegram_id=1", 404, BOT, {"nm_ids": [7]}),
        ],
        ("DELETE", IGNORE_LIST): [
            Call(f"{ignore}&nm_id=7", 200, BOT),
            Call(f"{ignore}&nm_id=3&nm_id=99", 200, BOT),
            Call(ignore, 400, BOT),
            Call(f"{ignore}&nm_id=seven", 400, BOT),
            Call(f"{ignore}&nm_id=7", 401),
            Call(f"{IGNORE_LIST}?telegram_id=1&nm_id=7", 404, BOT),
        ],
    }


# The delivery log (notifications issue): one sent notification and one still pending of the member.


def logged_id(cabinet_id: uuid.UUID, what: str) -> uuid.UUID:
    return uuid.uuid5(cabinet_id, what)


async def stored_notifications(uow: Any, cabinet_id: uuid.UUID, user_id: int) -> None:
    telegram_id = member_telegram_id(cabinet_id)
    rows = [
        NewNotification(
            id=logged_id(cabinet_id, what), user_id=user_id, telegram_id=telegram_id, type="new_order",
            data={"srid": "srid-1", "price": "900.50"}, created_at=NOW, next_attempt_at=NOW,
            cabinet_id=cabinet_id,
        )
        for what in ("sent", "pending")
    ]  # fmt: skip
    await uow.notifications.add_many(rows)
    await uow.notifications.record_attempts([DeliveryAttempt(rows[0].id, NOW, 200, 15, None)])
    await uow.notifications.mark_sent([rows[0].id], NOW)


def notification_log_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    tg = member_telegram_id(cabinet_id)
    test, log = "/api/v1/notifications/test", "/api/v1/notifications/history"
    sent, pending = logged_id(cabinet_id, "sent"), logged_id(cabinet_id, "pending")
    seed_data = {"order_id": 999, "product_name": "Тестовый товар", "amount": 1500, "quantity": 1}
    seed_test = {"notification_type": "new_order", "test_data": seed_data}
    return {
        ("POST", test): [
            Call(f"{test}?telegram_id={tg}", 202, BOT, seed_test),
            Call(f"{test}?telegram_id={tg}", 400, BOT, {"notification_type": "new_orders"}),
            Call(f"{test}?telegram_id={tg}", 400, BOT, {"notification_type": "new_order", "test_data": [1]}),
            Call(f"{test}?telegram_id={tg}", 401, {}, seed_test),
            Call(f"{test}?telegram_id=1", 404, BOT, seed_test),
        ],
        ("GET", log): [
            Call(f"{log}?telegram_id={tg}", 200, BOT),
            Call(f"{log}?telegram_id={tg}&status=sent&type=new_order&limit=1", 200, BOT),
            Call(f"{log}?telegram_id={tg}&status=lost", 400, BOT),
            Call(f"{log}?telegram_id={tg}&limit=0", 400, BOT),
            Call(f"{log}?telegram_id={tg}", 401),
            Call(f"{log}?telegram_id=1", 404, BOT),
        ],
        ("POST", "/api/v1/notifications/{notification_id}/resend"): [
            Call(f"/api/v1/notifications/{sent}/resend?telegram_id={tg}", 202, BOT),
            Call(f"/api/v1/notifications/{pending}/resend?telegram_id={tg}", 409, BOT),
            Call(f"/api/v1/notifications/not-a-uuid/resend?telegram_id={tg}", 400, BOT),
            Call(f"/api/v1/notifications/{sent}/resend?telegram_id={tg}", 401),
            Call(f"/api/v1/notifications/{uuid.uuid4()}/resend?telegram_id={tg}", 404, BOT),
        ],
    }


# Dashboard sign-in (issue 10): the stored cabinet's member has a login code and a refresh token whose
# secrets follow from the cabinet id, and an access token is signed for them with settings_for's JWT_SECRET.

MEMBER_IDS: dict[uuid.UUID, int] = {}


def login_code(cabinet_id: uuid.UUID) -> str:
    return f"code-{cabinet_id.hex}"


def refresh_token(cabinet_id: uuid.UUID) -> str:
    return f"refresh-{cabinet_id.hex}"


async def stored_sign_in(uow: Any, cabinet_id: uuid.UUID, user_id: int) -> None:
    MEMBER_IDS[cabinet_id] = user_id
    soon = datetime.now(UTC) + timedelta(minutes=5)
    await uow.login_codes.add(LoginCode(secret_hash(login_code(cabinet_id)), user_id, soon))
    token = RefreshToken(
        id=uuid.uuid4(), family_id=uuid.uuid4(), user_id=user_id,
        token_hash=secret_hash(refresh_token(cabinet_id)), created_at=NOW, expires_at=soon,
    )  # fmt: skip
    await uow.refresh_tokens.add(token)


def dashboard_auth_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    tg = member_telegram_id(cabinet_id)
    issue = "/api/v1/bot/auth/code"
    access = JwtAccessTokens("j" * 32).issue(MEMBER_IDS.get(cabinet_id, 1), datetime.now(UTC)).token
    code, refresh = {"code": login_code(cabinet_id)}, {"refresh_token": refresh_token(cabinet_id)}
    widget = {"id": tg, "first_name": "Ann", "auth_date": int(NOW.timestamp()), "hash": "0" * 64}
    return {
        ("POST", issue): [
            Call(f"{issue}?telegram_id={tg}", 200, BOT),
            Call(f"{issue}?telegram_id={tg}", 401),
            Call(f"{issue}?telegram_id=1", 404, BOT),
            Call(issue, 400, BOT),
        ],
        ("POST", "/v1/auth/code"): [
            Call("/v1/auth/code", 200, json=code),
            Call("/v1/auth/code", 401, json=code),  # used up
            Call("/v1/auth/code", 400, json={"code": ""}),
            Call("/v1/auth/code?refresh=header", 400, json=code),
        ],
        # Signed payloads (200, 401) are checked against this document in test_dashboard_auth_http.py: the app
        # here has no TELEGRAM_BOT_TOKEN.
        ("POST", "/v1/auth/telegram"): [
            Call("/v1/auth/telegram", 404, json=widget),
            Call("/v1/auth/telegram", 400, json=widget | {"id": 0}),
        ],
        ("POST", "/v1/auth/refresh"): [
            Call("/v1/auth/refresh?refresh=cookie", 200, json=refresh),  # refresh_token null, Set-Cookie
            Call("/v1/auth/refresh", 401, json=refresh),  # reused: the session ends
            Call("/v1/auth/refresh", 401),  # no body, no cookie
            Call("/v1/auth/refresh", 400, json={"refresh_token": ""}),
        ],
        ("POST", "/v1/auth/logout"): [
            Call("/v1/auth/logout", 200, json=refresh),
            Call("/v1/auth/logout", 200),  # nothing to end
            Call("/v1/auth/logout", 400, json={"refresh_token": ""}),
        ],
        ("GET", "/v1/me"): [
            Call("/v1/me", 200, {"Authorization": f"Bearer {access}"}),
            Call("/v1/me", 401),
            Call("/v1/me", 401, {"Authorization": "Bearer not-a-token"}),
        ],
        **dashboard_page_cases(cabinet_id, access),
    }


def dashboard_page_cases(cabinet_id: uuid.UUID, access: str) -> dict[tuple[str, str], list[Call]]:
    """The user's own notifications (BEARER) and the cabinet's overview (CABINET), for the dashboard page."""
    me = {"Authorization": f"Bearer {access}"}
    gone = {"Authorization": f"Bearer {JwtAccessTokens('j' * 32).issue(2**62, datetime.now(UTC)).token}"}
    mine, theirs = me | {"X-Cabinet-Id": str(cabinet_id)}, me | {"X-Cabinet-Id": str(uuid.uuid4())}
    settings, log = "/v1/notifications/settings", "/v1/notifications/history"
    ignore = f"{settings}/stock-ignore-list"
    sent, pending = logged_id(cabinet_id, "sent"), logged_id(cabinet_id, "pending")
    return {
        ("GET", settings): [Call(settings, 200, me), Call(settings, 401), Call(settings, 404, gone)],
        ("PATCH", settings): [
            Call(settings, 200, me, {"new_orders_enabled": False, "stock_analysis_days": 7}),
            Call(settings, 400, me, {"sound_enabled": True}),
            Call(settings, 400, me, {"review_rating_threshold": 6}),
            Call(settings, 400, me, {}),
            Call(settings, 401, {}, {"grouping_enabled": False}),
            Call(settings, 404, gone, {"grouping_enabled": False}),
        ],
        ("POST", ignore): [
            Call(ignore, 200, me, {"nm_ids": [7, 8]}),
            Call(ignore, 400, me, {"nm_ids": []}),
            Call(ignore, 400, me, {"nm_ids": ["x"]}),
            Call(ignore, 401, {}, {"nm_ids": [7]}),
            Call(ignore, 404, gone, {"nm_ids": [7]}),
        ],
        ("DELETE", ignore): [
            Call(f"{ignore}?nm_id=7&nm_id=9", 200, me),
            Call(ignore, 400, me),
            Call(f"{ignore}?nm_id=0", 400, me),
            Call(f"{ignore}?nm_id=7", 401),
            Call(f"{ignore}?nm_id=7", 404, gone),
        ],
        ("GET", log): [
            Call(log, 200, me),
            Call(f"{log}?status=sent&type=new_order&limit=1&offset=0", 200, me),
            Call(f"{log}?status=lost", 400, me),
            Call(log, 401),
            Call(log, 404, gone),
        ],
        ("POST", "/v1/notifications/{notification_id}/resend"): [
            Call(f"/v1/notifications/{sent}/resend", 202, me),
            Call(f"/v1/notifications/{pending}/resend", 409, me),
            Call(f"/v1/notifications/{uuid.uuid4()}/resend", 404, me),
            Call("/v1/notifications/not-a-uuid/resend", 400, me),
            Call(f"/v1/notifications/{sent}/resend", 401),
        ],
        ("GET", "/v1/cabinet"): [
            Call("/v1/cabinet", 200, mine),
            Call("/v1/cabinet", 400, me),
            Call("/v1/cabinet", 401, {"X-Cabinet-Id": str(cabinet_id)}),
            Call("/v1/cabinet", 403, theirs),
        ],
    }


# The dashboard's orders (issue 10): one FBS order with a status change, behind the token and the cabinet.

ORDER_ID = 4242


async def stored_orders(uow: Any, cabinet_id: uuid.UUID) -> None:
    created = NOW - timedelta(hours=2)
    order = Order(
        cabinet_id=cabinet_id, order_id=ORDER_ID, order_uid="uid-1", rid="srid-1", nm_id=7, chrt_id=70,
        vendor_code="A&B", price=Money(Decimal("1500")), sale_price=Money(Decimal("1200")), warehouse_id=507,
        created_at=created, address=Address("г. Москва, ул. Примерная, д. 1", 37.6176, 55.7558),
    )  # fmt: skip
    await uow.orders.upsert_many([order])
    await uow.orders.apply_status_updates(
        cabinet_id, [OrderStatusUpdate(ORDER_ID, SupplierStatus.CONFIRM, WbStatus.SORTED, NOW, False)]
    )
    change = StatusChange(
        ORDER_ID, SupplierStatus.NEW, WbStatus.WAITING, SupplierStatus.CONFIRM, WbStatus.SORTED, NOW
    )
    await uow.orders.add_history(cabinet_id, [change])
    await uow.rollups.rebuild(cabinet_id)


def dashboard_orders_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    access = JwtAccessTokens("j" * 32).issue(MEMBER_IDS.get(cabinet_id, 1), datetime.now(UTC)).token
    mine = {"Authorization": f"Bearer {access}", "X-Cabinet-Id": str(cabinet_id)}
    theirs = mine | {"X-Cabinet-Id": str(uuid.uuid4())}
    detail = f"/v1/orders/{ORDER_ID}"
    return {
        ("GET", "/v1/orders"): [
            Call("/v1/orders", 200, mine),
            Call(
                "/v1/orders?from=2026-01-01&to=2026-12-31&delivery=all&sort_by=price&sort_order=asc",
                200,
                mine,
            ),
            Call("/v1/orders?supplier_status=lost", 400, mine),
            Call("/v1/orders?limit=1001", 400, mine),
            Call("/v1/orders?from=2026-02-30", 400, mine),
            Call("/v1/orders", 400, {"Authorization": f"Bearer {access}"}),
            Call("/v1/orders", 401, {"X-Cabinet-Id": str(cabinet_id)}),
            Call("/v1/orders", 403, theirs),
        ],
        ("GET", "/v1/orders/{orderId}"): [
            Call(detail, 200, mine),
            Call("/v1/orders/1", 404, mine),
            Call("/v1/orders/no%20spaces", 400, mine),
            Call(detail, 401),
            Call(detail, 403, theirs),
        ],
    }


def dashboard_analytics_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    access = JwtAccessTokens("j" * 32).issue(MEMBER_IDS.get(cabinet_id, 1), datetime.now(UTC)).token
    mine = {"Authorization": f"Bearer {access}", "X-Cabinet-Id": str(cabinet_id)}
    theirs = mine | {"X-Cabinet-Id": str(uuid.uuid4())}
    volume, trends = "/v1/analytics/orders/volume", "/v1/analytics/orders/trends"
    compare, seasonal = "/v1/analytics/orders/compare", "/v1/analytics/orders/seasonal"
    week = "from=2026-01-24&to=2026-01-31"
    periods = "period1_from=2026-01-24&period1_to=2026-01-31&period2_from=2026-01-17&period2_to=2026-01-23"
    return {
        ("GET", volume): [
            Call(f"{volume}?{week}", 200, mine),
            Call(f"{volume}?{week}&delivery=all", 200, mine),
            Call(f"{volume}?to=2026-01-31", 400, mine),
            Call(f"{volume}?from=2026-01-31&to=2026-01-01", 400, mine),
            Call(f"{volume}?{week}", 401),
            Call(f"{volume}?{week}", 403, theirs),
        ],
        ("GET", trends): [
            Call(f"{trends}?from=2025-02-01&to=2026-01-31&aggregation=month", 200, mine),
            Call(f"{trends}?{week}&aggregation=week", 200, mine),
            Call(f"{trends}?{week}&aggregation=week", 304, mine | {"If-None-Match": "*"}),
            Call(f"{trends}?from=2025-01-01&to=2026-01-31", 400, mine),  # over 365 days
            Call(f"{trends}?{week}&aggregation=hour", 400, mine),
            Call(f"{trends}?{week}", 401),
            Call(f"{trends}?{week}", 403, theirs),
        ],
        ("GET", compare): [
            Call(f"{compare}?{periods}", 200, mine),
            Call(f"{compare}?period1_from=2026-01-24&period1_to=2026-01-31", 400, mine),
            Call(f"{compare}?{periods}", 401),
            Call(f"{compare}?{periods}", 403, theirs),
        ],
        ("GET", seasonal): [
            Call(seasonal, 200, mine),
            Call(f"{seasonal}?months=3&view=weekday&delivery=all", 200, mine),
            Call(f"{seasonal}?months=0", 400, mine),
            Call(f"{seasonal}?view=yearly", 400, mine),
            Call(seasonal, 401),
            Call(seasonal, 403, theirs),
        ],
        **dashboard_velocity_sla_cases(mine, theirs, week),
    }


def dashboard_velocity_sla_cases(
    mine: dict[str, str], theirs: dict[str, str], week: str
) -> dict[tuple[str, str], list[Call]]:
    velocity, sla = "/v1/analytics/orders/velocity", "/v1/analytics/orders/sla"
    weekly = "/v1/analytics/weekly/by-sku"
    return {
        ("GET", velocity): [
            Call(velocity, 200, mine),
            Call(f"{velocity}?{week}&delivery=all&sort_by=days_of_stock&sort_order=asc&limit=500", 200, mine),
            Call(f"{velocity}?limit=501", 400, mine),
            Call(f"{velocity}?sort_by=price", 400, mine),
            Call(f"{velocity}?from=2026-01-31&to=2026-01-01", 400, mine),
            Call(velocity, 401),
            Call(velocity, 403, theirs),
        ],
        ("GET", sla): [
            Call(sla, 200, mine),
            Call(f"{sla}?{week}&deadline_hours=48", 200, mine),
            Call(f"{sla}?deadline_hours=0", 400, mine),
            Call(f"{sla}?from=2025-01-01&to=2026-01-31", 400, mine),  # over 90 days
            Call(sla, 401),
            Call(sla, 403, theirs),
        ],
        ("GET", weekly): [
            Call(weekly, 200, mine),
            Call(f"{weekly}?week=2026-W04&includeCogs=false&limit=1000&offset=5", 200, mine),
            Call(f"{weekly}?week=2026-04", 400, mine),
            Call(f"{weekly}?limit=1001", 400, mine),
            Call(weekly, 401),
            Call(weekly, 403, theirs),
        ],
    }


# COGS (issue 11): one open version of article 7 from 2026-01-01, and its id.


async def stored_cogs(uow: Any, cabinet_id: uuid.UUID) -> None:
    version = CogsVersion(
        logged_id(cabinet_id, "cogs"), cabinet_id, 7, Decimal("1500.5"), date(2026, 1, 1), NOW
    )
    await uow.cogs.save([version])


def dashboard_cogs_cases(cabinet_id: uuid.UUID) -> dict[tuple[str, str], list[Call]]:
    access = JwtAccessTokens("j" * 32).issue(MEMBER_IDS.get(cabinet_id, 1), datetime.now(UTC)).token
    mine = {"Authorization": f"Bearer {access}", "X-Cabinet-Id": str(cabinet_id)}
    theirs = mine | {"X-Cabinet-Id": str(uuid.uuid4())}
    one = f"/v1/cogs/{logged_id(cabinet_id, 'cogs')}"
    new = {"nm_id": 8, "unit_cost": 10.5, "valid_from": "2026-01-10"}
    overlapping = {"nm_id": 7, "unit_cost": 1, "valid_from": "2025-12-01", "valid_to": "2026-01-05"}
    fix = {"unit_cost": "1400", "valid_from": "2026-01-01"}
    return {
        ("GET", "/v1/cogs"): [
            Call("/v1/cogs?nm_id=7&valid_at=2026-01-31", 200, mine),
            Call("/v1/cogs?nm_id=7&valid_at=2025-12-31", 200, mine),  # no cost: data null
            Call("/v1/cogs?nm_id=7&valid_at=2026-01-31", 304, mine | {"If-None-Match": "*"}),
            Call("/v1/cogs?nm_id=abc", 400, mine),
            Call("/v1/cogs?nm_id=7", 401),
            Call("/v1/cogs?nm_id=7", 403, theirs),
        ],
        ("POST", "/v1/cogs"): [
            Call("/v1/cogs", 201, mine, new),
            Call("/v1/cogs", 400, mine, new | {"unit_cost": -1}),
            Call("/v1/cogs", 409, mine, overlapping),
            Call("/v1/cogs", 401, {}, new),
            Call("/v1/cogs", 403, theirs, new),
        ],
        ("GET", "/v1/cogs/history"): [
            Call("/v1/cogs/history?nm_id=7", 200, mine),
            Call("/v1/cogs/history?nm_id=7&include_deleted=true&limit=1&cursor=0", 200, mine),
            Call("/v1/cogs/history?nm_id=7&limit=0", 400, mine),
            Call("/v1/cogs/history?nm_id=7", 401),
            Call("/v1/cogs/history?nm_id=7", 403, theirs),
        ],
        ("GET", "/v1/cogs/missing"): [
            Call("/v1/cogs/missing?week=2026-W05", 200, mine),
            Call("/v1/cogs/missing?week=2026-W99", 400, mine),
            Call("/v1/cogs/missing?week=2026-W05", 401),
            Call("/v1/cogs/missing?week=2026-W05", 403, theirs),
        ],
        ("POST", "/v1/cogs/bulk"): [
            Call("/v1/cogs/bulk", 200, mine, [new, new | {"nm_id": 9}]),
            Call("/v1/cogs/bulk", 400, mine, [new | {"nm_id": 10}, overlapping]),
            Call("/v1/cogs/bulk", 400, mine, {"rows": []}),
            Call("/v1/cogs/bulk", 401, {}, [new]),
            Call("/v1/cogs/bulk", 403, theirs, [new]),
        ],
        ("GET", "/v1/cogs/{id}"): [
            Call(one, 200, mine),
            Call(f"/v1/cogs/{uuid.uuid4()}", 404, mine),
            Call("/v1/cogs/not-a-uuid", 400, mine),
            Call(one, 401),
            Call(one, 403, theirs),
        ],
        ("PUT", "/v1/cogs/{id}"): [
            Call(one, 200, mine, fix),
            Call(one, 400, mine, fix | {"currency": "EUR"}),
            Call(f"/v1/cogs/{uuid.uuid4()}", 404, mine, fix),
            Call(one, 401, {}, fix),
            Call(one, 403, theirs, fix),
        ],
        ("DELETE", "/v1/cogs/{id}"): [
            Call(one, 200, mine),
            Call(one, 404, mine),  # already deleted
            Call(one, 401),
            Call(one, 403, theirs),
        ],
    }
