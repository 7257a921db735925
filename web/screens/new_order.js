// A chat / phone / Zalo / Facebook order typed in by staff: products by accent-insensitive search or
// barcode, quantities, customer by phone (a known customer is shown), recipient defaulting to the
// customer, shipping fee, payment. One Idempotency-Key per draft: a double tap creates one order.
import {useEffect, useState} from "preact/hooks";
import {get, newKey, post} from "../api.js";
import {money, t} from "../i18n.js";
import {CameraScan} from "../camera.js";
import {ErrorNote, Money, MoneyInput, Stepper, html, navigate, useWedge} from "../ui.js";
import {ProductPicker, findByCode, variantLabel} from "./products.js";

const CHAT_CHANNELS = ["facebook", "zalo", "phone", "instagram", "tiktok", "telesales", "collaborator", "website", "other"];
const METHODS = ["cod", "bank_transfer", "cash", "e_wallet", "card"];

export function addLine(lines, variant, product) {
  const existing = lines.find((x) => x.sku === variant.sku);
  if (existing) return lines.map((x) => (x === existing ? {...x, quantity: x.quantity + 1} : x));
  return [...lines, {sku: variant.sku, name: variantLabel(product, variant), price: variant.price, quantity: 1}];
}

function useCustomerMatch(phone) {
  const [match, setMatch] = useState(null);
  useEffect(() => {
    const digits = phone.replace(/\D/g, "");
    if (digits.length < 9) { setMatch(null); return undefined; }
    const timer = setTimeout(() => get("/customers", {phone: phone.trim(), limit: 1})
      .then((r) => setMatch(r.items[0] || false)).catch(() => setMatch(null)), 300);
    return () => clearTimeout(timer);
  }, [phone]);
  return match;
}

export function NewOrder({me}) {
  const [channel, setChannel] = useState("facebook");
  const [lines, setLines] = useState([]);
  const [phone, setPhone] = useState("");
  const [name, setName] = useState("");
  const [same, setSame] = useState(true);
  const [recipient, setRecipient] = useState({name: "", phone: "", text: ""});
  const [address, setAddress] = useState("");
  const [fee, setFee] = useState(0);
  const [method, setMethod] = useState("cod");
  const [paid, setPaid] = useState(false);
  const [note, setNote] = useState("");
  const [camera, setCamera] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  const match = useCustomerMatch(phone);
  useEffect(() => { if (match && !name) setName(match.name); }, [match]);

  const scan = async (code) => {
    setError(null);
    try { const found = await findByCode(code); setLines((ls) => addLine(ls, found.variant, found.product)); }
    catch (e) { setError(e); }
  };
  useWedge(scan, !camera);
  const subtotal = lines.reduce((sum, x) => sum + x.price * x.quantity, 0);
  const submit = async (ev) => {
    ev.preventDefault();
    if (!lines.length) { setError(new Error(t("emptyCart"))); return; }
    const to = same ? {name, phone, text: address} : {...recipient, text: address};
    const body = {channel, lines: lines.map((x) => ({sku: x.sku, quantity: x.quantity})), shipping_fee: fee,
      customer: phone || name ? {name: name || undefined, phone: phone || undefined} : undefined,
      shipping_address: to.text || to.phone ? {name: to.name || undefined, phone: to.phone || undefined, text: to.text || undefined} : undefined,
      payment: {method, status: paid ? "paid" : "unpaid", amount_paid: paid ? subtotal + fee : 0}, note: note || undefined};
    setBusy(true);
    setError(null);
    try { const order = await post("/orders", body, {key}); navigate("#/orders/" + order.id); }
    catch (e) { setError(e); } finally { setBusy(false); }
  };
  return html`<form class="screen" id="new-order" onSubmit=${submit}>
    <section class="card"><h1>${t("newOrder")}</h1>
      <label><span>${t("channel")}</span><select name="channel" value=${channel} onChange=${(e) => setChannel(e.target.value)}>
        ${CHAT_CHANNELS.map((c) => html`<option value=${c}>${t("channels." + c)}</option>`)}</select></label></section>
    <section class="card"><h2>${t("lines")}</h2>
      <${ProductPicker} onPick=${(v, p) => setLines((ls) => addLine(ls, v, p))} onCode=${scan} onCamera=${() => setCamera(true)} />
      ${camera && html`<${CameraScan} onCode=${scan} onClose=${() => setCamera(false)} />`}
      <ul class="list cart">${lines.map((x) => html`<li data-sku=${x.sku}><span class="row"><b>${x.name}</b>
          <button type="button" class="link-danger" onClick=${() => setLines(lines.filter((y) => y !== x))}>${t("remove")}</button></span>
        <span class="row"><${Stepper} value=${x.quantity} onChange=${(q) => setLines(lines.map((y) => (y === x ? {...y, quantity: q} : y)))} />
          <${Money} value=${x.price * x.quantity} /></span></li>`)}</ul>
      ${!lines.length && html`<p class="hint">${t("emptyCart")}</p>`}</section>
    <section class="card"><h2>${t("customer")}</h2>
      <label><span>${t("customerPhone")}</span><input name="customer_phone" type="tel" inputmode="tel" value=${phone}
        onInput=${(e) => setPhone(e.target.value)} /></label>
      ${match && html`<p class="ok" id="customer-match">${t("knownCustomer", {name: match.name, orders: match.stats.order_count,
        spend: money(match.stats.total_spend)})}</p>`}
      ${match === false && html`<p class="hint" id="customer-match">${t("newCustomer")}</p>`}
      <label><span>${t("customerName")}</span><input name="customer_name" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <label class="check"><input type="checkbox" name="same" checked=${same} onChange=${(e) => setSame(e.target.checked)} /> ${t("sameAsCustomer")}</label>
      ${!same && html`<label><span>${t("name")}</span><input name="recipient_name" value=${recipient.name}
          onInput=${(e) => setRecipient({...recipient, name: e.target.value})} /></label>
        <label><span>${t("phone")}</span><input name="recipient_phone" type="tel" value=${recipient.phone}
          onInput=${(e) => setRecipient({...recipient, phone: e.target.value})} /></label>`}
      <label><span>${t("address")}</span><textarea name="address" rows="2" value=${address} onInput=${(e) => setAddress(e.target.value)}></textarea></label>
    </section>
    <section class="card"><h2>${t("payment")}</h2>
      <${MoneyInput} name="shipping_fee" label=${t("shippingFee")} value=${fee} onInput=${setFee} />
      <label><span>${t("method")}</span><select name="method" value=${method} onChange=${(e) => setMethod(e.target.value)}>
        ${METHODS.map((m) => html`<option value=${m}>${t("methods." + m)}</option>`)}</select></label>
      <label class="check"><input type="checkbox" name="paid" checked=${paid} onChange=${(e) => setPaid(e.target.checked)} /> ${t("paidAlready")}</label>
      <label><span>${t("note")}</span><input name="note" value=${note} onInput=${(e) => setNote(e.target.value)} /></label>
      <dl class="sums"><dt>${t("subtotal")}</dt><dd><${Money} value=${subtotal} /></dd><dt>${t("shippingFee")}</dt><dd><${Money} value=${fee} /></dd>
        <dt>${t("total")}</dt><dd class="total" id="new-order-total"><${Money} value=${subtotal + fee} /></dd></dl></section>
    <${ErrorNote} error=${error} />
    <div class="bottom actions"><button type="submit" class="primary" disabled=${busy}>${t("createOrder")} · ${html`<${Money} value=${subtotal + fee} />`}</button></div>
  </form>`;
}
