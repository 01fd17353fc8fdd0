"""In-memory COGS versions: the unit's view and staged writes, checking at commit what Postgres' exclusion
constraint checks (no two live windows of one SKU overlap), so a racing unit fails with Conflict."""

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

import attrs

from adapters.outbound.memory.identity import Staging
from adapters.outbound.memory.store import Tables, Write
from application.ports.cogs import UncostedSales
from domain.cogs import CogsHistory, CogsVersion
from domain.errors import Conflict
from domain.moscow_time import moscow_day
from domain.sales import Sale, SaleKind


class InMemoryCogsRepository:
    def __init__(self, unit: Staging) -> None:
        self._unit = unit

    def _versions(self, cabinet_id: UUID) -> Iterable[CogsVersion]:
        return (v for (c, _), v in self._unit.view.cogs_versions.items() if c == cabinet_id)

    async def histories_for_update(self, cabinet_id: UUID, nm_ids: Collection[int]) -> dict[int, CogsHistory]:
        # One process, and the commit re-checks overlaps: no lock to take.
        wanted = set(nm_ids)
        found: dict[int, list[CogsVersion]] = {nm: [] for nm in wanted}
        for v in self._versions(cabinet_id):
            if v.nm_id in wanted:
                found[v.nm_id].append(attrs.evolve(v))
        return {nm: CogsHistory(cabinet_id, nm, versions) for nm, versions in found.items()}

    async def history(self, cabinet_id: UUID, nm_id: int) -> CogsHistory:
        return (await self.histories_for_update(cabinet_id, [nm_id]))[nm_id]

    async def find(self, cabinet_id: UUID, version_id: UUID) -> CogsVersion | None:
        found = self._unit.view.cogs_versions.get((cabinet_id, version_id))
        return None if found is None else attrs.evolve(found)

    async def save(self, versions: Sequence[CogsVersion]) -> None:
        self._unit.stage(save_versions([attrs.evolve(v) for v in versions]))

    async def versions_for(
        self, cabinet_id: UUID, nm_ids: Collection[int] | None, from_day: date, to_day: date
    ) -> Sequence[CogsVersion]:
        wanted = None if nm_ids is None else set(nm_ids)
        chosen = [
            attrs.evolve(v)
            for v in self._versions(cabinet_id)
            if v.is_live
            and (wanted is None or v.nm_id in wanted)
            and v.valid_from <= to_day
            and (v.valid_to is None or v.valid_to >= from_day)
        ]
        return sorted(chosen, key=lambda v: (v.nm_id, v.valid_from))

    async def uncosted_sales(self, cabinet_id: UUID, from_day: date, to_day: date) -> Sequence[UncostedSales]:
        live = [v for v in self._versions(cabinet_id) if v.is_live]
        by_nm: dict[int, list[Sale]] = {}
        for (c, _), sale in self._unit.view.sales.items():
            day = moscow_day(sale.date)
            if c != cabinet_id or sale.kind is not SaleKind.SALE or not from_day <= day <= to_day:
                continue
            if not any(v.nm_id == sale.nm_id and v.covers(day) for v in live):
                by_nm.setdefault(sale.nm_id, []).append(sale)
        found = [_uncosted(nm, sales) for nm, sales in by_nm.items()]
        return sorted(found, key=lambda u: (-u.revenue, u.nm_id))

    async def sa_names(self, cabinet_id: UUID, nm_ids: Collection[int]) -> Mapping[int, str]:
        wanted, latest = set(nm_ids), dict[int, Sale]()
        for (c, _), sale in self._unit.view.sales.items():
            if c == cabinet_id and sale.nm_id in wanted:
                known = latest.get(sale.nm_id)
                if known is None or (sale.date, sale.sale_id) > (known.date, known.sale_id):
                    latest[sale.nm_id] = sale
        return {nm: s.supplier_article for nm, s in latest.items() if s.supplier_article is not None}


def _uncosted(nm_id: int, sales: list[Sale]) -> UncostedSales:
    last = max(sales, key=lambda s: (s.date, s.sale_id))
    revenue = sum((s.price_with_disc.amount for s in sales), Decimal(0))
    return UncostedSales(nm_id, last.supplier_article, len(sales), revenue)


def save_versions(versions: list[CogsVersion]) -> Write:
    def write(t: Tables) -> None:
        for v in versions:
            if v.cabinet_id not in t.cabinets:  # as Postgres' foreign key
                raise Conflict(f"cabinet {v.cabinet_id} does not exist")
            stored = t.cogs_versions.get((v.cabinet_id, v.id))
            if stored is not None and (stored.nm_id, stored.created_at) != (v.nm_id, v.created_at):
                raise Conflict(f"COGS version {v.id} cannot change its SKU or creation time")
            t.cogs_versions[(v.cabinet_id, v.id)] = v
        for cabinet_id, nm_id in {(v.cabinet_id, v.nm_id) for v in versions}:
            _check_no_overlap(t, cabinet_id, nm_id)

    return write


def _check_no_overlap(t: Tables, cabinet_id: UUID, nm_id: int) -> None:
    live = sorted(
        (v for (c, _), v in t.cogs_versions.items() if c == cabinet_id and v.nm_id == nm_id and v.is_live),
        key=lambda v: v.valid_from,
    )
    for earlier, later in itertools.pairwise(live):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise Conflict(f"COGS versions {earlier.id} and {later.id} of nm_id {nm_id} overlap")
