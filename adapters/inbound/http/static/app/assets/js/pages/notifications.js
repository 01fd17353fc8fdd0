// "Уведомления": the member's notification settings (seed 000 §1: the toggles and thresholds) and the
// delivery log of what the bot was sent, with each attempt and a resend.

import { api, ApiError } from "../api.js";
import { clear, h, table, toast } from "../dom.js";
import * as f from "../format.js";

const TOGGLES = {
  notifications_enabled: "Все уведомления",
  new_orders_enabled: "Новые заказы",
  order_buyouts_enabled: "Выкупы",
  order_cancellations_enabled: "Отмены",
  order_returns_enabled: "Возвраты",
  negative_reviews_enabled: "Негативные отзывы",
  critical_stocks_enabled: "Критичные остатки",
  missing_cogs_enabled: "Нет себестоимости (итоги недели)",
  grouping_enabled: "Группировать всплески заказов",
};
export const TYPES = {
  new_order: "Новый заказ", order_buyout: "Выкуп", order_cancellation: "Отмена", order_return: "Возврат",
  negative_review: "Негативный отзыв", critical_stocks: "Критичный остаток", cabinet_invalid: "Ключ недействителен",
  token_expiring: "Ключ истекает", sync_completed: "Данные загружены", missing_cogs: "Нет себестоимости",
};
const STATUSES = { pending: "в очереди", sent: "доставлено", failed: "не доставлено", suppressed: "не отправлялось" };
const REASONS = {
  notifications_disabled: "уведомления выключены", type_disabled: "тип выключен", below_threshold: "не дошло до порога",
  ignored_sku: "артикул в списке исключений", too_old: "слишком старое", backfill: "история при подключении",
  grouped: "вошло в сводку",
};
const LOG_SIZE = 20;

