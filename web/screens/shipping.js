// Shipping with a carrier. #/shipping/<shipment_id>: the "Gửi hàng" sheet: each carrier account's fee
// and expected delivery side by side, book one, print its label (A6 or 80 mm), cancel the booking.
// #/shipping: carrier accounts (add, edit), COD statement import (paste the carrier's CSV) and the
// COD still outstanding per carrier. The server books exactly once (a retried tap books nothing twice).
import {useState} from "preact/hooks";
import {get, getText, patch, post} from "../api.js";
import {addWords, t, when} from "../i18n.js";
import {ErrorNote, Loading, Money, MoneyInput, html, printHtml, useLoad} from "../ui.js";

addWords({
  vi: {
    shipping: "Gửi hàng", getQuotes: "Xem giá các hãng", weightG: "Khối lượng (g)", codAmount: "Thu hộ (COD)",
    insurance: "Giá trị khai báo", payer: "Người trả phí ship", payerBuyer: "Người nhận trả", payerShop: "Shop trả",
    viewing: "Cho xem hàng", viewOnly: "Cho xem, không cho thử", tryOn: "Cho thử hàng", noView: "Không cho xem hàng",
    book: "Gửi hàng với {carrier}", booked: "Đã gửi hãng", printA6: "In nhãn A6", print80: "In nhãn 80 mm",
    cancelBooking: "Hủy vận đơn", cancelBookingReason: "Lý do hủy vận đơn", noQuotes: "Chưa có giá: bấm Xem giá các hãng.",
    expected: "Dự kiến giao", carrierAccounts: "Tài khoản vận chuyển", addAccount: "Thêm tài khoản", token: "Token của hãng",
    carrierShopId: "ShopId (GHN) / mã đối tác (GHTK)", pickLocation: "Kho lấy hàng", street: "Số nhà, đường",
    ward: "Phường/xã", district: "Quận/huyện (nếu có)", province: "Tỉnh/thành", webhookUrl: "Link nhận trạng thái (dán vào trang của hãng)",
    accountStatus: {unverified: "chưa dùng", active: "đang hoạt động", auth_failed: "token sai/hết hạn", disabled: "đã tắt"},
    disable: "Tắt", enable: "Bật", codImport: "Nhập bảng đối soát COD", pasteCsv: "Dán nội dung CSV của hãng",
    importCod: "Đối soát", matchedN: "Khớp {n} đơn (đã đánh dấu đã trả)", mismatchN: "{n} đơn lệch tiền", unknownN: "{n} mã không có",
    alreadyImported: "Bảng này đã nhập trước đó: không thay đổi gì.", codOutstanding: "COD chưa về",
    delivered_unpaid: "Đã giao, chưa đối soát", in_transit: "Đang giao", noOutstanding: "Không còn COD chưa về.",
    shipments: "{n} kiện", mismatches: "Lệch tiền", expectedPaid: "cần {expected} · hãng trả {paid}",
    wave: "Gửi cả đợt", waveEmpty: "Không có kiện nào chờ gửi hãng.", bookWave: "Gửi {n} kiện với {carrier}",
    printWave: "In nhãn cả đợt ({n})", waveFailed: "{n} kiện không gửi được",
  },
  en: {
    shipping: "Shipping", getQuotes: "Get carrier quotes", weightG: "Weight (g)", codAmount: "Cash on delivery",
    insurance: "Declared value", payer: "Shipping fee paid by", payerBuyer: "Recipient", payerShop: "Shop",
    viewing: "Viewing", viewOnly: "May look, not try", tryOn: "May try on", noView: "No viewing",
    book: "Ship with {carrier}", booked: "Booked", printA6: "Print A6 label", print80: "Print 80 mm label",
    cancelBooking: "Cancel booking", cancelBookingReason: "Why cancel the booking", noQuotes: "No quotes yet: tap Get carrier quotes.",
    expected: "Expected", carrierAccounts: "Carrier accounts", addAccount: "Add account", token: "Carrier token",
    carrierShopId: "ShopId (GHN) / partner code (GHTK)", pickLocation: "Pick-up location", street: "Street",
    ward: "Ward", district: "District (if any)", province: "Province", webhookUrl: "Status callback URL (paste at the carrier)",
    accountStatus: {unverified: "not used yet", active: "active", auth_failed: "token refused", disabled: "disabled"},
    disable: "Disable", enable: "Enable", codImport: "Import a COD statement", pasteCsv: "Paste the carrier's CSV",
    importCod: "Reconcile", matchedN: "{n} matched (marked paid)", mismatchN: "{n} amount mismatches", unknownN: "{n} unknown",
    alreadyImported: "Already imported: nothing changed.", codOutstanding: "COD outstanding",
    delivered_unpaid: "Delivered, not paid out", in_transit: "In transit", noOutstanding: "No COD outstanding.",
    shipments: "{n} parcels", mismatches: "Mismatches", expectedPaid: "expected {expected} · paid {paid}",
    wave: "Ship a wave", waveEmpty: "No parcel waiting for a carrier.", bookWave: "Ship {n} parcels with {carrier}",
    printWave: "Print the wave's labels ({n})", waveFailed: "{n} parcels not booked",
  },
});

