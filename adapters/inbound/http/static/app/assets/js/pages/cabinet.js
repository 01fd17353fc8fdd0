// "Кабинет": who shares it, how fresh each kind of data is (per WB source), and when the key expires.

import { api } from "../api.js";
import { card, clear, h, table } from "../dom.js";
import * as f from "../format.js";

const SOURCES = {
  fbs_orders: "Сборочные задания FBS", fbs_statuses: "Статусы FBS-заказов", stat_orders: "Заказы (статистика)", stat_sales: "Продажи и возвраты",
  stocks: "Остатки", feedbacks: "Отзывы", claims: "Возвраты покупателей", finance_report: "Финансовый отчёт",
  paid_storage: "Платное хранение",
};
const ROLES = { owner: "владелец", member: "участник" };

function health(s) {
  if (s.blockedReason) return h("span", { class: "warn" }, `не синхронизируется: ${s.blockedReason}`);
  if (s.lastError) return h("span", { class: "error" }, `ошибка ${f.moment(s.lastErrorAt)}: ${s.lastError}`);
  if (s.backoffUntil) return h("span", { class: "warn" }, `пауза WB до ${f.moment(s.backoffUntil)}`);
  if (!s.lastSuccessAt) return h("span", { class: "muted" }, "ещё не загружалось");
  return h("span", { class: "ok" }, "в порядке");
}

export async function render(view, ctx) {
  async function load() {
    const c = await api("/v1/cabinet");
    const expiry = c.tokenExpiresInDays;
    const expiryNote = expiry < 0 ? "ключ истёк: замените его в боте" : expiry <= 7 ? "скоро истечёт: замените ключ в боте" : "ключ действует";
    clear(view,
      h("h1", {}, `Кабинет «${c.name}»`),
      c.status === "invalid" ? h("p", { class: "error", role: "alert" }, `WB не принимает ключ: ${c.invalidReason || "причина неизвестна"}`) : null,
      h("div", { class: "cards" },
        card("Ключ API истекает", f.moment(c.tokenExpiresAt), `${expiryNote} (${f.int(expiry)} дн.)`, "key-expiry"),
        card("Последняя синхронизация", f.moment(c.lastSyncAt), `ключ ${c.keyId}…${c.readOnly ? ", только чтение" : ""}`, "last-sync"),
        card("Заказов в базе", f.int(c.storedRows.orders + c.storedRows.statOrders), `продаж ${f.int(c.storedRows.sales)}, отзывов ${f.int(c.storedRows.reviews)}`, "stored")),
      h("h2", {}, "Участники"),
      table([
        { label: "Telegram", value: (m) => (m.username ? `@${m.username}` : `id ${m.telegramId}`) },
        { label: "Роль", value: (m) => ROLES[m.role] || m.role },
      ], c.members, { testid: "members" }),
      h("h2", {}, "Данные по источникам WB"),
      table([
        { label: "Источник", value: (s) => SOURCES[s.source] || s.source },
        { label: "Загружено (МСК)", value: (s) => f.moment(s.lastSuccessAt) },
        { label: "Строк в последний раз", num: true, value: (s) => f.int(s.rowsTaken) },
        { label: "Состояние", value: health },
        { label: "Продолжит", value: (s) => (s.continuesAt ? f.moment(s.continuesAt) : "") },
      ], c.sources, { testid: "sources" }),
      h("p", { class: "muted" }, `Права ключа: ${c.categories.join(", ") || "—"}.`));
  }
  await load();
  ctx.every(30000, load);
}
