// Building the page from data without innerHTML: every text goes in as a text node (no markup injection).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function table(columns, rows, { caption, rowAttrs, testid } = {}) {
  // columns: [{ label, value: row => text|Node, num: bool, sort: key }]
  const head = h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)));
  const body = rows.map((row) =>
    h("tr", rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h("td", { class: c.num ? "num" : null }, c.value(row)))),
  );
  return h("div", { class: "scroll" }, h(
    "table",
    { class: "grid", "data-testid": testid },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, head),
    h("tbody", {}, body.length ? body : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Нет данных"))),
  ));
}

export function toast(text, kind = "info") {
  const box = document.getElementById("toast");
  box.dataset.kind = kind;
  box.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.textContent = ""), 6000);
}

export function card(label, value, note, testid) {
  return h("div", { class: "card", "data-testid": testid }, h("div", { class: "card-label" }, label),
    h("div", { class: "card-value" }, value), note ? h("div", { class: "card-note" }, note) : null);
}
