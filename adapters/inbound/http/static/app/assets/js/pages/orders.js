// "Заказы" (seed 002 §6 and §7): the period switcher, the daily chart, the hourly profile, statuses,
// rates, revenue, this period against the previous one, seasonal views, and the orders table with its
// filters, sorting, paging and each order's status history.

import { api } from "../api.js";
import { chart } from "../chart.js";
import { card, clear, h, table } from "../dom.js";
import * as f from "../format.js";

// Days of each period, `to` (today) included: the seed's "today − 7 days" with an inclusive `to` would be
// eight days, and a year of 366 days is refused by the API's 365-day limit (docs/decisions/0023).
export const PERIODS = {
  week: { label: "Неделя", days: 7, aggregation: "day" },
  month: { label: "Месяц", days: 30, aggregation: "day" },
  quarter: { label: "Квартал", days: 90, aggregation: "week" },
  year: { label: "Год", days: 365, aggregation: "month" },
};
const DELIVERIES = { all: "Все заказы", fbs: "FBS (со своего склада)", fbw: "FBW (со склада WB)" };
const PAGE_SIZE = 25;
const MONTHS_RU = { January: "Январь", February: "Февраль", March: "Март", April: "Апрель", May: "Май", June: "Июнь",
  July: "Июль", August: "Август", September: "Сентябрь", October: "Октябрь", November: "Ноябрь", December: "Декабрь" };
const WEEKDAYS_RU = { Monday: "Понедельник", Tuesday: "Вторник", Wednesday: "Среда", Thursday: "Четверг", Friday: "Пятница",
  Saturday: "Суббота", Sunday: "Воскресенье" };
const ru = (names, value) => (value ? names[value] || value : "—");
const SORTS = { created_at: "Дата заказа", status_updated_at: "Смена статуса", price: "Цена", sale_price: "Цена со скидкой" };

export function periodOf(name, today) {
  const p = PERIODS[name];
  const from = f.addDays(today, -(p.days - 1));
  return { from, to: today, previous: { from: f.addDays(from, -p.days), to: f.addDays(from, -1) } };
}

