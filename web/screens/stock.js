// Stock check: find a SKU (search, type, or scan), see on hand / reserved / available / incoming per
// location and the recent ledger; receive goods, adjust with a reason, transfer (as permitted).
import {useState} from "preact/hooks";
import {get, post} from "../api.js";
import {t, when} from "../i18n.js";
import {CameraScan} from "../camera.js";
import {ErrorNote, Loading, Money, Sheet, html, navigate, useLoad, useWedge} from "../ui.js";
import {myLocations} from "./order.js";
import {ProductPicker, findByCode, serverSearch, variantLabel} from "./products.js";

const REASONS = ["damaged", "lost", "found", "expired", "correction", "gift", "internal_use"];

async function variantOf(sku) {
  for (const product of await serverSearch(sku)) {
    const variant = product.variants.find((v) => v.sku.toLowerCase() === sku.toLowerCase());
    if (variant) return {variant, product};
  }
  return null;
}

function MoveSheet({kind, sku, me, locations, onDone, onClose}) {
  const places = myLocations(me, locations);
  const [form, setForm] = useState({location: (places[0] || {}).id || "", to: "", quantity: 1, delta: -1, reason: "damaged", cost: "", note: ""});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (field) => (e) => setForm({...form, [field]: e.target.value});
  const seesCost = me.permissions.includes("catalog.view_cost");
  const submit = async (ev) => {
    ev.preventDefault();
    const quantity = parseInt(form.quantity, 10);
    const note = form.note || undefined;
    const body = kind === "receive" ? {location_id: form.location, note,
      lines: [{sku, quantity, unit_cost: seesCost && form.cost ? parseInt(form.cost, 10) : undefined}]} :
      kind === "adjust" ? {location_id: form.location, sku, delta: parseInt(form.delta, 10), reason: form.reason, note} :
        {from_location_id: form.location, to_location_id: form.to, lines: [{sku, quantity}], note};
    setBusy(true);
    setError(null);
    try { await post({receive: "/stock/receipts", adjust: "/stock/adjustments", transfer: "/stock/transfers"}[kind], body); onDone(); }
    catch (e) { setError(e); } finally { setBusy(false); }
  };
  const select = (name, value, options, onChange) => html`<select name=${name} value=${value} onChange=${onChange} required>
    <option value="" disabled>—</option>${options.map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select>`;
  return html`<${Sheet} title=${t(kind === "transfer" ? "transfer_" : kind)} onClose=${onClose}><form id=${"move-" + kind} onSubmit=${submit}>
    <label><span>${kind === "transfer" ? t("from") : t("location")}</span>${select("location_id", form.location, places, set("location"))}</label>
    ${kind === "transfer" && html`<label><span>${t("to")}</span>${select("to_location_id", form.to, (locations || []).filter((l) => l.id !== form.location), set("to"))}</label>`}
    ${kind === "adjust" ? html`<label><span>${t("delta")}</span><input name="delta" type="number" inputmode="numeric" value=${form.delta} onInput=${set("delta")} required /></label>
      <label><span>${t("reason")}</span><select name="reason" value=${form.reason} onChange=${set("reason")}>
        ${REASONS.map((r) => html`<option value=${r}>${t("reasons." + r)}</option>`)}</select></label>` :
      html`<label><span>${t("quantity")}</span><input name="quantity" type="number" min="1" inputmode="numeric" value=${form.quantity} onInput=${set("quantity")} required /></label>`}
    ${kind === "receive" && seesCost && html`<label><span>${t("unitCost")}</span><input name="unit_cost" inputmode="numeric" value=${form.cost} onInput=${set("cost")} /></label>`}
    <label><span>${t("note")}</span><input name="note" value=${form.note} onInput=${set("note")} /></label>
    <${ErrorNote} error=${error} />
    <button type="submit" class="primary" disabled=${busy}>${t("save")}</button></form></${Sheet}>`;
}

