"""The demo seller's cost of goods: after the first sync, most SKUs the demo cabinet sold get a cost, so the
dashboard's COGS page shows profits and margins at once; every seventh SKU is left without one, so it also
shows what a seller sees for a missing cost (highlighted rows, `missing_cogs`). Written through the same
all-or-nothing bulk upload as a seller's CSV (`POST /v1/cogs/bulk`)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from application.registry import UseCases
from application.use_cases.access import UserRef
from bootstrap.container import build_container, init_resources, shutdown_resources, use_case_registry
from bootstrap.settings import Settings
from domain.moscow_time import iso_week, moscow_day

COST_SHARE = Decimal("0.42")  # of the SKU's average selling price: a plausible wholesale cost
LEAVE_OUT_EVERY = 7  # every seventh SKU (by revenue) keeps no cost
WEEKS_BACK = 6
SINCE_DAYS = 120  # valid from well before the synced history, so every sale and return has its cost


async def seed_demo_costs(settings: Settings, telegram_id: int) -> tuple[int, int]:
    """(SKUs given a cost, SKUs left without one) for the user's first cabinet."""
    container = build_container(settings)
    await init_resources(container)
    try:
        registry = use_case_registry(container)
        cabinets = await (await registry.list_user_cabinets())(UserRef(telegram_id=telegram_id))
        cabinet_id = cabinets[0].cabinet.id
        clock = await container.gateways.clock()
        today = moscow_day(clock.now())
        prices = await _average_prices(registry, cabinet_id, today)
        ranked = sorted(prices, key=lambda nm: -prices[nm][1])
        costed = [nm for k, nm in enumerate(ranked, start=1) if k % LEAVE_OUT_EVERY]
        rows: list[dict[str, object]] = [
            {"nm_id": nm, "unit_cost": _cost(*prices[nm]), "valid_from": today - timedelta(days=SINCE_DAYS)}
            for nm in costed
        ]
        if rows:
            await (await registry.bulk_set_cogs())(cabinet_id, rows)
        return len(costed), len(ranked) - len(costed)
    finally:
        await shutdown_resources(container)


Sold = dict[int, tuple[int, Decimal]]


async def _average_prices(registry: UseCases, cabinet_id: UUID, today: date) -> Sold:
    """Per SKU sold in the last weeks: (units, revenue) summed over them."""
    weekly = await registry.weekly_by_sku()
    totals: dict[int, tuple[int, Decimal]] = {}
    for back in range(WEEKS_BACK):
        week = iso_week(today - timedelta(weeks=back))
        page = await weekly(cabinet_id, week, 1000, 0)
        for sku in page.items:
            units, revenue = totals.get(sku.nm_id, (0, Decimal(0)))
            c = sku.components
            totals[sku.nm_id] = (units + c.total_units, revenue + c.revenue_gross)
    return {nm: t for nm, t in totals.items() if t[0] > 0 and t[1] > 0}


def _cost(units: int, revenue: Decimal) -> Decimal:
    return (revenue / units * COST_SHARE).quantize(Decimal("10"), ROUND_HALF_UP) or Decimal(10)
