// Numbers and dates as a Russian seller reads them: "12 345,67 ₽", "30.11.2026", Moscow time throughout.

const TZ = "Europe/Moscow";
const rubles = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB", maximumFractionDigits: 2 });
const wholeRubles = new Intl.NumberFormat("ru-RU", { style: "currency", currency: "RUB", maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 2 });
const moscowDateTime = new Intl.DateTimeFormat("ru-RU", {
  timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
});
const isoDay = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });
const dash = "—";

export const rub = (v) => (v === null || v === undefined ? dash : rubles.format(v));
export const rub0 = (v) => (v === null || v === undefined ? dash : wholeRubles.format(v));
export const int = (v) => (v === null || v === undefined ? dash : integer.format(v));
export const num = (v) => (v === null || v === undefined ? dash : decimal.format(v));
export const pct = (v) => (v === null || v === undefined ? dash : `${decimal.format(v)} %`);
export const signed = (v, f = int) => (v === null || v === undefined ? dash : (v > 0 ? "+" : "") + f(v));

/** "2026-11-30" (a Moscow day) as "30.11.2026". */
export function day(iso) {
  if (!iso) return dash;
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** An instant (ISO 8601, UTC) in Moscow time: "30.11.2026, 14:05". */
export function moment(iso) {
  return iso ? moscowDateTime.format(new Date(iso)) : dash;
}

/** The Moscow day of an instant, "YYYY-MM-DD". */
export function moscowDay(date = new Date()) {
  return isoDay.format(date);
}

/** A Moscow day `n` days after `iso` (negative: before). */
export function addDays(iso, n) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The ISO week "YYYY-Www" of a day "YYYY-MM-DD". */
export function isoWeek(iso) {
  const thursday = new Date(`${iso}T00:00:00Z`);
  thursday.setUTCDate(thursday.getUTCDate() - ((thursday.getUTCDay() + 6) % 7) + 3); // its week's Thursday
  const year = thursday.getUTCFullYear(); // the Thursday's year is the week's
  const jan4 = new Date(Date.UTC(year, 0, 4)); // always in week 1
  const firstThursday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((thursday.getTime() - firstThursday) / (7 * 86400000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The Monday of an ISO week "YYYY-Www", as "YYYY-MM-DD". */
export function weekMonday(week) {
  const [y, w] = week.split("-W").map(Number);
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (w - 1) * 7);
  return monday.toISOString().slice(0, 10);
}

export const STATUS_RU = {
  new: "Новый", confirm: "На сборке", complete: "В доставке", cancel: "Отменён продавцом",
  cancel_carrier: "Отменён перевозчиком", unknown: "Без статуса продавца (FBW)",
  waiting: "В работе", sorted: "Отсортирован", sold: "Выкуплен", canceled: "Отменён",
  canceled_by_client: "Отменён покупателем", declined_by_client: "Отказ покупателя", defect: "Брак",
  ready_for_pickup: "Готов к выдаче", postponed_delivery: "Доставка отложена", canceled_by_missed_call: "Отмена: нет связи",
};
export const statusRu = (s) => (s ? STATUS_RU[s] || s : dash);
