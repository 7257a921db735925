// Owner dashboard: today against yesterday and the same day last week, a 30-day trend, revenue by
// channel, best sellers, staff ranking and low stock, for a date range and a channel; CSV for Excel.
// Every figure comes from the rollups (GET /reports/...), so the screen opens in one round of requests.
import {useState} from "preact/hooks";
import {get, getText} from "../api.js";
import {addWords, money, t} from "../i18n.js";
import {ErrorNote, Loading, Money, html, useLoad} from "../ui.js";

addWords({
  vi: {rpTitle: "Báo cáo", rpToday: "Hôm nay", rpYesterday: "Hôm qua", rpLastWeek: "Cùng ngày tuần trước",
    rpOrders: "đơn", rpTrend: "Doanh thu 30 ngày", rpChannels: "Doanh thu theo kênh", rpBest: "Bán chạy",
    rpStaff: "Nhân viên bán", rpLow: "Sắp hết hàng", rpFrom: "Từ ngày", rpTo: "Đến ngày", rpCsv: "Tải CSV",
    rpNothing: "Chưa có số liệu trong khoảng này.", rpCanceled: "hủy", rpAov: "TB/đơn", rpAllChannels: "Mọi kênh",
    rpStockValue: "Giá trị tồn kho (giá vốn)"},
  en: {rpTitle: "Reports", rpToday: "Today", rpYesterday: "Yesterday", rpLastWeek: "Same day last week",
    rpOrders: "orders", rpTrend: "Revenue, 30 days", rpChannels: "Revenue by channel", rpBest: "Best sellers",
    rpStaff: "Staff ranking", rpLow: "Low stock", rpFrom: "From", rpTo: "To", rpCsv: "Download CSV",
    rpNothing: "No figures in this range yet.", rpCanceled: "canceled", rpAov: "avg/order", rpAllChannels: "All channels",
    rpStockValue: "Stock value (at cost)"},
});

const CHANNELS = ["pos", "website", "facebook", "zalo", "livestream", "shopee", "lazada", "tiktok_shop"];

