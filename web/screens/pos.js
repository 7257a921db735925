// Counter sale: scan or search, quantities, discount, cash given and change, or a VietQR transfer,
// then the 80 mm receipt. Every sale goes through the outbox (IndexedDB, with its Idempotency-Key and
// a sale reference sent as external_id), so one made offline is sent once the device is back online.
// The catalog and stock levels are remembered on the device and shown "as of" when offline.
import {useEffect, useState} from "preact/hooks";
import {get, getText, outbox} from "../api.js";
import {fold, money, t, when} from "../i18n.js";
import {recall, remember} from "../store.js";
import {CameraScan} from "../camera.js";
import {ErrorNote, Money, MoneyInput, Stepper, buzz, html, printHtml, useWedge} from "../ui.js";
import {vietqrPayload, qrSvg} from "../vietqr.js";
import {bankAccount} from "./home.js";
import {myLocations} from "./order.js";
import {addLine} from "./new_order.js";
import {variantLabel} from "./products.js";

const CATALOG_PAGES = 10;
const LOCATION_KEY = "quay.posLocation";

export function saleReference() {
  return "POS-" + Date.now().toString(36).toUpperCase() + "-" + Math.random().toString(36).slice(2, 6).toUpperCase();
}

async function loadCatalog() {
  try {
    const products = [];
    let cursor = null, at = null;
    for (let page = 0; page < CATALOG_PAGES; page++) {
      const answer = await get("/products", {limit: 200, status: "active", cursor});
      products.push(...answer.items);
      at = at || answer.$cachedAt || null;
      cursor = answer.next_cursor;
      if (!cursor) break;
    }
    if (!at) await remember("catalog", products);
    return {products, at};
  } catch (error) {
    const known = await recall("catalog");
    if (!known) throw error;
    return {products: known.v, at: known.at};
  }
}

function localSearch(products, text) {
  const words = fold(text).split(/\s+/).filter(Boolean);
  return products.filter((p) => p.variants.some((v) => {
    const hay = fold([p.name, v.sku, v.barcode, ...Object.values(v.attributes || {})].join(" "));
    return words.every((w) => hay.includes(w));
  })).slice(0, 20);
}

function localCode(products, code) {
  const wanted = code.toLowerCase();
  for (const product of products) {
    const variant = product.variants.find((v) => v.barcode === code || v.sku.toLowerCase() === wanted);
    if (variant) return {variant, product};
  }
  return null;
}

/** The SKU's level at this location, from the server, else as last remembered on this device. */
async function levelAt(sku, locationId) {
  const key = `stock:${locationId}:${sku}`;
  try {
    const stock = await get(`/stock/${encodeURIComponent(sku)}`);
    const level = stock.locations.find((l) => l.location_id === locationId) || {available: 0};
    if (!stock.$cachedAt) { await remember(key, level.available); return {available: level.available, at: null}; }
    const known = await recall(key);  // offline: this device's own count (less its sales) may be newer
    return known && known.at > stock.$cachedAt ? {available: known.v, at: known.at} : {available: level.available, at: stock.$cachedAt};
  } catch {
    const known = await recall(key);
    return known ? {available: known.v, at: known.at} : null;
  }
}

function localReceipt(shop, body, total, reference) {
  const rows = body.lines.map((x) => `<tr><td>${x.name || x.sku}<br>${x.quantity} × ${money(x.price)}</td><td style="text-align:right">${money(x.quantity * x.price)}</td></tr>`).join("");
  return `<!doctype html><meta charset="utf-8"><style>body{width:72mm;font:12px monospace}table{width:100%}</style>
    <h3>${shop}</h3><p>${reference}<br>${when(new Date().toISOString())}</p><table>${rows}</table>
    <p>${t("discount")}: ${money(body.discount || 0)}<br><b>${t("total")}: ${money(total)}</b></p><p>${t("soldOffline")}</p>`;
}

function TransferQr({total, reference}) {
  const [svg, setSvg] = useState("");
  const bank = bankAccount();
  let payload = null;
  try { payload = bank && vietqrPayload({bin: bank.bin, account: bank.account, amount: total, purpose: reference}); } catch { payload = null; }
  useEffect(() => { if (payload) qrSvg(payload).then(setSvg).catch(() => setSvg("")); }, [payload]);
  if (!payload) return html`<p class="error" role="alert">${t("noBank")}</p>`;
  return html`<figure class="qr" id="vietqr" data-payload=${payload}>
    <div class="qr-image" dangerouslySetInnerHTML=${{__html: svg}}></div>
    <figcaption>${t("scanToPay", {total: money(total)})}<br />${bank.name || ""} · ${bank.account}</figcaption></figure>`;
}