export async function render(view, ctx) {
  const log = { offset: 0, status: "", type: "" };
  const settingsBox = h("section", { "aria-labelledby": "settings-title" });
  const logBox = h("section", { "aria-labelledby": "log-title" });
  clear(view, h("h1", {}, "Уведомления"), settingsBox, logBox);

  async function loadSettings() {
    const { data } = await api("/v1/notifications/settings", { cabinet: false });
    const status = h("p", { role: "status", class: "muted", "data-testid": "settings-status" });
    const save = async (changes) => {
      try {
        const answer = await api("/v1/notifications/settings", { method: "PATCH", body: changes, cabinet: false });
        status.textContent = `Сохранено в ${new Date().toLocaleTimeString("ru-RU", { timeZone: "Europe/Moscow" })}`;
        return answer.data;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        status.textContent = `Не сохранено: ${e.details.map((d) => `${d.field}: ${d.reason}`).join("; ") || e.message}`;
        return null;
      }
    };
    const toggles = Object.entries(TOGGLES).map(([key, label]) =>
      h("label", { class: "switch" }, h("input", { type: "checkbox", name: key, checked: data[key],
        onchange: async (e) => { if (!(await save({ [key]: e.target.checked }))) e.target.checked = !e.target.checked; } }), label));
    const number = (key, label, attrs, hint) => h("label", {}, label,
      h("input", { type: "number", name: key, value: data[key], ...attrs, onchange: async (e) => {
        const value = Number(e.target.value);
        if (!Number.isInteger(value) || !(await save({ [key]: value }))) e.target.value = data[key];
        else data[key] = value;
      } }), hint ? h("span", { class: "muted" }, hint) : null);
    const days = h("label", {}, "Остаток считается критичным, если его хватит на",
      h("select", { name: "stock_analysis_days", onchange: (e) => save({ stock_analysis_days: Number(e.target.value) }) },
        [1, 3, 7, 10, 14].map((d) => h("option", { value: d, selected: d === data.stock_analysis_days }, `${d} дн.`))));
    clear(settingsBox,
      h("h2", { id: "settings-title" }, "Настройки"),
      h("fieldset", { class: "toggles" }, h("legend", {}, "Что присылать в Telegram"), toggles),
      h("fieldset", { class: "numbers" }, h("legend", {}, "Пороги"),
        number("review_rating_threshold", "Отзывы с оценкой не выше", { min: 0, max: 5 }, "0 — не присылать"),
        days,
        number("max_group_size", "Заказов в одной сводке не больше", { min: 1, max: 50 }),
        number("group_timeout", "Ждать сводку, секунд", { min: 1, max: 300 })),
      ignoreList(data.stock_ignore_list, status),
      status);
  }

  function ignoreList(nmIds, status) {
    const box = h("fieldset", { class: "ignore", "data-testid": "stock-ignore" });
    const change = async (request, done) => {
      try {
        const { data } = await request();
        draw(data.nm_ids);
        status.textContent = done;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        status.textContent = `Не сохранено: ${e.details.map((d) => `${d.field}: ${d.reason}`).join("; ") || e.message}`;
      }
    };
    const input = h("input", { name: "ignore_nm_id", size: 24, placeholder: "например 300822468, 300822469", "aria-label": "Артикулы WB" });
    const form = h("form", { class: "filters", onsubmit: (e) => {
      e.preventDefault();
      const nmIds = input.value.split(/[\s,;]+/).filter(Boolean).map(Number);
      if (!nmIds.length) return;
      if (!nmIds.every((nm) => Number.isInteger(nm) && nm > 0)) { status.textContent = "Артикул WB — это число, например 300822468."; return; }
      input.value = "";
      change(() => api("/v1/notifications/settings/stock-ignore-list", { method: "POST", body: { nm_ids: nmIds }, cabinet: false }), "Артикулы добавлены");
    } }, h("label", {}, "Не сообщать об остатках артикулов ", input), h("button", { type: "submit" }, "Добавить"));
    function draw(list) {
      clear(box, h("legend", {}, "Артикулы без уведомлений об остатках"),
        list.length ? h("ul", { class: "chips" }, list.map((nm) => h("li", {}, String(nm), " ",
          h("button", { type: "button", class: "small", "aria-label": `Снова сообщать об остатках ${nm}`, "data-unignore": nm,
            onclick: () => change(() => api("/v1/notifications/settings/stock-ignore-list", { method: "DELETE", query: { nm_id: nm }, cabinet: false }), "Артикул убран из списка") }, "×"))))
          : h("p", { class: "muted" }, "Список пуст: об остатках сообщается по всем артикулам."),
        form);
    }
    draw(nmIds);
    return box;
  }

  async function loadLog() {
    const { data } = await api("/v1/notifications/history", { cabinet: false, query: { limit: LOG_SIZE, offset: log.offset, status: log.status, type: log.type } });
    const filter = (name, label, options) => h("label", {}, label, h("select", { name, onchange: (e) => { log[name] = e.target.value; log.offset = 0; loadLog(); } },
      h("option", { value: "" }, "все"), Object.entries(options).map(([k, v]) => h("option", { value: k, selected: log[name] === k }, v))));
    const resend = (n) => (n.status === "pending" ? "" : h("button", { type: "button", class: "small", "data-resend": n.id, onclick: async () => {
      await api(`/v1/notifications/${n.id}/resend`, { method: "POST", cabinet: false });
      toast("Отправлено повторно");
      loadLog();
    } }, "Отправить ещё раз"));
    const shown = data.items.length ? `${log.offset + 1}–${log.offset + data.items.length} из ${data.total}` : `0 из ${data.total}`;
    clear(logBox,
      h("h2", { id: "log-title" }, "Журнал доставки"),
      h("div", { class: "filters" }, filter("status", "Статус", STATUSES), filter("type", "Тип", TYPES)),
      table([
        { label: "Создано (МСК)", value: (n) => f.moment(n.created_at) },
        { label: "Тип", value: (n) => [TYPES[n.type] || n.type, n.is_test ? " (тест)" : "", n.is_summary ? " (сводка)" : ""] },
        { label: "Статус", value: (n) => [STATUSES[n.status] || n.status, n.reason ? h("div", { class: "muted" }, REASONS[n.reason] || n.reason) : ""] },
        { label: "Попыток", num: true, value: (n) => n.attempts },
        { label: "Доставлено", value: (n) => f.moment(n.sent_at) },
        { label: "Ошибка", value: (n) => n.last_error || "" },
        { label: "", value: resend },
      ], data.items, { testid: "delivery-log", rowAttrs: (n) => ({ "data-status": n.status }) }),
      h("div", { class: "pager" },
        h("button", { type: "button", disabled: log.offset === 0, onclick: () => { log.offset = Math.max(0, log.offset - LOG_SIZE); loadLog(); } }, "← Новее"),
        h("span", {}, shown),
        h("button", { type: "button", disabled: !data.has_more, onclick: () => { log.offset += LOG_SIZE; loadLog(); } }, "Старее →")));
  }

  await Promise.all([loadSettings(), loadLog()]);
  ctx.every(30000, loadLog);
}
