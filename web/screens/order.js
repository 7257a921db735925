// One order: lines, customer, recipient, payment, warnings with how to fix, timeline, and the
// actions its status allows and my permissions permit. A refused action (409...) keeps what was typed.
import {useState} from "preact/hooks";
import {get, patch, post} from "../api.js";
import {lang, t, when} from "../i18n.js";
import {ErrorNote, Loading, Money, MoneyInput, Sheet, StatusBadge, html, navigate, useLoad} from "../ui.js";

export const ACTION_PERMISSION = {confirm: "orders.process", pack: "orders.process", mark_ready: "orders.process",
  hand_over: "orders.process", complete: "orders.process", cancel: "orders.cancel", return: "orders.return",
  mark_paid: "payments.mark_paid"};
const PACKING_ACTIONS = new Set(["pack", "mark_ready"]);

/** Locations this staff member may work at (all when none are assigned). */
export function myLocations(me, locations) {
  const mine = new Set(me.location_ids || []);
  return (locations || []).filter((l) => l.active !== false && (!mine.size || mine.has(l.id)));
}

export function allowedActions(me, order) {
  const perms = new Set(me.permissions);
  return order.allowed_actions.filter((a) => perms.has(ACTION_PERMISSION[a]));
}

function Address({value}) {
  if (!value) return html`<span class="hint">—</span>`;
  return html`<span>${[value.name, value.phone].filter(Boolean).join(" · ")}<br />${value.text || [value.street, value.ward, value.province].filter(Boolean).join(", ")}</span>`;
}

