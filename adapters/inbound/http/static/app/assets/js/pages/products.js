// "Товары": how fast each article sells and how long its stock lasts (GET /v1/analytics/orders/velocity),
// and how quickly FBS orders are confirmed and handed over against WB's deadline (…/sla). Definitions:
// docs/metrics.md and docs/decisions/0018.

import { api } from "../api.js";
import { card, clear, h, table } from "../dom.js";
import * as f from "../format.js";

const PERIODS = { 7: "7 дней", 30: "30 дней", 90: "90 дней" };
const SORTS = { days_of_stock: "Меньше всего запаса", velocity: "Быстрее всего продаются" };
const TREND = { up: "↑ растёт", down: "↓ падает", flat: "→ ровно" };
const PAGE_SIZE = 50;

const minutes = (seconds) => (seconds === null || seconds === undefined ? "—" : seconds < 5400
  ? `${f.num(Math.round(seconds / 60))} мин` : `${f.num(Math.round(seconds / 360) / 10)} ч`);

export async function render(view, ctx) {
  const state = {
    days: PERIODS[ctx.params.get("days")] ? Number(ctx.params.get("days")) : 30,
    sort: SORTS[ctx.params.get("sort")] ? ctx.params.get("sort") : "days_of_stock",
    offset: 0,
  };
  const sla = h("section", { "aria-labelledby": "sla-title" });
  const velocity = h("section", { "aria-labelledby": "velocity-title" });
  const select = (id, options, value, apply) => h("select", { id, onchange: (e) => { apply(e.target.value); state.offset = 0; load(); } },
    Object.entries(options).map(([k, label]) => h("option", { value: k, selected: String(k) === String(value) }, label)));
  const root = h("section", { class: "products" },
    h("div", { class: "toolbar" }, h("h1", {}, "Товары"),
      h("label", {}, "Период ", select("days", PERIODS, state.days, (v) => (state.days = Number(v))))),
    sla, velocity);
  clear(view, root);

  async function load() {
    ctx.setQuery({ days: state.days, sort: state.sort });
    document.body.dataset.state = "loading";
    const to = ctx.config.today || f.moscowDay();
    const from = f.addDays(to, -(state.days - 1));
    root.dataset.from = from;
    root.dataset.to = to;
    const [speed, handling] = await Promise.all([
      api("/v1/analytics/orders/velocity", { query: { from, to, delivery: "all", sort_by: state.sort,
        sort_order: state.sort === "days_of_stock" ? "asc" : "desc", limit: PAGE_SIZE, offset: state.offset } }),
      api("/v1/analytics/orders/sla", { query: { from: f.addDays(to, -(Math.min(state.days, 90) - 1)), to } }),
    ]);
    if (!ctx.live()) return;
    drawSla(handling);
    drawVelocity(speed);
    document.body.dataset.state = "ready";
  }

  function drawSla(s) {
    const c = s.counts;
    clear(sla,
      h("h2", { id: "sla-title" }, "Сборка FBS-заказов"),
      h("div", { class: "cards" },
        card("Передано в срок", f.pct(s.withinDeadlineShare), `${f.int(c.withinDeadline)} из ${f.int(c.due)}; срок ${s.deadlineHours} ч`, "sla-share"),
        card("До подтверждения", minutes(s.timeToConfirm && s.timeToConfirm.p50), s.timeToConfirm ? `медиана; 90 % — до ${minutes(s.timeToConfirm.p90)}` : "нет данных", "sla-confirm"),
        card("До передачи WB", minutes(s.timeToHandOver && s.timeToHandOver.p50), s.timeToHandOver ? `медиана; 90 % — до ${minutes(s.timeToHandOver.p90)}` : "нет данных", "sla-handover"),
        card("FBS-заказов", f.int(c.orders), `в работе ${f.int(c.open)}, отменено ${f.int(c.cancelled)}`, "sla-orders")),
      h("p", { class: "muted" }, "Время считается по смене статусов, которую видит синхронизация. У заказов, созданных до подключения кабинета, это время первой синхронизации: их сроки завышены (docs/metrics.md)."));
  }

  function drawVelocity(v) {
    const { total, offset } = v.pagination;
    clear(velocity,
      h("div", { class: "toolbar" }, h("h2", { id: "velocity-title" }, "Скорость продаж и запас"),
        h("label", {}, "Сортировка ", select("velocity-sort", SORTS, state.sort, (s) => (state.sort = s)))),
      table([
        { label: "Артикул WB", value: (r) => r.nmId },
        { label: "Заказов", num: true, value: (r) => f.int(r.ordersCount) },
        { label: "В день", num: true, value: (r) => f.num(r.avgDailyOrders) },
        { label: "Тренд", value: (r) => `${TREND[r.trend]}${r.trendPercent === null ? "" : ` (${f.signed(r.trendPercent, f.num)} %)`}` },
        { label: "Выручка", num: true, value: (r) => f.rub0(r.revenue) },
        { label: "Остаток, шт.", num: true, value: (r) => f.int(r.currentStock) },
        { label: "Хватит на", num: true, value: (r) => (r.daysOfStockLeft === null ? "—" : h("span", { class: r.daysOfStockLeft <= 7 ? "warn" : null }, `${f.num(r.daysOfStockLeft)} дн.`)) },
      ], v.items, { testid: "velocity", rowAttrs: (r) => ({ "data-nm": r.nmId }) }),
      h("div", { class: "pager" },
        h("button", { type: "button", disabled: offset === 0, onclick: () => { state.offset -= PAGE_SIZE; load(); } }, "← Назад"),
        h("span", {}, `${f.int(total ? offset + 1 : 0)}–${f.int(offset + v.items.length)} из ${f.int(total)}`),
        h("button", { type: "button", disabled: offset + PAGE_SIZE >= total, onclick: () => { state.offset += PAGE_SIZE; load(); } }, "Вперёд →")));
  }

  await load();
  ctx.every(60000, load);
}