/** A local day as YYYY-MM-DD, `back` days before today (the device's calendar, as the owner reads it). */
function day(back = 0) {
  const d = new Date(Date.now() - back * 86400000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

function Kpi({id, label, row}) {
  return html`<div class="kpi" id=${id}><span class="sub">${label}</span>
    <b><${Money} value=${row ? row.revenue : 0} /></b>
    <span class="sub">${row ? row.orders - row.canceled : 0} ${t("rpOrders")}</span></div>`;
}

/** 30 bars of revenue, drawn as one small SVG (readable at 360 px). */
function Trend({rows, from, to}) {
  const days = [];
  for (let d = new Date(from + "T00:00:00Z"); d <= new Date(to + "T00:00:00Z"); d = new Date(d.getTime() + 86400000)) {
    days.push(d.toISOString().slice(0, 10));
  }
  const byDay = Object.fromEntries(rows.map((r) => [r.key, r.revenue]));
  const top = Math.max(1, ...days.map((d) => byDay[d] || 0));
  const width = 320, height = 90, bar = width / Math.max(days.length, 1);
  return html`<svg id="trend" viewBox=${`0 0 ${width} ${height + 14}`} width="100%" role="img" aria-label=${t("rpTrend")}>
    ${days.map((d, i) => {
      const h = Math.round(((byDay[d] || 0) / top) * height);
      return html`<rect x=${i * bar + 1} y=${height - h} width=${Math.max(bar - 2, 1)} height=${h} fill="#1f7a52"><title>${d}: ${money(byDay[d] || 0)}</title></rect>`;
    })}
    <text x="0" y=${height + 12} font-size="10" fill="#666">${days[0] || ""}</text>
    <text x=${width} y=${height + 12} font-size="10" fill="#666" text-anchor="end">${days[days.length - 1] || ""}</text></svg>`;
}

function Bars({id, rows, title}) {
  const top = Math.max(1, ...rows.map((r) => r.revenue));
  return html`<section class="card" id=${id}><h2>${title}</h2>
    ${rows.length ? html`<ul class="list bars">${rows.map((r) => html`<li data-key=${r.key}>
      <span class="row"><b>${r.label}</b><${Money} value=${r.revenue} /></span>
      <span class="bar" style=${`display:block;height:6px;border-radius:3px;background:#1f7a52;width:${Math.round((r.revenue / top) * 100)}%`}></span>
      <span class="sub">${r.orders - r.canceled} ${t("rpOrders")} · ${r.units} sp${r.canceled ? ` · ${r.canceled} ${t("rpCanceled")}` : ""}</span></li>`)}</ul>`
      : html`<p class="hint">${t("rpNothing")}</p>`}</section>`;
}

async function downloadCsv(params) {
  const text = await getText("/reports/sales?" + new URLSearchParams({...params, format: "csv"}));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
  link.download = `doanh-thu-${params.group_by}-${params.from}-${params.to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

export function Reports({me}) {
  const [range, setRange] = useState({from: day(29), to: day(0), channel: ""});
  const [error, setError] = useState(null);
  const base = {from: range.from, to: range.to, ...(range.channel ? {channel: range.channel} : {})};
  const data = useLoad(() => Promise.all([
    get("/reports/sales", {from: day(7), to: day(0), group_by: "day", ...(range.channel ? {channel: range.channel} : {})}),
    get("/reports/sales", {...base, group_by: "day"}),
    get("/reports/sales", {from: range.from, to: range.to, group_by: "channel"}),
    range.channel ? Promise.resolve({rows: []}) : get("/reports/sales", {from: range.from, to: range.to, group_by: "product"}),
    range.channel ? Promise.resolve({rows: []}) : get("/reports/sales", {from: range.from, to: range.to, group_by: "staff"}),
    get("/reports/stock"),
  ]), [range.from, range.to, range.channel]);
  const onFilter = (ev) => {
    const f = new FormData(ev.currentTarget);
    setRange({from: f.get("from") || range.from, to: f.get("to") || range.to, channel: f.get("channel") || ""});
  };
  if (data.error) return html`<${ErrorNote} error=${data.error} />`;
  const [week, trend, channels, products, staff, stock] = data.data || [];
  const pick = (back) => week && week.rows.find((r) => r.key === day(back));
  return html`<div class="stack" id="reports">
    <h1>${t("rpTitle")}</h1>
    <form class="card filters" id="report-filters" onChange=${onFilter} onSubmit=${(e) => e.preventDefault()}>
      <label><span>${t("rpFrom")}</span><input type="date" name="from" value=${range.from} max=${range.to} /></label>
      <label><span>${t("rpTo")}</span><input type="date" name="to" value=${range.to} min=${range.from} /></label>
      <label><span>${t("channel")}</span><select name="channel">
        <option value="">${t("rpAllChannels")}</option>
        ${CHANNELS.map((c) => html`<option value=${c} selected=${range.channel === c}>${t("channels." + c)}</option>`)}</select></label>
    </form>
    ${!data.data ? html`<${Loading} />` : html`
      <section class="card kpis" id="today">
        <${Kpi} id="kpi-today" label=${t("rpToday")} row=${pick(0)} />
        <${Kpi} id="kpi-yesterday" label=${t("rpYesterday")} row=${pick(1)} />
        <${Kpi} id="kpi-last-week" label=${t("rpLastWeek")} row=${pick(7)} /></section>
      <section class="card"><h2>${t("rpTrend")}</h2><${Trend} rows=${trend.rows} from=${range.from} to=${range.to} />
        <p class="row sub"><span>${t("total")}: <b id="range-revenue"><${Money} value=${trend.totals.revenue} /></b></span>
          <span>${t("rpAov")}: <${Money} value=${trend.totals.aov} /></span></p>
        <button type="button" class="secondary" id="csv" onClick=${() => downloadCsv({...base, group_by: "day"}).catch(setError)}>${t("rpCsv")}</button>
        <${ErrorNote} error=${error} /></section>
      <${Bars} id="by-channel" rows=${channels.rows} title=${t("rpChannels")} />
      ${!range.channel && html`<${Bars} id="best-sellers" rows=${products.rows.slice(0, 5)} title=${t("rpBest")} />`}
      ${!range.channel && html`<${Bars} id="staff-ranking" rows=${staff.rows} title=${t("rpStaff")} />`}
      <section class="card" id="low-stock"><h2>${t("rpLow")}</h2>
        <p class="sub">${t("rpStockValue")}: <b><${Money} value=${stock.stock_value} /></b></p>
        ${stock.low_stock.length ? html`<ul class="list">${stock.low_stock.map((s) => html`<li>
          <a href=${"#/stock/" + encodeURIComponent(s.sku)} class="row"><b>${s.name || s.sku}</b><span>${s.available} / ${s.threshold}</span></a></li>`)}</ul>`
          : html`<p class="hint">—</p>`}</section>`}
  </div>`;
}
