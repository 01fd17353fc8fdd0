// Charts with uPlot 1.6.32 (MIT, vendored in ../vendor, never from a CDN). Every chart comes with its
// numbers as a table (collapsed under the chart) for screen readers, keyboard users and tests alike.

import uPlot from "../vendor/uPlot.esm.js";
import { h } from "./dom.js";

const INK = "#3056d3";
const INK2 = "#e0823d";

function tick(x, days) {
  if (!days) return x;
  const [, m, d] = x.split("-");
  return `${d}.${m}`;
}

function sized(box, make) {
  let plot = null;
  const draw = () => {
    const width = Math.max(280, Math.floor(box.clientWidth || 600));
    if (plot) plot.setSize({ width, height: 220 });
    else plot = make(width);
  };
  requestAnimationFrame(draw);
  new ResizeObserver(() => plot && draw()).observe(box);
}

/**
 * A chart of one or two series over Moscow days or over labels.
 * points: [{ x: "2026-11-30" | label, y: number, y2?: number }]; kind "bars" or "line".
 */
const compact = new Intl.NumberFormat("ru-RU", { notation: "compact", maximumFractionDigits: 1 });

export function chart({ title, points, series, kind = "bars", days = true, format = (v) => v, axis = compact.format, testid }) {
  const box = h("div", { class: "chart", role: "img", "aria-label": title });
  // The x axis counts points (days are Moscow calendar days as the API names them, never re-dated by the
  // browser's zone); ticks show each point's day "dd.mm" or its label, on whole steps only.
  const xs = points.map((p, i) => i);
  const data = [xs, ...series.map((s) => points.map((p) => p[s.key]))];
  const paths = kind === "bars" ? uPlot.paths.bars({ size: [0.7, 60] }) : undefined;
  sized(box, (width) => new uPlot({
    width, height: 220,
    scales: { x: { time: false, range: (u, lo, hi) => [lo - 0.6, hi + 0.6] } },
    legend: { show: series.length > 1 },
    cursor: { drag: { x: false, y: false } },
    axes: [
      { stroke: "#555", space: 44, incrs: [1, 2, 3, 5, 7, 10, 14, 30, 60, 91],
        values: (u, splits) => splits.map((i) => (Number.isInteger(i) && points[i] ? tick(points[i].x, days) : "")) },
      { stroke: "#555", size: 64, values: (u, vals) => vals.map((v) => axis(v)) },
    ],
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: i ? INK2 : INK, width: 2,
      fill: kind === "bars" ? (i ? INK2 : INK) + "cc" : INK + "22", paths: i ? undefined : paths,
      value: (u, v) => (v === null || v === undefined ? "—" : format(v)),
    }))],
  }, data, box));
  const rows = points.map((p) => h("tr", {}, h("th", { scope: "row" }, days ? p.x.split("-").reverse().join(".") : p.x),
    series.map((s) => h("td", { class: "num", "data-key": s.key }, format(p[s.key])))));
  const numbers = h("details", { class: "chart-data" }, h("summary", {}, "Цифры графика"),
    h("table", { class: "grid", "data-testid": testid },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, days ? "День" : ""), series.map((s) => h("th", { scope: "col", class: "num" }, s.label)))),
      h("tbody", {}, rows)));
  return h("figure", { class: "figure", "data-testid": testid && `${testid}-figure`,
    "data-points": JSON.stringify(points.map((p) => [p.x, ...series.map((s) => p[s.key])])) },
  h("figcaption", {}, title), box, numbers);
}