function StockOfSku({me, sku}) {
  const stock = useLoad(() => get(`/stock/${encodeURIComponent(sku)}`), [sku]);
  const ledger = useLoad(() => get(`/stock/${encodeURIComponent(sku)}/ledger`, {limit: 20}), [sku]);
  const locations = useLoad(() => get("/locations").then((r) => r.items), []);
  const info = useLoad(() => variantOf(sku), [sku]);
  const [sheet, setSheet] = useState(null);
  const [saved, setSaved] = useState(false);
  const perms = new Set(me.permissions);
  const names = Object.fromEntries((locations.data || []).map((l) => [l.id, l.name]));
  const s = stock.data;
  const v = info.data && info.data.variant;
  const done = () => { setSheet(null); setSaved(true); stock.reload(); ledger.reload(); };
  return html`<div class="screen stock" data-sku=${sku}>
    <section class="card"><h1 class="mono">${sku}</h1>
      ${info.data && html`<p>${variantLabel(info.data.product, v)}</p>
        <dl class="facts"><dt>${t("price")}</dt><dd><${Money} value=${v.price} /></dd>
          ${perms.has("catalog.view_cost") && v.cost != null && html`<dt>${t("cost")}</dt><dd id="variant-cost"><${Money} value=${v.cost} /></dd>`}</dl>`}
      ${s && s.$cachedAt && html`<p class="hint">${t("lastKnown", {time: when(s.$cachedAt)})}</p>`}
    </section>
    <${ErrorNote} error=${stock.error} />
    ${!s && !stock.error && html`<${Loading} />`}
    ${s && html`<section class="card"><table class="levels"><thead><tr><th>${t("location")}</th><th>${t("onHand")}</th>
        <th>${t("reserved")}</th><th>${t("available")}</th><th>${t("incoming")}</th></tr></thead>
      <tbody>${s.locations.map((l) => html`<tr data-location=${l.location_id} class=${l.low_stock ? "short" : ""}><th>${names[l.location_id] || l.location_id}</th>
        <td>${l.on_hand}</td><td>${l.reserved}</td><td>${l.available}</td><td>${l.incoming}</td></tr>`)}
        <tr class="totals"><th>${t("totals")}</th><td>${s.totals.on_hand}</td><td>${s.totals.reserved}</td><td>${s.totals.available}</td><td>${s.totals.incoming}</td></tr>
      </tbody></table>${!s.locations.length && html`<p class="hint">${t("noStock")}</p>`}</section>`}
    ${saved && html`<p class="ok" role="status">${t("done")}</p>`}
    ${ledger.data && html`<section class="card"><h2>${t("ledger")}</h2><ul class="list ledger">${ledger.data.items.map((m) => html`<li>
      <span class="row"><b>${t("kinds." + m.kind)}${m.reason ? " · " + t("reasons." + m.reason) : ""}</b>
        <span class=${m.quantity < 0 ? "neg" : "pos"}>${m.quantity > 0 ? "+" : ""}${m.quantity}</span></span>
      <span class="row sub"><span>${names[m.location_id] || m.location_id} · ${when(m.at)}</span><span>= ${m.balance_after}</span></span></li>`)}</ul></section>`}
    <div class="bottom actions">
      ${perms.has("stock.receive") && html`<button type="button" class="primary" data-move="receive" onClick=${() => setSheet("receive")}>${t("receive")}</button>`}
      ${perms.has("stock.adjust") && html`<button type="button" class="secondary" data-move="adjust" onClick=${() => setSheet("adjust")}>${t("adjust")}</button>`}
      ${perms.has("stock.transfer") && html`<button type="button" class="secondary" data-move="transfer" onClick=${() => setSheet("transfer")}>${t("transfer_")}</button>`}
    </div>
    ${sheet && html`<${MoveSheet} kind=${sheet} sku=${sku} me=${me} locations=${locations.data} onDone=${done} onClose=${() => setSheet(null)} />`}
  </div>`;
}

export function Stock({me, sku}) {
  const [camera, setCamera] = useState(false);
  const [error, setError] = useState(null);
  const open = (code) => {
    setError(null);
    findByCode(code).then((found) => navigate("#/stock/" + encodeURIComponent(found.variant.sku))).catch(setError);
  };
  useWedge(open, !sku && !camera);
  if (sku) return html`<${StockOfSku} me=${me} sku=${sku} />`;
  return html`<div class="screen"><section class="card"><h1>${t("stock")}</h1>
    <${ProductPicker} onPick=${(v) => navigate("#/stock/" + encodeURIComponent(v.sku))} onCode=${open} onCamera=${() => setCamera(true)} />
    ${camera && html`<${CameraScan} onCode=${(code) => { setCamera(false); open(code); }} onClose=${() => setCamera(false)} />`}
    <${ErrorNote} error=${error} /></section></div>`;
}
