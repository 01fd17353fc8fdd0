// The page's shell: sign-in, the cabinet switcher, the router between the sections, and the
// `data-page` / `data-state` marks on <body> ("ready" once a section's data is drawn) that tests wait for.

import { api, ApiError, refresh, session, signInWithCode, signInWithTelegram, signOut } from "./api.js";
import { clear, h, toast } from "./dom.js";

const PAGES = {
  orders: () => import("./pages/orders.js"),
  products: () => import("./pages/products.js"),
  cogs: () => import("./pages/cogs.js"),
  notifications: () => import("./pages/notifications.js"),
  cabinet: () => import("./pages/cabinet.js"),
};
const view = document.getElementById("view");
const header = document.querySelector("header.top");
let config = { telegramBot: null, today: null };
let me = null;
let timers = [];
let generation = 0;

function section() {
  const name = location.pathname.replace(/^\/app\/?/, "").split("/")[0];
  return name === "" ? "orders" : name;
}

function mark(page, state) {
  document.body.dataset.page = page;
  document.body.dataset.state = state;
}

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

async function loadConfig() {
  const response = await fetch("/app/config.json", { credentials: "same-origin" });
  config = await response.json();
  return config;
}

async function signInFromUrl() {
  const params = new URLSearchParams(location.search);
  if (location.pathname.startsWith("/app/login") && params.has("code")) {
    // The code is good once: take it out of the address bar and the history before anything else.
    history.replaceState(null, "", "/app/login");
    await signInWithCode(params.get("code"));
    return true;
  }
  if (location.pathname.startsWith("/app/login") && params.has("hash") && params.has("id")) {
    history.replaceState(null, "", "/app/login"); // the widget's redirect (data-auth-url)
    await signInWithTelegram(Object.fromEntries(params));
    return true;
  }
  return false;
}

function loginPage(message) {
  header.hidden = true;
  const widget = h("div", { class: "widget" });
  if (config.telegramBot) {
    widget.append(h("script", {
      async: true, src: "https://telegram.org/js/telegram-widget.js?22", "data-telegram-login": config.telegramBot,
      "data-size": "large", "data-auth-url": `${location.origin}/app/login`, "data-request-access": "write",
    }));
  }
  clear(view,
    h("section", { class: "login" },
      h("h1", {}, "Вход в wb-pulse"),
      message ? h("p", { class: "error", role: "alert" }, message) : null,
      h("p", {}, "Откройте ссылку для входа из нашего Telegram-бота: в ней одноразовый код на 5 минут."),
      config.telegramBot ? [h("p", {}, "Или войдите через Telegram:"), widget] : null,
    ));
  mark("login", "ready");
}

function fillHeader() {
  header.hidden = false;
  const select = document.getElementById("cabinet");
  clear(select, me.cabinets.map((c) => h("option", { value: c.id, selected: c.id === session.cabinet },
    c.status === "invalid" ? `${c.name} (ключ недействителен)` : c.name)));
  select.disabled = me.cabinets.length < 2;
  document.getElementById("who").textContent = me.username ? `@${me.username}` : me.firstName || `id ${me.telegramId}`;
}

async function signedIn() {
  me = await api("/v1/me", { cabinet: false });
  const ids = me.cabinets.map((c) => c.id);
  const remembered = session.rememberedCabinet();
  session.cabinet = ids.includes(remembered) ? remembered : ids[0] || null;
  fillHeader();
}

export async function route() {
  const mine = ++generation;
  timers.forEach(clearInterval);
  timers = [];
  let name = section();
  if (name === "login") { navigate("/app/orders", { replace: true }); return; }
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (!PAGES[name]) {
    clear(view, h("h1", {}, "Страница не найдена"), h("p", {}, h("a", { href: "/app/orders" }, "К заказам")));
    mark("not-found", "ready");
    return;
  }
  if (!session.cabinet && name !== "notifications") {
    clear(view, h("h1", {}, "Нет подключённых кабинетов"),
      h("p", {}, "Подключите кабинет Wildberries в боте (/connect), затем обновите страницу."));
    mark(name, "ready");
    return;
  }
  mark(name, "loading");
  const ctx = {
    config, me, navigate,
    params: new URLSearchParams(location.search),
    cabinet: me.cabinets.find((c) => c.id === session.cabinet),
    live: () => mine === generation,
    every(ms, fn) { timers.push(setInterval(() => { if (!document.hidden && mine === generation) fn(); }, ms)); },
    setQuery(params) {
      const search = new URLSearchParams(params).toString();
      history.replaceState(null, "", location.pathname + (search ? `?${search}` : ""));
    },
  };
  try {
    const page = await PAGES[name]();
    await page.render(view, ctx);
    if (mine === generation) mark(name, "ready");
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && error.status === 401) { loginPage("Сессия закончилась: войдите снова."); return; }
    clear(view, h("h1", {}, "Не удалось загрузить"), h("p", { class: "error", role: "alert" }, error.message));
    mark(name, "error");
  }
}

function wire() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='/app/']");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || link.target) return;
    event.preventDefault();
    navigate(link.getAttribute("href"));
  });
  window.addEventListener("popstate", route);
  document.getElementById("cabinet").addEventListener("change", (event) => {
    session.cabinet = event.target.value;
    route();
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await signOut();
    history.replaceState(null, "", "/app/login");
    loginPage("Вы вышли.");
  });
}

async function start() {
  wire();
  await loadConfig();
  try {
    const fresh = await signInFromUrl();
    if (!fresh && !(await refresh())) { loginPage(); return; }
  } catch (error) {
    loginPage(error.status === 401 ? "Ссылка для входа недействительна или уже использована: попросите в боте новую." : error.message);
    return;
  }
  await signedIn();
  if (section() === "login") history.replaceState(null, "", "/app/orders");
  await route();
}

start().catch((error) => {
  toast(error.message, "error");
  mark(section(), "error");
});
