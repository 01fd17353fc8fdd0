// "Себестоимость" (seed 002 §5, "COGS по заказам"): a week's unit economics per SKU, the SKUs sold without
// a cost highlighted with their revenue, a cost editor per SKU with its version history, and a CSV upload
// that is checked by the server first (a dry run) and applied only when every row is good.

import { api, ApiError } from "../api.js";
import { card, clear, h, table, toast } from "../dom.js";
import * as f from "../format.js";

const PAGE_SIZE = 100;

export async function render(view, ctx) {
  const today = ctx.config.today || f.moscowDay();
  // The last closed week by default: WB reports a week on the Monday after it, and the week under way has
  // hardly begun on a Monday.
  const requested = ctx.params.get("week");
  const state = { week: /^\d{4}-W\d{2}$/.test(requested || "") ? requested : f.isoWeek(f.addDays(today, -7)), offset: 0 };
  const weekInput = h("input", { type: "week", id: "week", value: state.week, onchange: (e) => e.target.value && go(e.target.value) });
  const areas = { banner: h("div"), kpis: h("div", { class: "cards" }), table: h("section"), upload: h("section") };
  const editor = h("dialog", { class: "cogs-editor", "aria-labelledby": "editor-title" });
  const root = h("section", { class: "cogs" },
    h("div", { class: "toolbar" },
      h("h1", {}, "Себестоимость и прибыль по SKU"),
      h("button", { type: "button", "aria-label": "Предыдущая неделя", onclick: () => go(shift(-7)) }, "←"),
      h("label", {}, "Неделя ", weekInput),
      h("button", { type: "button", "aria-label": "Следующая неделя", onclick: () => go(shift(7)) }, "→"),
      h("span", { class: "muted", id: "week-days" })),
    areas.banner, areas.kpis, areas.table, areas.upload);
  clear(view, root, editor);
  areas.upload.append(uploadForm());

  function shift(days) { return f.isoWeek(f.addDays(f.weekMonday(state.week), days)); }
  function go(week) { state.week = week; state.offset = 0; weekInput.value = week; load(); }

  async function load() {
    ctx.setQuery({ week: state.week });
    document.body.dataset.state = "loading";
    const [page, missing] = await Promise.all([
      api("/v1/analytics/weekly/by-sku", { query: { week: state.week, includeCogs: true, limit: PAGE_SIZE, offset: state.offset } }),
      api("/v1/cogs/missing", { query: { week: state.week } }),
    ]);
    if (!ctx.live()) return;
    root.dataset.week = state.week;
    document.getElementById("week-days").textContent = `${f.day(page.week.first_day)} — ${f.day(page.week.last_day)}`;
    clear(areas.banner, page.week.provisional
      ? h("p", { class: "note", role: "note" }, "Финансовый отчёт WB за эту неделю ещё не пришёл: цифры по продажам из статистики, расходы WB появятся с отчётом.")
      : null);
    drawKpis(page, missing);
    drawTable(page);
    document.body.dataset.state = "ready";
  }

  function drawKpis(page, missing) {
    const rows = page.data;
    const sum = (key) => rows.reduce((s, r) => s + (r[key] || 0), 0);
    const costed = rows.filter((r) => !r.missing_cogs_flag);
    clear(areas.kpis,
      card("Выручка", f.rub0(sum("revenue_gross")), `к перечислению ${f.rub0(sum("revenue_net"))}`, "kpi-revenue"),
      card("Себестоимость", f.rub0(costed.reduce((s, r) => s + r.cogs, 0)), `${costed.length} SKU с себестоимостью`, "kpi-cogs"),
      card("Чистая прибыль", f.rub0(costed.reduce((s, r) => s + r.net_profit, 0)), "без SKU, где нет себестоимости", "kpi-profit"),
      card("Без себестоимости", `${f.int(missing.meta.skus)} SKU`, `выручка ${f.rub0(missing.meta.revenue)}`, "kpi-missing"),
    );
    if (page.pagination.total > rows.length) areas.kpis.append(h("p", { class: "muted" }, `Итоги по SKU этой страницы (${rows.length} из ${page.pagination.total}).`));
  }

  function drawTable(page) {
    const edit = (r) => h("button", { type: "button", class: r.missing_cogs_flag ? "primary small" : "small", "data-edit": r.nm_id,
      onclick: () => openEditor(r) }, r.missing_cogs_flag ? "Указать" : "Изменить");
    const { total, offset } = page.pagination;
    clear(areas.table,
      h("h2", {}, "SKU за неделю"),
      table([
        { label: "Артикул WB", value: (r) => [r.nm_id, h("div", { class: "muted" }, [r.sa_name, r.brand, r.category].filter(Boolean).join(" · "))] },
        { label: "Шт.", num: true, value: (r) => f.int(r.total_units) },
        { label: "Выручка", num: true, value: (r) => f.rub(r.revenue_gross) },
        { label: "К перечислению", num: true, value: (r) => f.rub(r.revenue_net) },
        { label: "Логистика", num: true, value: (r) => f.rub(r.logistics_cost) },
        { label: "Хранение", num: true, value: (r) => f.rub(r.storage_cost) },
        { label: "Штрафы и прочее", num: true, value: (r) => f.rub(r.penalties + r.other_costs) },
        { label: "Себестоимость", num: true, value: (r) => (r.missing_cogs_flag ? h("span", { class: "warn" }, "нет") : f.rub(r.cogs)) },
        { label: "Прибыль", num: true, value: (r) => f.rub(r.profit) },
        { label: "Маржа", num: true, value: (r) => f.pct(r.margin_pct) },
        { label: "Чистая прибыль", num: true, value: (r) => f.rub(r.net_profit) },
        { label: "ROI", num: true, value: (r) => f.pct(r.roi) },
        { label: "", value: edit },
      ], page.data, { testid: "by-sku", rowAttrs: (r) => ({ class: r.missing_cogs_flag ? "missing" : null, "data-nm": r.nm_id }) }),
      h("div", { class: "pager" },
        h("button", { type: "button", disabled: offset === 0, onclick: () => { state.offset -= PAGE_SIZE; load(); } }, "← Назад"),
        h("span", {}, `${f.int(total ? offset + 1 : 0)}–${f.int(offset + page.data.length)} из ${f.int(total)}`),
        h("button", { type: "button", disabled: offset + PAGE_SIZE >= total, onclick: () => { state.offset += PAGE_SIZE; load(); } }, "Вперёд →")));
  }

  async function openEditor(row) {
    const history = await api("/v1/cogs/history", { query: { nm_id: row.nm_id, include_deleted: true, limit: 100 } });
    const error = h("p", { class: "error", role: "alert", "data-testid": "editor-error" });
    // A new cost from twelve weeks before the week by default: the week's returns reverse sales of earlier
    // weeks at the cost of their own day, so a cost from the Monday alone would leave them without one.
    const since = f.addDays(f.weekMonday(state.week), -84);
    const form = versionForm({ valid_from: since }, "Добавить версию", async (values) => {
      await api("/v1/cogs", { method: "POST", body: { nm_id: Number(row.nm_id), ...values } });
    }, error);
    const versions = table([
      { label: "С", value: (v) => f.day(v.valid_from) },
      { label: "По", value: (v) => (v.valid_to ? f.day(v.valid_to) : "бессрочно") },
      { label: "Цена за шт.", num: true, value: (v) => f.rub(v.unit_cost) },
      { label: "Статус", value: (v) => (v.is_active ? "действует" : `удалена ${f.moment(v.deleted_at)}`) },
      { label: "", value: (v) => (v.is_active ? [
        h("button", { type: "button", class: "small", onclick: () => editVersion(v) }, "Исправить"), " ",
        h("button", { type: "button", class: "small danger", onclick: () => write(() => api(`/v1/cogs/${v.id}`, { method: "DELETE" }), error, "Версия удалена") }, "Удалить"),
      ] : "") },
    ], history.data, { testid: "cogs-history", rowAttrs: (v) => ({ class: v.is_active ? null : "deleted" }) });
    const slot = h("div");
    function editVersion(v) {
      clear(slot, versionForm(v, "Сохранить исправление", async (values) => {
        await api(`/v1/cogs/${v.id}`, { method: "PUT", body: { nm_id: Number(row.nm_id), ...values } });
      }, error));
      slot.querySelector("input").focus();
    }
    clear(editor,
      h("h2", { id: "editor-title" }, `Себестоимость артикула ${row.nm_id}`),
      h("p", { class: "muted" }, `${row.sa_name || ""} · сейчас: ${history.meta.current_cogs === null ? "не задана" : f.rub(history.meta.current_cogs)}`),
      versions, error, slot, form,
      h("form", { method: "dialog" }, h("button", { type: "submit" }, "Закрыть")));
    editor.showModal();
    form.querySelector("input").focus();
  }

  function versionForm(v, label, send, error) {
    return h("form", { class: "version", onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      const values = { unit_cost: data.get("unit_cost").replace(",", "."), currency: "RUB", valid_from: data.get("valid_from"), valid_to: data.get("valid_to") || null };
      await write(() => send(values), error, "Сохранено");
    } },
    h("label", {}, "Цена за шт., ₽", h("input", { name: "unit_cost", required: true, inputmode: "decimal", value: v.unit_cost ?? "", size: 10 })),
    h("label", {}, "Действует с", h("input", { name: "valid_from", type: "date", required: true, value: v.valid_from || "" })),
    h("label", {}, "по (включительно)", h("input", { name: "valid_to", type: "date", value: v.valid_to || "" })),
    h("button", { type: "submit", class: "primary" }, label));
  }

  async function write(action, error, done) {
    error.textContent = "";
    try {
      await action();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error.textContent = [e.message, ...e.details.map((d) => `${d.field}: ${d.reason}`)].join(" · ");
      return;
    }
    editor.close();
    toast(done);
    await load();
  }

  function uploadForm() {
    const result = h("div", { "data-testid": "upload-result", "aria-live": "polite" });
    const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv", id: "cogs-file" });
    let text = null;
    const apply = h("button", { type: "button", class: "primary", disabled: true, onclick: async () => {
      const answer = await bulk(text, false, result);
      if (answer) { toast(`Применено версий: ${answer.applied}`); apply.disabled = true; await load(); }
    } }, "Применить");
    file.addEventListener("change", async () => {
      apply.disabled = true;
      if (!file.files.length) return;
      text = await file.files[0].text();
      const preview = await bulk(text, true, result);
      apply.disabled = !preview;
    });
    return h("div", { class: "upload" },
      h("h2", {}, "Загрузка себестоимости из CSV"),
      h("p", { class: "muted" }, "Столбцы: nm_id, unit_cost, valid_from, необязательно valid_to и currency (RUB); разделитель «,» или «;» (с «;» — десятичная запятая). Сначала файл проверяется целиком: если есть ошибки, ничего не применяется."),
      h("label", {}, "Файл CSV ", file), " ", apply, result);
  }

  async function bulk(text, dryRun, result) {
    try {
      const answer = await api("/v1/cogs/bulk", { method: "POST", query: { dry_run: dryRun }, raw: text, contentType: "text/csv" });
      clear(result, h("p", { class: "ok" }, dryRun ? `Файл проверен: ${answer.data.length} строк без ошибок. Нажмите «Применить».` : `Применено: ${answer.applied}.`),
        table([{ label: "Строка", num: true, value: (r) => r.row }, { label: "Артикул", value: (r) => r.nm_id },
          { label: "Цена", num: true, value: (r) => f.rub(r.unit_cost) }, { label: "С", value: (r) => f.day(r.valid_from) },
          { label: "По", value: (r) => (r.valid_to ? f.day(r.valid_to) : "бессрочно") }], answer.data, { testid: "upload-rows" }));
      return answer;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      const rows = e.details.map((d) => ({ where: d.field.replace(/^rows\.(\d+)\./, "строка $1, столбец "), reason: d.reason }));
      const bad = new Set(e.details.filter((d) => d.field.startsWith("rows.")).map((d) => d.field.split(".")[1])).size;
      const headline = bad ? `Строк с ошибками: ${bad}. Ничего не применено.` : "Файл не принят. Ничего не применено.";
      clear(result, h("p", { class: "error", role: "alert" }, headline),
        table([{ label: "Где", value: (r) => r.where }, { label: "Ошибка", value: (r) => r.reason }], rows, { testid: "upload-errors" }));
      return null;
    }
  }

  await load();
}