function ActionSheet({kind, order, me, locations, busy, error, onSubmit, onClose, onReload}) {
  const [reason, setReason] = useState("");
  const [location, setLocation] = useState("");
  const [amount, setAmount] = useState(order.total - (order.payment.amount_paid || 0));
  const [method, setMethod] = useState(order.payment.method);
  const [recipient, setRecipient] = useState({name: "", phone: "", text: "", ...(order.shipping_address || {})});
  const [received, setReceived] = useState(true);
  const places = myLocations(me, locations);
  const restricted = (me.location_ids || []).length > 0;
  const submit = (ev) => {
    ev.preventDefault();
    if (kind === "confirm") onSubmit("confirm", location ? {location_id: location} : {});
    if (kind === "cancel") onSubmit("cancel", {reason: reason.trim()});
    if (kind === "mark_paid") onSubmit("mark_paid", {amount, method});
    if (kind === "return") onSubmit("return", {received, reason: reason.trim() || undefined});
    if (kind === "recipient") onSubmit("recipient", {shipping_address: {name: recipient.name, phone: recipient.phone, text: recipient.text}});
  };
  const stale = error && error.problem && (error.problem.type || "").endsWith("version-mismatch");
  return html`<${Sheet} title=${kind === "recipient" ? t("fixRecipient") : t("act_" + kind)} onClose=${onClose}>
    <form id=${"sheet-" + kind} onSubmit=${submit}>
      ${kind === "confirm" && html`<label><span>${t("confirmAt")}</span>
        <select name="location_id" value=${location} required=${restricted} onChange=${(e) => setLocation(e.target.value)}>
          ${!restricted && html`<option value="">${t("autoLocation")}</option>`}
          ${restricted && html`<option value="" disabled>—</option>`}
          ${places.map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select></label>`}
      ${(kind === "cancel" || kind === "return") && html`<label><span>${kind === "cancel" ? t("cancelReason") : t("reason")}</span>
        <textarea name="reason" rows="3" required=${kind === "cancel"} value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea></label>`}
      ${kind === "return" && html`<label class="check"><input type="checkbox" name="received" checked=${received}
        onChange=${(e) => setReceived(e.target.checked)} /> ${t("received")}</label>`}
      ${kind === "mark_paid" && html`<${MoneyInput} name="amount" label=${t("amount")} value=${amount} onInput=${setAmount} />
        <label><span>${t("method")}</span><select name="method" value=${method} onChange=${(e) => setMethod(e.target.value)}>
          ${["cash", "bank_transfer", "cod", "card", "e_wallet"].map((m) => html`<option value=${m}>${t("methods." + m)}</option>`)}</select></label>`}
      ${kind === "recipient" && ["name", "phone", "text"].map((field) => html`<label><span>${t(field === "text" ? "address" : field)}</span>
        <input name=${field} value=${recipient[field] || ""} inputmode=${field === "phone" ? "tel" : undefined}
          onInput=${(e) => setRecipient({...recipient, [field]: e.target.value})} /></label>`)}
      <${ErrorNote} error=${error} />
      ${stale && html`<button type="button" class="secondary" onClick=${onReload}>${t("changedReload")}</button>`}
      <button type="submit" class="primary" disabled=${busy}>${kind === "recipient" ? t("save") : t("act_" + kind)}</button>
    </form></${Sheet}>`;
}

/** Ship a new order from two locations: how many of each line leave from the first, the rest from the second. */
function SplitSheet({order, me, locations, busy, error, onSubmit, onClose}) {
  const places = myLocations(me, locations);
  const lines = order.lines.filter((x) => x.linked);
  const [first, setFirst] = useState(places[0] ? places[0].id : "");
  const [second, setSecond] = useState(places[1] ? places[1].id : "");
  const [counts, setCounts] = useState(Object.fromEntries(lines.map((x) => [x.sku, Math.ceil(x.quantity / 2)])));
  const part = (location, take) => ({location_id: location,
    lines: lines.map((x) => ({sku: x.sku, quantity: take(x)})).filter((x) => x.quantity > 0)});
  const submit = (ev) => {
    ev.preventDefault();
    onSubmit({shipments: [part(first, (x) => counts[x.sku]), part(second, (x) => x.quantity - counts[x.sku])]
      .filter((p) => p.lines.length)});
  };
  const pick = (value, set, name) => html`<select name=${name} value=${value} onChange=${(e) => set(e.target.value)}>
    ${places.map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select>`;
  return html`<${Sheet} title=${t("split")} onClose=${onClose}>
    <form id="sheet-split" onSubmit=${submit}>
      <label><span>${t("splitFirst")}</span>${pick(first, setFirst, "first")}</label>
      <label><span>${t("splitSecond")}</span>${pick(second, setSecond, "second")}</label>
      ${lines.map((x) => html`<label data-sku=${x.sku}><span>${x.name || x.sku} (${t("splitOf", {n: x.quantity})})</span>
        <input type="number" inputmode="numeric" min="0" max=${x.quantity} value=${counts[x.sku]}
          onInput=${(e) => setCounts({...counts, [x.sku]: Math.max(0, Math.min(x.quantity, parseInt(e.target.value || "0", 10)))})} /></label>`)}
      <${ErrorNote} error=${error} />
      <button type="submit" class="primary" disabled=${busy || first === second}>${t("split")}</button>
    </form></${Sheet}>`;
}

export function OrderDetail({me, id}) {
  const order = useLoad(() => get(`/orders/${encodeURIComponent(id)}`), [id]);
  const locations = useLoad(() => get("/locations").then((r) => r.items), []);
  const [sheet, setSheet] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const o = order.data;
  if (!o) return order.error ? html`<${ErrorNote} error=${order.error} />` : html`<${Loading} />`;

  const perms = new Set(me.permissions);
  const names = Object.fromEntries((locations.data || []).map((l) => [l.id, l.name]));
  const run = async (action, body) => {
    setBusy(true);
    setError(null);
    try {
      const next = action === "recipient" ? await patch(`/orders/${o.id}`, {...body, expected_version: o.version}) :
        action === "split" ? await post(`/orders/${o.id}/split`, body) :
        await post(`/orders/${o.id}/actions/${action}`, {...body, expected_version: o.version});
      order.setData(next);
      setSheet(null);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const open = (kind) => { setError(null); setSheet(kind); };
  const tap = (action) => {
    if (PACKING_ACTIONS.has(action)) return navigate("#/pack/" + o.id);
    if (["confirm", "cancel", "mark_paid", "return"].includes(action)) return open(action);
    return run(action, {});
  };
  const actions = allowedActions(me, o);
  const canSplit = o.status === "new" && perms.has("orders.process") && myLocations(me, locations.data).length > 1;
  return html`<div class="screen order" data-order=${o.id} data-status=${o.status}>
    <section class="card">
      <div class="row"><h1 class="mono">#${o.id.slice(-8)}</h1><${StatusBadge} status=${o.status} /></div>
      <p class="sub">${t("channels." + o.channel)}${o.external_id ? " · " + o.external_id : ""} · ${when(o.created_at)}</p>
    </section>
    ${o.warnings.length > 0 && html`<section class="card warn" aria-label=${t("warnings")}>
      ${o.warnings.map((w) => html`<div class="warning" data-warning=${w.code}><b>⚠ ${t("warn." + w.code)}</b>
        <p>${lang === "vi" ? t("fix." + w.code) : w.how_to_fix}</p>
        ${w.code === "incomplete_recipient" && perms.has("orders.process") &&
          html`<button type="button" class="secondary" onClick=${() => open("recipient")}>${t("fixRecipient")}</button>`}</div>`)}
    </section>`}
    <section class="card"><h2>${t("lines")}</h2>
      <ul class="list lines">${o.lines.map((x) => html`<li data-sku=${x.sku}><span class="row"><b>${x.name || x.sku}</b><${Money} value=${x.total} /></span>
        <span class="row sub"><span class="mono">${x.sku}</span><span>${x.quantity} × ${html`<${Money} value=${x.unit_price} />`}</span></span></li>`)}</ul>
      <dl class="sums"><dt>${t("subtotal")}</dt><dd><${Money} value=${o.subtotal} /></dd>
        ${o.discount > 0 && html`<dt>${t("discount")}</dt><dd>-<${Money} value=${o.discount} /></dd>`}
        ${o.shipping_fee > 0 && html`<dt>${t("shippingFee")}</dt><dd><${Money} value=${o.shipping_fee} /></dd>`}
        <dt>${t("total")}</dt><dd class="total"><${Money} value=${o.total} /></dd></dl>
    </section>
    <section class="card"><dl class="facts">
      <dt>${t("customer")}</dt><dd id="order-customer">${o.customer ? html`${o.customer.name || ""} ${o.customer.phone &&
        html`<a href=${"tel:" + o.customer.phone}>${o.customer.phone}</a>`}` : "—"}</dd>
      <dt>${t("recipient")}</dt><dd><${Address} value=${o.shipping_address} /></dd>
      <dt>${t("payment")}</dt><dd id="order-payment">${t("methods." + o.payment.method)} · ${t("pay." + o.payment.status)}
        ${o.payment.amount_paid ? html` · ${t("paid")} <${Money} value=${o.payment.amount_paid} />` : ""}</dd>
      ${o.shipments.map((s) => html`<dt>${names[s.location_id] || s.location_id}</dt>
        <dd>${s.status}${s.tracking_number ? " · " + s.tracking_number : ""}</dd>`)}
      ${o.note && html`<dt>${t("note")}</dt><dd>${o.note}</dd>`}
    </dl>
    <p class="links">${perms.has("invoices.manage") && o.status !== "canceled" && html`
      <a class="pill" id="order-invoice" href=${"#/invoices/new/" + o.id}>${t("issueInvoice")}</a>`}
      ${perms.has("orders.process") && o.shipments.filter((s) => s.status === "ready_to_ship" || s.tracking_number).map((s) => html`
      <a class="pill" data-ship=${s.id} href=${"#/shipping/" + s.id}>${t("shipParcel")}</a>`)}</p></section>
    <section class="card"><h2>${t("timeline")}</h2>
      <ol class="timeline">${[...o.timeline].reverse().map((e) => html`<li>
        <b>${t("act_" + e.action)}</b> ${e.to && e.from !== e.to ? html`→ ${t("status." + e.to)}` : ""}
        <span class="sub">${when(e.at)} · ${e.staff_id === me.id ? me.name : t("staffId") + " " + e.staff_id.slice(-6)} · ${t("via")} ${e.via}</span>
        ${e.note && html`<span class="sub">${e.note}</span>`}</li>`)}</ol></section>
    ${!sheet && html`<${ErrorNote} error=${error} />`}
    ${actions.length > 0 && html`<div class="bottom actions" id="order-actions">
      ${actions.map((a) => html`<button type="button" data-action=${a} disabled=${busy}
        class=${a === "cancel" ? "danger" : a === actions.find((x) => x !== "cancel") ? "primary" : "secondary"}
        onClick=${() => tap(a)}>${t("act_" + a)}</button>`)}
      ${canSplit && html`<button type="button" class="secondary" id="split" onClick=${() => open("split")}>${t("split")}</button>`}</div>`}
    ${sheet === "split" && html`<${SplitSheet} order=${o} me=${me} locations=${locations.data} busy=${busy} error=${error}
      onSubmit=${(body) => run("split", body)} onClose=${() => setSheet(null)} />`}
    ${sheet && sheet !== "split" && html`<${ActionSheet} kind=${sheet} order=${o} me=${me} locations=${locations.data} busy=${busy} error=${error}
      onSubmit=${run} onClose=${() => setSheet(null)} onReload=${() => order.reload()} />`}
  </div>`;
}