export async function render(view, ctx) {
  const state = {
    period: PERIODS[ctx.params.get("period")] ? ctx.params.get("period") : "week",
    delivery: DELIVERIES[ctx.params.get("delivery")] ? ctx.params.get("delivery") : "all",
    filters: { supplier_status: "", wb_status: "", nm_id: "" },
    sort_by: "created_at", sort_order: "desc", offset: 0,
  };
  const areas = { kpis: h("div", { class: "cards" }), charts: h("div", { class: "charts" }), seasonal: h("section", {}), table: h("section", {}) };
  const root = h("section", { class: "orders", "aria-labelledby": "orders-title" });
  const dialog = h("dialog", { class: "order-detail", "aria-labelledby": "order-title" });
  clear(view, root, dialog);

  const periodButtons = Object.entries(PERIODS).map(([key, p]) =>
    h("button", { type: "button", "data-period": key, "aria-pressed": String(key === state.period),
      onclick: () => { state.period = key; state.offset = 0; reload(); } }, p.label));
  const delivery = h("select", { id: "delivery", onchange: (e) => { state.delivery = e.target.value; state.offset = 0; reload(); } },
    Object.entries(DELIVERIES).map(([k, label]) => h("option", { value: k, selected: k === state.delivery }, label)));
  root.append(
    h("div", { class: "toolbar" },
      h("h1", { id: "orders-title" }, "Заказы"),
      h("div", { class: "segmented", role: "group", "aria-label": "Период" }, periodButtons),
      h("label", {}, "Заказы ", delivery),
      h("span", { class: "muted", id: "period-label" })),
    areas.kpis, areas.charts, areas.seasonal, areas.table);

  let first = true;
  async function reload() {
    periodButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.period === state.period)));
    ctx.setQuery({ period: state.period, delivery: state.delivery });
    document.body.dataset.state = "loading";
    // The server's day: from the config the page started with, then fresh on each later reload (the
    // demo's day moves; a tab left open overnight moves too).
    const today = (first ? ctx.config.today : await fetchToday()) || f.moscowDay();
    first = false;
    const span = periodOf(state.period, today);
    Object.assign(root.dataset, { from: span.from, to: span.to, delivery: state.delivery, period: state.period });
    document.getElementById("period-label").textContent = `${f.day(span.from)} — ${f.day(span.to)}`;
    const base = { from: span.from, to: span.to, delivery: state.delivery };
    const [volume, trends, compare] = await Promise.all([
      api("/v1/analytics/orders/volume", { query: base }),
      api("/v1/analytics/orders/trends", { query: { ...base, aggregation: PERIODS[state.period].aggregation } }),
      api("/v1/analytics/orders/compare", { query: {
        period1_from: span.from, period1_to: span.to, period2_from: span.previous.from, period2_to: span.previous.to,
        delivery: state.delivery } }),
      loadTable(span),
      loadSeasonal(),
    ]);
    if (!ctx.live()) return;
    drawKpis(volume, trends, compare);
    drawCharts(volume, trends);
    document.body.dataset.state = "ready";
  }

  async function fetchToday() {
    try { return (await (await fetch("/app/config.json")).json()).today; } catch { return null; }
  }

  function drawKpis(volume, trends, compare) {
    const c = compare.comparison;
    const change = (v, fmt, pctValue) => `${f.signed(v, fmt)}${pctValue === null || pctValue === undefined ? "" : ` (${f.signed(pctValue, f.num)} %)`} к прошлому периоду`;
    clear(areas.kpis,
      card("Заказов", f.int(volume.totalOrders), change(c.ordersChange, f.int, c.ordersChangePercent), "kpi-orders"),
      card("Выручка", f.rub0(trends.summary.totalRevenue), change(c.revenueChange, f.rub0, c.revenueChangePercent), "kpi-revenue"),
      card("Средний чек", f.rub0(compare.period1.avgOrderValue), change(c.avgOrderValueChange, f.rub0), "kpi-aov"),
      card("Отмены", f.pct(volume.cancellationRate), `${f.signed(c.cancellationRateChange, f.num)} п.п. к прошлому периоду`, "kpi-cancel"),
      card("B2B", f.pct(volume.b2bPercentage), "доля заказов юрлиц", "kpi-b2b"),
      card("Возвраты", f.pct(trends.summary.returnRate), "от заказов без отмен", "kpi-returns"),
    );
  }

  function drawCharts(volume, trends) {
    const aggregation = { day: "по дням", week: "по неделям", month: "по месяцам" }[trends.aggregation];
    const peak = volume.peakHours.length ? volume.peakHours.map((x) => `${x}:00`).join(", ") : "—";
    clear(areas.charts,
      chart({ title: "Заказы по дням", points: volume.dailyTrend.map((d) => ({ x: d.date, orders: d.count })),
        series: [{ key: "orders", label: "Заказы" }], format: f.int, testid: "daily-orders" }),
      chart({ title: `Выручка ${aggregation}`, kind: "line",
        points: trends.trends.map((t) => ({ x: t.date, revenue: t.revenue })),
        series: [{ key: "revenue", label: "Выручка" }], format: f.rub0, testid: "revenue-trend" }),
      h("div", { class: "pair" },
        chart({ title: `Заказы по часам (МСК); пик: ${peak}`, days: false,
          points: volume.hourlyTrend.map((x) => ({ x: `${x.hour}:00`, orders: x.count })),
          series: [{ key: "orders", label: "Заказы" }], format: f.int, testid: "hourly" }),
        h("figure", { class: "figure" }, h("figcaption", {}, "Статусы заказов"),
          h("ul", { class: "bars", "data-testid": "statuses" }, volume.statusBreakdown.map((s) =>
            h("li", {}, h("span", {}, f.statusRu(s.status)), h("meter", { min: 0, max: 100, value: s.percentage, "aria-label": f.statusRu(s.status) }),
              h("span", { class: "num" }, `${f.int(s.count)} · ${f.pct(s.percentage)}`)))))),
    );
  }

  async function loadSeasonal() {
    const [monthly, weekday] = await Promise.all([
      api("/v1/analytics/orders/seasonal", { query: { view: "monthly", months: 12, delivery: state.delivery } }),
      api("/v1/analytics/orders/seasonal", { query: { view: "weekday", months: 12, delivery: state.delivery } }),
    ]);
    if (!ctx.live()) return;
    const i = monthly.insights;
    clear(areas.seasonal,
      h("h2", {}, "Сезонность за 12 месяцев"),
      h("p", { class: "muted" }, `Пиковый месяц: ${ru(MONTHS_RU, i.peakMonth)}; самый слабый: ${ru(MONTHS_RU, i.lowMonth)}; пиковый день недели: ${ru(WEEKDAYS_RU, weekday.insights.peakDay)}.`),
      h("div", { class: "pair" },
        table([{ label: "Месяц", value: (m) => ru(MONTHS_RU, m.month) }, { label: "Заказов в день", num: true, value: (m) => f.num(m.avgOrders) },
          { label: "Выручка в день", num: true, value: (m) => f.rub0(m.avgRevenue) }], monthly.patterns.monthly, { caption: "По месяцам", testid: "seasonal-monthly" }),
        table([{ label: "День недели", value: (w) => ru(WEEKDAYS_RU, w.dayOfWeek) }, { label: "Заказов в среднем", num: true, value: (w) => f.num(w.avgOrders) },
          { label: "Пиковый час", num: true, value: (w) => (w.peakHour === null ? "—" : `${w.peakHour}:00`) }], weekday.patterns.weekday, { caption: "По дням недели", testid: "seasonal-weekday" })),
    );
  }

  const filterForm = buildFilters();
  function buildFilters() {
    const select = (name, label, options) => h("label", {}, label, h("select", { name },
      h("option", { value: "" }, "любой"), Object.entries(options).map(([k, v]) => h("option", { value: k }, v))));
    return h("form", { class: "filters", "aria-label": "Фильтры заказов", onsubmit: (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      state.filters = { supplier_status: data.get("supplier_status"), wb_status: data.get("wb_status"), nm_id: data.get("nm_id").trim() };
      state.sort_by = data.get("sort_by");
      state.sort_order = data.get("sort_order");
      state.offset = 0;
      loadTable(periodOf(state.period, root.dataset.to)).then(() => (document.body.dataset.state = "ready"));
    } },
    select("supplier_status", "Статус продавца", { new: "Новый", confirm: "На сборке", complete: "В доставке", cancel: "Отменён" }),
    select("wb_status", "Статус WB", { waiting: "В работе", sorted: "Отсортирован", sold: "Выкуплен", canceled: "Отменён" }),
    h("label", {}, "Артикул WB", h("input", { name: "nm_id", inputmode: "numeric", pattern: "[0-9]*", size: 12 })),
    h("label", {}, "Сортировка", h("select", { name: "sort_by" }, Object.entries(SORTS).map(([k, v]) => h("option", { value: k }, v)))),
    h("label", {}, "Порядок", h("select", { name: "sort_order" }, h("option", { value: "desc" }, "сначала новые / дорогие"), h("option", { value: "asc" }, "сначала старые / дешёвые"))),
    h("button", { type: "submit" }, "Показать"));
  }

  async function loadTable(span) {
    const answer = await api("/v1/orders", { query: {
      from: span.from, to: span.to, delivery: state.delivery, ...state.filters,
      sort_by: state.sort_by, sort_order: state.sort_order, limit: PAGE_SIZE, offset: state.offset } });
    if (!ctx.live()) return;
    const { total, offset } = answer.pagination;
    const shown = answer.items.length ? `${f.int(offset + 1)}–${f.int(offset + answer.items.length)} из ${f.int(total)}` : `0 из ${f.int(total)}`;
    const open = (o) => h("button", { type: "button", class: "link", "data-order": o.orderId, onclick: () => showOrder(o.orderId) }, o.orderId);
    clear(areas.table,
      h("h2", {}, "Список заказов"), filterForm,
      table([
        { label: "Заказ", value: open },
        { label: "Создан (МСК)", value: (o) => f.moment(o.createdAt) },
        { label: "Товар", value: (o) => [o.productName || o.vendorCode || "—", h("div", { class: "muted" }, o.nmId ? `арт. ${o.nmId}` : "")] },
        { label: "Тип", value: (o) => o.deliveryType.toUpperCase() + (o.isB2B ? " · B2B" : "") },
        { label: "Статус продавца", value: (o) => f.statusRu(o.supplierStatus) },
        { label: "Статус WB", value: (o) => f.statusRu(o.wbStatus) },
        { label: "Цена", num: true, value: (o) => f.rub(o.price) },
        { label: "Со скидкой", num: true, value: (o) => f.rub(o.salePrice) },
      ], answer.items, { testid: "orders-table" }),
      h("div", { class: "pager" },
        h("button", { type: "button", disabled: offset === 0, onclick: () => page(-1) }, "← Назад"),
        h("span", { "data-testid": "orders-shown" }, shown),
        h("button", { type: "button", disabled: offset + PAGE_SIZE >= total, onclick: () => page(1) }, "Вперёд →")));
  }

  function page(step) {
    state.offset = Math.max(0, state.offset + step * PAGE_SIZE);
    loadTable(periodOf(state.period, root.dataset.to));
  }

  async function showOrder(orderId) {
    const o = await api(`/v1/orders/${encodeURIComponent(orderId)}`);
    const minutes = o.processingTimeSeconds === null ? "—" : `${f.num(o.processingTimeSeconds / 60)} мин`;
    clear(dialog,
      h("h2", { id: "order-title" }, `Заказ ${o.orderId}`),
      h("dl", { class: "facts" },
        h("dt", {}, "Товар"), h("dd", {}, `${o.productName || o.vendorCode || "—"} (арт. ${o.nmId ?? "—"}, размер ${o.chrtId ?? "—"})`),
        h("dt", {}, "Цена"), h("dd", {}, `${f.rub(o.price)}, со скидкой ${f.rub(o.salePrice)}`),
        h("dt", {}, "Склад"), h("dd", {}, o.warehouseName || (o.warehouseId ? `№ ${o.warehouseId}` : "—")),
        h("dt", {}, "Адрес"), h("dd", {}, (o.address && o.address.fullAddress) || "—"),
        h("dt", {}, "До подтверждения"), h("dd", {}, minutes),
        h("dt", {}, "Обновлено"), h("dd", {}, f.moment(o.syncedAt))),
      h("h3", {}, "История статусов"),
      h("ol", { class: "timeline", "data-testid": "status-history" }, o.statusHistory.map((s) =>
        h("li", {}, h("time", { datetime: s.changedAt }, f.moment(s.changedAt)), " ",
          h("strong", {}, f.statusRu(s.supplierStatus)), s.wbStatus ? ` · WB: ${f.statusRu(s.wbStatus)}` : ""))),
      o.statusHistory.length ? null : h("p", { class: "muted" }, "Статусы ещё не менялись."),
      h("form", { method: "dialog" }, h("button", { type: "submit", autofocus: true }, "Закрыть")));
    dialog.showModal();
  }

  ctx.every(60000, () => reload());
  await reload();
}
