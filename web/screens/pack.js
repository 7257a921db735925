// Scan-to-pack: the orders waiting to be packed; then, per order, every item scanned (camera or a
// keyboard-wedge scanner) against its shipment. The server refuses a wrong or extra item (409) and
// the screen blocks, with a vibration, until the packer has taken it out. Then: ready, slip, hand over.
import {useRef, useState} from "preact/hooks";
import {get, getText, patch, post} from "../api.js";
import {lang, t, when} from "../i18n.js";
import {CameraScan} from "../camera.js";
import {ErrorNote, Loading, Money, StatusBadge, buzz, html, printHtml, useLoad, useWedge} from "../ui.js";

const BAD = [200, 100, 200];

export function PackList() {
  const list = useLoad(async () => {
    const [packing, confirmed] = await Promise.all([get("/orders", {status: "packing"}), get("/orders", {status: "confirmed"})]);
    return [...packing.items, ...confirmed.items];
  }, []);
  return html`<div class="screen"><h1>${t("toPack")}</h1>
    <${ErrorNote} error=${list.error} />
    ${list.data && !list.data.length && html`<p class="hint">${t("nothingToPack")}</p>`}
    <ul class="list orders">${(list.data || []).map((o) => html`<li data-order=${o.id}><a href=${"#/pack/" + o.id}>
      <span class="row"><b>${o.customer_name || "—"}</b><${StatusBadge} status=${o.status} /></span>
      <span class="row sub"><span class="mono">#${o.id.slice(-8)} · ${t("channels." + o.channel)}</span><span>${when(o.created_at)}</span></span></a></li>`)}</ul>
    <div class="bottom actions"><button type="button" class="secondary" onClick=${list.reload}>${t("refresh")}</button></div></div>`;
}

/** Which shipment a scan goes to: the first one still missing items. */
export function openShipments(order) {
  return order.shipments.filter((s) => s.lines.some((x) => x.scanned < x.quantity));
}

/** The server's refusal of a wrong or extra item (worded in the staff member's language) and what to do. */
function refusal(error) {
  return error.status === 409 && error.problem && error.problem.detail ? `${error.problem.detail} ${t("takeOut")}` : error.message;
}

export function PackOrder({id}) {
  const order = useLoad(() => get(`/orders/${encodeURIComponent(id)}`), [id]);
  const [blocked, setBlocked] = useState(null);
  const [last, setLast] = useState(null);
  const [error, setError] = useState(null);
  const [camera, setCamera] = useState(false);
  const [code, setCode] = useState("");
  const [carrier, setCarrier] = useState({carrier: "", tracking_number: ""});
  const [busy, setBusy] = useState(false);
  const o = order.data;

  const latest = useRef(null);
  const queue = useRef(Promise.resolve());
  latest.current = o;
  const apply = (shipmentId, answer) => order.setData((current) => {
    const next = {...current, shipments: current.shipments.map((s) => (s.id !== shipmentId ? s :
      {...s, lines: s.lines.map((x) => (x.sku === answer.sku ? {...x, scanned: answer.scanned} : x))}))};
    latest.current = next;
    return next;
  });
  const scanNow = async (scanned) => {
    if (blockedRef.current) { buzz(BAD); return; }
    const open = openShipments(latest.current);
    const targets = open.length ? open : latest.current.shipments;  // all scanned: the server names the extra item
    const refuse = (message) => { blockedRef.current = message; setBlocked(message); buzz(BAD); };
    let refused = null;
    for (const shipment of targets) {
      try {
        const answer = await post(`/shipments/${encodeURIComponent(shipment.id)}/scan`, {code: scanned});
        apply(shipment.id, answer);
        setLast(answer);
        buzz(40);
        return;
      } catch (e) { refused = refused || e; if (!(e.status === 409 && targets.length > 1)) break; }
    }
    refuse(refusal(refused));
  };
  /** Scans go to the server one at a time, in the order they were made. */
  const scan = (raw) => {
    const scanned = raw.trim();
    if (scanned && latest.current) queue.current = queue.current.then(() => scanNow(scanned)).catch(() => {});
  };
  const blockedRef = useRef(null);
  const unblock = () => { blockedRef.current = null; setBlocked(null); };
  useWedge(scan, !!o && o.status === "packing" && !camera);
  if (!o) return order.error ? html`<${ErrorNote} error=${order.error} />` : html`<${Loading} />`;

  const act = async (work) => {
    setBusy(true);
    setError(null);
    try { order.setData(await work()); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const start = () => act(() => post(`/orders/${o.id}/actions/pack`, {expected_version: o.version}));
  // Each scan saves the order (a new version), so the status guard, not the version, protects these.
  const ready = () => act(() => post(`/orders/${o.id}/actions/mark_ready`, {}));
  const handOver = () => act(async () => {
    if (carrier.carrier || carrier.tracking_number) {
      for (const s of o.shipments) await patch(`/shipments/${encodeURIComponent(s.id)}`, carrier);
    }
    return post(`/orders/${o.id}/actions/hand_over`, {});
  });
  const printSlip = async (shipment) => {
    try { printHtml(await getText(`/shipments/${encodeURIComponent(shipment.id)}/packing-slip`)); } catch (e) { setError(e); }
  };
  const names = Object.fromEntries(o.lines.map((x) => [x.sku, x.name]));
  const complete = o.shipments.length > 0 && !openShipments(o).length;
  return html`<div class="screen pack" data-status=${o.status}>
    <section class="card"><div class="row"><h1 class="mono">#${o.id.slice(-8)}</h1><${StatusBadge} status=${o.status} /></div>
      <p class="sub">${(o.customer && o.customer.name) || ""} · <${Money} value=${o.total} /></p></section>
    ${o.shipments.map((s) => html`<section class="card" data-shipment=${s.id}>
      <ul class="list scan-lines">${s.lines.map((x) => html`<li data-sku=${x.sku} class=${x.scanned >= x.quantity ? "done" : ""}>
        <span class="row"><b>${names[x.sku] || x.sku}</b><span class="tally" aria-label=${t("scanned")}>${x.scanned}/${x.quantity}</span></span>
        <span class="sub mono">${x.sku}</span></li>`)}</ul>
      ${o.status === "ready_to_ship" && html`<button type="button" class="secondary" data-print=${s.id} onClick=${() => printSlip(s)}>${t("printSlip")}</button>
        <a class="button secondary" href=${"#/shipping/" + encodeURIComponent(s.id)} data-ship=${s.id}>${lang === "vi" ? "Gửi hàng" : "Ship"}</a>`}
    </section>`)}
    ${o.status === "packing" && html`<section class="card">
      <p class="hint">${t("scanHint")}</p>
      ${last && html`<p class="ok" role="status" id="scan-ok">✓ ${names[last.sku] || last.sku} ${last.scanned}/${last.quantity}</p>`}
      ${complete && html`<p class="ok" role="status">${t("allScanned")}</p>`}
      <form class="row gap" onSubmit=${(e) => { e.preventDefault(); scan(code); setCode(""); }}>
        <input id="scan-code" name="code" placeholder=${t("typeCode")} aria-label=${t("typeCode")} value=${code} autocomplete="off"
          onInput=${(e) => setCode(e.target.value)} />
        <button type="button" class="icon" aria-label=${t("camera")} data-camera onClick=${() => setCamera(true)}>📷</button></form>
      ${camera && html`<${CameraScan} onCode=${scan} onClose=${() => setCamera(false)} />`}</section>`}
    ${o.status === "ready_to_ship" && html`<section class="card">
      <label><span>${t("carrier")}</span><input name="carrier" value=${carrier.carrier} onInput=${(e) => setCarrier({...carrier, carrier: e.target.value})} /></label>
      <label><span>${t("tracking")}</span><input name="tracking_number" value=${carrier.tracking_number}
        onInput=${(e) => setCarrier({...carrier, tracking_number: e.target.value})} /></label></section>`}
    <${ErrorNote} error=${error} />
    ${blocked && html`<div class="blocker" role="alertdialog" aria-modal="true" id="scan-error">
      <p>${blocked}</p><button type="button" class="primary" onClick=${unblock}>${t("ok")}</button></div>`}
    <div class="bottom actions">
      ${o.status === "confirmed" && html`<button type="button" class="primary" id="start-packing" disabled=${busy} onClick=${start}>${t("startPacking")}</button>`}
      ${o.status === "packing" && html`<button type="button" class="primary" id="mark-ready" disabled=${busy || !complete} onClick=${ready}>${t("act_mark_ready")}</button>`}
      ${o.status === "ready_to_ship" && html`<button type="button" class="primary" id="hand-over" disabled=${busy} onClick=${handOver}>${t("handOver")}</button>`}
    </div></div>`;
}