function Outbox() {
  const [state, setState] = useState({pending: 0, failed: []});
  useEffect(() => outbox.subscribe(setState), []);
  if (!state.pending && !state.failed.length) return null;
  return html`<section class="card warn" id="outbox">
    ${state.pending > 0 && html`<p>${t("pendingSales", {n: state.pending})}</p>`}
    ${state.failed.map((e) => html`<div class="row"><span>${e.label || e.key}: ${e.failed}</span>
      <button type="button" class="link-danger" onClick=${() => outbox.discard(e.key)}>${t("discard")}</button></div>`)}</section>`;
}

export function Pos({me}) {
  const [locations, setLocations] = useState(null);
  const [locationId, setLocationId] = useState(localStorage.getItem(LOCATION_KEY) || "");
  const [catalog, setCatalog] = useState(null);
  const [lines, setLines] = useState([]);
  const [levels, setLevels] = useState({});
  const [text, setText] = useState("");
  const [discount, setDiscount] = useState(0);
  const [method, setMethod] = useState("cash");
  const [given, setGiven] = useState(0);
  const [reference, setReference] = useState(saleReference);
  const [camera, setCamera] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get("/locations").then((r) => { remember("locations", r.items); return r.items; })
      .catch(() => recall("locations").then((known) => (known ? known.v : [])))
      .then((all) => {
        const counters = myLocations(me, all).filter((l) => (l.channels || []).some((c) => c.channel === "pos"));
        setLocations(counters);
        if (!counters.some((l) => l.id === locationId) && counters[0]) setLocationId(counters[0].id);
      });
    loadCatalog().then(setCatalog).catch((e) => setError(e));
  }, []);
  useEffect(() => { if (locationId) localStorage.setItem(LOCATION_KEY, locationId); }, [locationId]);

  const add = (variant, product) => {
    setDone(null);
    setLines((ls) => addLine(ls, variant, product));
    if (!levels[variant.sku]) levelAt(variant.sku, locationId).then((level) => setLevels((all) => ({...all, [variant.sku]: level})));
  };
  const scan = (code) => {
    setError(null);
    const found = catalog && localCode(catalog.products, code.trim());
    if (found) { add(found.variant, found.product); buzz(40); return; }
    setError(new Error(t("notFoundCode", {code})));
    buzz([200, 100, 200]);
  };
  useWedge(scan, !camera);

  const subtotal = lines.reduce((sum, x) => sum + x.price * x.quantity, 0);
  const total = Math.max(0, subtotal - discount);
  const change = given - total;
  const results = catalog && text.trim().length >= 2 ? localSearch(catalog.products, text) : [];

  const checkout = async () => {
    if (!lines.length) return setError(new Error(t("emptyCart")));
    if (method === "cash" && given && change < 0) return setError(new Error(t("notEnoughCash")));
    const body = {channel: "pos", location_id: locationId, external_id: reference, discount,
      lines: lines.map((x) => ({sku: x.sku, quantity: x.quantity})),
      payment: {method: method === "cash" ? "cash" : "bank_transfer", status: "paid", amount_paid: total,
        ...(method === "cash" && given ? {cash_given: given} : {})}};  // the receipt prints the change
    setBusy(true);
    setError(null);
    try {
      const entry = await outbox.add("/orders", body, reference);
      const sent = await outbox.flush().catch(() => ({}));
      const state = await outbox.state();
      const refused = state.failed.find((e) => e.key === entry.key);
      if (refused) { await outbox.discard(entry.key); setError(new Error(refused.failed)); return; }
      for (const x of lines) {  // what this device remembers drops with the sale
        const key = `stock:${locationId}:${x.sku}`;
        const known = await recall(key);
        if (known) await remember(key, known.v - x.quantity);
      }
      setDone({order: sent[entry.key] || null, body: {...body, lines}, total, reference, change: method === "cash" ? Math.max(0, change) : 0});
      setLines([]); setLevels({}); setDiscount(0); setGiven(0); setReference(saleReference());
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const printReceipt = async () => {
    try {
      printHtml(done.order ? await getText(`/orders/${done.order.id}/receipt`) : localReceipt(me.shop && me.shop.name, done.body, done.total, done.reference));
    } catch (e) { setError(e); }
  };
  if (locations && !locations.length) return html`<p class="error" role="alert">${t("noPosLocation")}</p>`;
  return html`<div class="screen pos">
    <section class="card">
      <label><span>${t("sellAt")}</span><select name="location_id" value=${locationId} onChange=${(e) => setLocationId(e.target.value)}>
        ${(locations || []).map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select></label>
      <p class="hint" id="catalog-status">${catalog ? t("catalogReady", {n: catalog.products.reduce((n, p) => n + p.variants.length, 0)}) +
        (catalog.at ? " · " + t("lastKnown", {time: when(catalog.at)}) : "") : t("loading")}</p>
      <div class="row gap"><input type="search" name="product_q" placeholder=${t("productSearch")} aria-label=${t("productSearch")} value=${text}
          onInput=${(e) => setText(e.target.value)} onKeyDown=${(e) => { if (e.key === "Enter" && text.trim()) { e.preventDefault(); scan(text); setText(""); } }} />
        <button type="button" class="icon" aria-label=${t("camera")} data-camera onClick=${() => setCamera(true)}>📷</button></div>
      ${camera && html`<${CameraScan} onCode=${scan} onClose=${() => setCamera(false)} />`}
      ${results.length > 0 && html`<ul class="list results">${results.flatMap((p) => p.variants.map((v) => html`<li>
        <button type="button" class="result" data-sku=${v.sku} onClick=${() => { add(v, p); setText(""); }}>
          <span class="row"><b>${variantLabel(p, v)}</b><${Money} value=${v.price} /></span><span class="sub mono">${v.sku}</span></button></li>`))}</ul>`}
    </section>
    <${Outbox} />
    ${done && html`<section class="card ok" id="sale-done" role="status">
      <p><b>${done.order ? t("sold") : t("soldOffline")}</b> <${Money} value=${done.total} />${done.change ? html` · ${t("change")} <${Money} value=${done.change} />` : ""}</p>
      <button type="button" class="secondary" id="print-receipt" onClick=${printReceipt}>${t("printReceipt")}</button></section>`}
    <section class="card">
      <ul class="list cart">${lines.map((x) => {
        const level = levels[x.sku];
        return html`<li data-sku=${x.sku}><span class="row"><b>${x.name}</b>
            <button type="button" class="link-danger" onClick=${() => setLines(lines.filter((y) => y !== x))}>${t("remove")}</button></span>
          <span class="row"><${Stepper} value=${x.quantity} onChange=${(q) => setLines(lines.map((y) => (y === x ? {...y, quantity: q} : y)))} />
            <${Money} value=${x.price * x.quantity} /></span>
          ${level && html`<span class=${"sub stock-level" + (level.available < x.quantity ? " short" : "")}>${t("inStock", {n: level.available})}${
            level.at ? " · " + t("lastKnown", {time: when(level.at)}) : ""}</span>`}</li>`;
      })}</ul>
      ${!lines.length && html`<p class="hint">${t("emptyCart")}</p>`}
      <${MoneyInput} name="discount" label=${t("discount")} value=${discount} onInput=${setDiscount} />
      <dl class="sums"><dt>${t("subtotal")}</dt><dd><${Money} value=${subtotal} /></dd>
        <dt>${t("total")}</dt><dd class="total" id="pos-total"><${Money} value=${total} /></dd></dl>
      <div class="tabs" role="tablist">${["cash", "transfer"].map((m) => html`<button type="button" role="tab" data-pay=${m}
        aria-selected=${method === m} onClick=${() => setMethod(m)}>${t(m)}</button>`)}</div>
      ${method === "cash" && html`<${MoneyInput} name="given" label=${t("given")} value=${given} onInput=${setGiven} />
        <div class="quick">${[total, 100000, 200000, 500000].filter((v, i, all) => v > 0 && all.indexOf(v) === i)
          .map((v) => html`<button type="button" class="chip" onClick=${() => setGiven(v)}>${money(v)}</button>`)}</div>
        ${given > 0 && html`<p class=${change < 0 ? "error" : "ok"} id="change">${t("change")}: <${Money} value=${Math.max(0, change)} /></p>`}`}
      ${method === "transfer" && lines.length > 0 && html`<${TransferQr} total=${total} reference=${reference} />`}
    </section>
    <${ErrorNote} error=${error} />
    <div class="bottom actions"><button type="button" class="primary" id="checkout" disabled=${busy || !lines.length || !locationId}
      onClick=${checkout}>${method === "transfer" ? t("received") + " · " + money(total) : t("checkout", {total: money(total)})}</button></div>
  </div>`;
}