const CARRIERS = {ghn: "GHN", ghtk: "GHTK", viettel_post: "Viettel Post"};
const orderOf = (shipmentId) => shipmentId.replace(/-S\d+$/, "");

async function printLabel(shipmentId, size, setError) {
  try { printHtml(await getText(`/shipments/${encodeURIComponent(shipmentId)}/label?size=${size}`)); } catch (e) { setError(e); }
}

/** The "Gửi hàng" sheet of one packed shipment. */
function BookShipment({me, id}) {
  const order = useLoad(() => get(`/orders/${encodeURIComponent(orderOf(id))}`), [id]);
  const [quotes, setQuotes] = useState(null);
  const [chosen, setChosen] = useState(null);
  const [form, setForm] = useState({weight_g: "", cod_amount: null, insurance_value: 0, payer: "buyer", viewing: "view_only", note: ""});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (order.loading && !order.data) return html`<${Loading} />`;
  if (!order.data) return html`<${ErrorNote} error=${order.error} />`;
  const o = order.data;
  const shipment = o.shipments.find((s) => s.id === id);
  if (!shipment) return html`<${ErrorNote} error=${{message: t("problem.404")}} />`;
  const owed = o.payment.status === "paid" ? 0 : o.total - (o.payment.amount_paid || 0);
  const cod = form.cod_amount === null ? owed : form.cod_amount;
  const weight = parseInt(form.weight_g, 10) || undefined;
  const run = async (work) => {
    setBusy(true);
    setError(null);
    try { await work(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const quote = () => run(async () => {
    const answer = await post(`/shipments/${encodeURIComponent(id)}/quotes`, {weight_g: weight, cod_amount: cod});
    setQuotes(answer);
    setChosen(answer.quotes[0] || null);
  });
  const book = () => run(async () => {
    await post(`/shipments/${encodeURIComponent(id)}/actions/book`, {carrier_account_id: chosen.carrier_account_id,
      service: chosen.service, weight_g: weight, cod_amount: cod, insurance_value: form.insurance_value || undefined,
      payer: form.payer, viewing: form.viewing, note: form.note || undefined});
    await order.reload();
  });
  const cancel = () => {
    const reason = prompt(t("cancelBookingReason"));
    if (reason) run(async () => { await post(`/shipments/${encodeURIComponent(id)}/actions/cancel_booking`, {reason}); await order.reload(); });
  };
  const set = (field) => (e) => setForm({...form, [field]: e.target.value});
  const canBook = new Set(me.permissions).has("orders.process");
  return html`<div class="screen shipping" data-shipment=${id}>
    <section class="card"><h1>${t("shipping")} <span class="mono">#${o.id.slice(-8)}</span></h1>
      <p class="sub">${o.shipping_address ? [o.shipping_address.name, o.shipping_address.phone].filter(Boolean).join(" · ") : ""}</p>
      <p class="sub">${o.shipping_address && (o.shipping_address.text || o.shipping_address.street)}</p>
      <p>${t("codAmount")}: <b id="cod-owed"><${Money} value=${shipment.tracking_number ? shipment.cod_amount : cod} /></b></p></section>
    ${shipment.tracking_number ? html`<section class="card ok" id="booked">
        <p><b>${t("booked")}</b> · ${CARRIERS[shipment.carrier] || shipment.carrier} · <span class="mono" id="tracking">${shipment.tracking_number}</span></p>
        <p class="sub">${shipment.carrier_status || ""}${shipment.shipping_fee != null ? html` · <${Money} value=${shipment.shipping_fee} />` : ""}</p>
        <div class="row"><button type="button" class="primary" id="print-a6" onClick=${() => printLabel(id, "a6", setError)}>${t("printA6")}</button>
          <button type="button" class="secondary" id="print-80" onClick=${() => printLabel(id, "80mm", setError)}>${t("print80")}</button></div>
        ${canBook && html`<button type="button" class="secondary" id="cancel-booking" disabled=${busy} onClick=${cancel}>${t("cancelBooking")}</button>`}
      </section>` : html`<section class="card">
        <label><span>${t("weightG")}</span><input name="weight_g" inputmode="numeric" value=${form.weight_g} onInput=${set("weight_g")} /></label>
        <${MoneyInput} name="cod_amount" label=${t("codAmount")} value=${cod} onInput=${(v) => setForm({...form, cod_amount: v})} />
        <${MoneyInput} name="insurance_value" label=${t("insurance")} value=${form.insurance_value} onInput=${(v) => setForm({...form, insurance_value: v})} />
        <label><span>${t("payer")}</span><select name="payer" value=${form.payer} onChange=${set("payer")}>
          <option value="buyer">${t("payerBuyer")}</option><option value="shop">${t("payerShop")}</option></select></label>
        <label><span>${t("viewing")}</span><select name="viewing" value=${form.viewing} onChange=${set("viewing")}>
          <option value="view_only">${t("viewOnly")}</option><option value="try_on">${t("tryOn")}</option>
          <option value="no_view">${t("noView")}</option></select></label>
        <label><span>${t("note")}</span><input name="note" maxlength="500" value=${form.note} onInput=${set("note")} /></label>
        <button type="button" class="secondary" id="get-quotes" disabled=${busy} onClick=${quote}>${t("getQuotes")}</button>
      </section>
      <section class="card"><ul class="list quotes" id="quotes">
        ${quotes ? quotes.quotes.map((q) => html`<li><label class="check quote" data-carrier=${q.carrier} data-service=${q.service}>
          <input type="radio" name="quote" checked=${chosen === q} onChange=${() => setChosen(q)} />
          <span><b>${CARRIERS[q.carrier] || q.carrier}</b> · ${q.service_name}<br />
            <span class="sub">${q.account_name}${q.expected_delivery ? " · " + t("expected") + " " + (q.expected_delivery.includes("T") ? when(q.expected_delivery) : q.expected_delivery) : ""}</span></span>
          <b class="fee"><${Money} value=${q.fee} /></b></label></li>`) : html`<li class="hint">${t("noQuotes")}</li>`}
        ${quotes && quotes.errors.map((e) => html`<li class="error quote-error" data-carrier=${e.carrier}>${CARRIERS[e.carrier] || e.carrier}: ${e.detail}</li>`)}
      </ul></section>`}
    <${ErrorNote} error=${error} />
    ${!shipment.tracking_number && canBook && html`<div class="bottom actions"><button type="button" class="primary" id="book"
      disabled=${busy || !chosen} onClick=${book}>${chosen ? t("book", {carrier: CARRIERS[chosen.carrier] || chosen.carrier}) : t("shipping")}</button></div>`}
  </div>`;
}

function AccountForm({account, locations, onSaved}) {
  const [error, setError] = useState(null);
  const [made, setMade] = useState(null);
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const value = (name) => (f.get(name) || "").trim() || undefined;
    const pick = {street: value("street"), ward_name: value("ward_name"), province_name: value("province_name"),
      district_name: value("district_name")};
    const body = {name: value("name"), token: value("token"), carrier_shop_id: value("carrier_shop_id"),
      pick_location_id: value("pick_location_id"), default_service: value("default_service"),
      pick_address: pick.street && pick.ward_name && pick.province_name ? pick : undefined};
    const save = account ? patch(`/carrier-accounts/${account.id}`, body) : post("/carrier-accounts", {...body, carrier: f.get("carrier")});
    save.then((saved) => { if (!account) { setMade(saved); ev.target.reset(); } onSaved(); }).catch(setError);
  };
  const p = (account && account.pick_address) || {};
  return html`<form class="card account-form" onSubmit=${submit}>
    <h2>${account ? account.name : t("addAccount")}</h2>
    ${!account && html`<label><span>${t("carrier")}</span><select name="carrier">
      ${Object.entries(CARRIERS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}</select></label>`}
    <label><span>${t("name")}</span><input name="name" required=${!account} maxlength="120" value=${account ? account.name : ""} /></label>
    <label><span>${t("token")}</span><input name="token" required=${!account} autocomplete="off" /></label>
    <label><span>${t("carrierShopId")}</span><input name="carrier_shop_id" value=${account ? account.carrier_shop_id || "" : ""} /></label>
    <label><span>${t("pickLocation")}</span><select name="pick_location_id" value=${account ? account.pick_location_id : undefined}>
      ${locations.map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select></label>
    <label><span>${t("street")}</span><input name="street" value=${p.street || ""} /></label>
    <label><span>${t("ward")}</span><input name="ward_name" value=${p.ward_name || ""} /></label>
    <label><span>${t("district")}</span><input name="district_name" value=${p.district_name || ""} /></label>
    <label><span>${t("province")}</span><input name="province_name" value=${p.province_name || ""} /></label>
    <${ErrorNote} error=${error} />
    ${made && html`<p class="ok" id="webhook-url">${t("webhookUrl")}: <span class="mono">${made.webhook_url}</span></p>`}
    <button type="submit" class="primary">${t("save")}</button></form>`;
}

function CodImport({accounts, onDone}) {
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    setError(null);
    post("/cod-statements", {carrier_account_id: f.get("carrier_account_id"), csv: f.get("csv")})
      .then((r) => { setResult(r); onDone(); }).catch(setError);
  };
  return html`<form class="card" id="cod-import" onSubmit=${submit}><h2>${t("codImport")}</h2>
    <label><span>${t("carrier")}</span><select name="carrier_account_id">
      ${accounts.map((a) => html`<option value=${a.id}>${a.name} (${CARRIERS[a.carrier] || a.carrier})</option>`)}</select></label>
    <label><span>${t("pasteCsv")}</span><textarea name="csv" rows="5" required></textarea></label>
    <${ErrorNote} error=${error} />
    ${result && html`<div id="cod-result">${result.already_imported && html`<p class="hint">${t("alreadyImported")}</p>`}
      <p class="ok">${t("matchedN", {n: result.matched})}</p>
      ${result.amount_mismatch.length > 0 && html`<p class="error">${t("mismatchN", {n: result.amount_mismatch.length})}:
        ${result.amount_mismatch.map((m) => m.tracking_number).join(", ")}</p>`}
      ${result.unknown.length > 0 && html`<p class="error">${t("unknownN", {n: result.unknown.length})}: ${result.unknown.map((u) => u.tracking_number).join(", ")}</p>`}</div>`}
    <button type="submit" class="primary">${t("importCod")}</button></form>`;
}

function Outstanding({report}) {
  if (!report) return html`<${Loading} />`;
  return html`<section class="card" id="cod-outstanding"><h2>${t("codOutstanding")}</h2>
    ${report.outstanding.length ? html`<ul class="list">${report.outstanding.map((r) => html`<li data-kind=${r.kind} data-carrier=${r.carrier}>
      <span class="row"><b>${r.account_name || CARRIERS[r.carrier]}</b><${Money} value=${r.cod_amount} /></span>
      <span class="sub">${t(r.kind)} · ${t("shipments", {n: r.shipments})}</span></li>`)}</ul>` : html`<p class="hint">${t("noOutstanding")}</p>`}
    ${report.mismatches.length > 0 && html`<h3>${t("mismatches")}</h3><ul class="list">${report.mismatches.map((m) => html`<li>
      <span class="mono">${m.tracking_number}</span> <span class="sub">${t("expectedPaid", {expected: m.expected, paid: m.paid})}</span></li>`)}</ul>`}
  </section>`;
}

/** Every packed parcel not yet booked: tick them, book them all with one account, print one document. */
function Wave({accounts}) {
  const waiting = useLoad(async () => {
    const list = await get("/orders", {status: "ready_to_ship", limit: 50});
    const orders = await Promise.all(list.items.map((o) => get(`/orders/${encodeURIComponent(o.id)}`)));
    return orders.flatMap((o) => o.shipments.filter((s) => !s.tracking_number)
      .map((s) => ({id: s.id, name: (o.shipping_address && o.shipping_address.name) || o.id.slice(-8)})));
  });
  const usable = accounts.filter((a) => a.status !== "disabled");
  const [picked, setPicked] = useState(new Set());
  const [account, setAccount] = useState(usable[0] ? usable[0].id : "");
  const [booked, setBooked] = useState([]);
  const [failed, setFailed] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const toggle = (id) => { const next = new Set(picked); next.has(id) ? next.delete(id) : next.add(id); setPicked(next); };
  const chosen = usable.find((a) => a.id === account);
  const bookAll = async () => {
    setBusy(true);
    const ok = [], bad = [];
    for (const id of picked) {  // one at a time: each is its own exactly-once booking
      try { await post(`/shipments/${encodeURIComponent(id)}/actions/book`, {carrier_account_id: account}); ok.push(id); } catch (e) { bad.push([id, e.message]); }
    }
    setBooked([...booked, ...ok]);
    setFailed(bad);
    setPicked(new Set());
    setBusy(false);
    waiting.reload();
  };
  const printAll = async () => {
    try { printHtml(await getText(`/shipment-labels?ids=${booked.map(encodeURIComponent).join(",")}&size=a6`)); } catch (e) { setError(e); }
  };
  const list = waiting.data || [];
  return html`<section class="card" id="wave"><h2>${t("wave")}</h2>
    ${!list.length && html`<p class="hint">${t("waveEmpty")}</p>`}
    <ul class="list">${list.map((x) => html`<li><label class="check" data-wave=${x.id}><input type="checkbox" checked=${picked.has(x.id)}
      onChange=${() => toggle(x.id)} /> <span class="mono">${x.id.slice(-11)}</span> · ${x.name}</label></li>`)}</ul>
    ${list.length > 0 && html`<label><span>${t("carrier")}</span><select name="wave_account" value=${account} onChange=${(e) => setAccount(e.target.value)}>
      ${usable.map((a) => html`<option value=${a.id}>${a.name}</option>`)}</select></label>
      <button type="button" class="primary" id="book-wave" disabled=${busy || !picked.size || !chosen} onClick=${bookAll}>
        ${t("bookWave", {n: picked.size, carrier: chosen ? chosen.name : ""})}</button>`}
    ${failed.length > 0 && html`<p class="error">${t("waveFailed", {n: failed.length})}: ${failed.map(([id, m]) => id.slice(-11) + " " + m).join(" · ")}</p>`}
    ${booked.length > 0 && html`<button type="button" class="secondary" id="print-wave" onClick=${printAll}>${t("printWave", {n: booked.length})}</button>`}
    <${ErrorNote} error=${error || waiting.error} />
  </section>`;
}

function Overview({me}) {
  const perms = new Set(me.permissions);
  const accounts = useLoad(() => get("/carrier-accounts"));
  const locations = useLoad(() => get("/locations").then((r) => r.items || r));
  const report = useLoad(() => (perms.has("reports.view") ? get("/reports/cod") : Promise.resolve(null)));
  const [editing, setEditing] = useState(null);
  const list = accounts.data ? accounts.data.items : [];
  const toggle = (a) => patch(`/carrier-accounts/${a.id}`, {status: a.status === "disabled" ? "active" : "disabled"}).then(accounts.reload);
  return html`<section class="screen shipping-home">
    <h1>${t("carrierAccounts")}</h1>
    <${ErrorNote} error=${accounts.error} />
    <ul class="list" id="carrier-accounts">${list.map((a) => html`<li class="card" data-account=${a.id}>
      <span class="row"><b>${a.name}</b><span>${CARRIERS[a.carrier] || a.carrier}</span></span>
      <span class="sub">${t("accountStatus." + a.status)}${a.last_error ? " · " + a.last_error : ""}</span>
      ${perms.has("shop.manage") && html`<div class="row"><button type="button" class="secondary" onClick=${() => setEditing(a)}>${t("save")}…</button>
        <button type="button" class="secondary" onClick=${() => toggle(a)}>${a.status === "disabled" ? t("enable") : t("disable")}</button></div>`}
    </li>`)}</ul>
    ${perms.has("shop.manage") && html`<${AccountForm} key=${editing ? editing.id : "new"} account=${editing} locations=${locations.data || []}
      onSaved=${() => { setEditing(null); accounts.reload(); }} />`}
    ${perms.has("orders.process") && list.length > 0 && html`<${Wave} accounts=${list} />`}
    ${perms.has("payments.mark_paid") && list.length > 0 && html`<${CodImport} accounts=${list} onDone=${report.reload} />`}
    ${perms.has("reports.view") && html`<${Outstanding} report=${report.data} />`}
  </section>`;
}

export function Shipping({me, id}) {
  return id ? html`<${BookShipment} me=${me} id=${id} />` : html`<${Overview} me=${me} />`;
}
