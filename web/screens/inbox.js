// Orders inbox: a tab per status with its count, "Cần xử lý" for orders held by warnings, channel
// filter, search by phone / name / id, pull to refresh, and polling while the page is visible.
import {useEffect, useMemo, useRef, useState} from "preact/hooks";
import {get} from "../api.js";
import {t, when} from "../i18n.js";
import {ErrorNote, Money, StatusBadge, html, useLoad} from "../ui.js";

export const CHANNELS = ["pos", "website", "facebook", "zalo", "tiktok", "instagram", "livestream", "telesales", "collaborator",
  "phone", "shopee", "lazada", "tiktok_shop", "other"];
const TABS = ["held", "new", "pending_payment", "confirmed", "packing", "ready_to_ship", "shipping", "completed", "canceled",
  "returning", "returned"];
const FINISHED = new Set(["completed", "canceled", "returned"]);
const RECENT = 200;

function pollEvery() { return Number(localStorage.getItem("quay.pollMs")) || 15000; }

/** A typed phone number goes to the exact phone filter; anything else is free text. */
export function searchParams(text) {
  const raw = (text || "").trim();
  const digits = raw.replace(/[\s.-]/g, "");
  if (/^(\+?84|0)\d{9}$/.test(digits)) return {phone: digits};
  if (/^0\d+$/.test(digits)) return {q: digits.slice(1)};  // numbers are stored as +84...
  return raw ? {q: raw} : {};
}

async function loadInbox(tab, channel, text) {
  const filters = {channel, ...searchParams(text)};
  const [counts, recent] = await Promise.all([get("/orders/counts"), get("/orders", {limit: RECENT, ...filters})]);
  const held = recent.items.filter((o) => o.warnings.length && !FINISHED.has(o.status));
  const items = tab === "held" ? held : (await get("/orders", {status: tab, limit: 50, ...filters})).items;
  return {counts: {...counts.counts, held: held.length}, items};
}

function usePullToRefresh(onRefresh) {
  const [pulling, setPulling] = useState(false);
  const start = useRef(null);
  const handlers = {
    onTouchStart: (e) => { start.current = (document.scrollingElement.scrollTop <= 0) ? e.touches[0].clientY : null; },
    onTouchMove: (e) => { if (start.current !== null) setPulling(e.touches[0].clientY - start.current > 60); },
    onTouchEnd: () => { if (pulling) onRefresh(); start.current = null; setPulling(false); },
  };
  return [pulling, handlers];
}

export function Inbox() {
  const [tab, setTab] = useState(sessionStorage.getItem("quay.tab") || "new");
  const [channel, setChannel] = useState("");
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  const seen = useRef(null);
  const inbox = useLoad(() => loadInbox(tab, channel, search), [tab, channel, search]);
  const [pulling, pull] = usePullToRefresh(inbox.reload);

  useEffect(() => {
    const timer = setInterval(() => { if (document.visibilityState === "visible") inbox.refresh(); }, pollEvery());
    const onVisible = () => document.visibilityState === "visible" && inbox.refresh();
    document.addEventListener("visibilitychange", onVisible);
    return () => { clearInterval(timer); document.removeEventListener("visibilitychange", onVisible); };
  }, [inbox.refresh]);

  const data = inbox.data;
  const fresh = useMemo(() => {
    const added = new Set();
    if (!data) return added;
    const ids = new Set(data.items.map((o) => o.id));
    if (seen.current) ids.forEach((id) => !seen.current.has(id) && added.add(id));
    seen.current = ids;
    return added;
  }, [data]);
  const choose = (name) => { sessionStorage.setItem("quay.tab", name); seen.current = null; setTab(name); };
  return html`<div class="screen" ...${pull}>
    <div class="tabs scroll" role="tablist" aria-label=${t("orders")}>
      ${TABS.map((name) => html`<button type="button" role="tab" data-status=${name} aria-selected=${tab === name} onClick=${() => choose(name)}>
        ${name === "held" ? t("held") : t("status." + name)} <span class="count">${data ? data.counts[name] || 0 : "…"}</span></button>`)}
    </div>
    <form class="filters" role="search" onSubmit=${(e) => { e.preventDefault(); setSearch(text); }}>
      <input name="q" type="search" placeholder=${t("searchOrders")} aria-label=${t("searchOrders")} value=${text}
        onInput=${(e) => setText(e.target.value)} />
      <select name="channel" aria-label=${t("channel")} value=${channel} onChange=${(e) => setChannel(e.target.value)}>
        <option value="">${t("allChannels")}</option>
        ${CHANNELS.map((c) => html`<option value=${c}>${t("channels." + c)}</option>`)}
      </select>
      <button type="submit" class="icon" aria-label=${t("search")}>⌕</button>
    </form>
    ${pulling && html`<p class="pull hint" role="status">${t("pullToRefresh")}</p>`}
    <${ErrorNote} error=${inbox.error} />
    <ul class="list orders" aria-busy=${inbox.loading}>
      ${data && !data.items.length && html`<li class="hint">${t("noOrders")}</li>`}
      ${data && data.items.map((o) => html`<li key=${o.id} class=${fresh.has(o.id) ? "fresh" : ""} data-order=${o.id}>
        <a href=${"#/orders/" + o.id}>
          <span class="row"><b>${o.customer_name || o.customer_phone || "—"}</b><${Money} value=${o.total} /></span>
          <span class="row sub"><span>${t("channels." + o.channel)} · ${when(o.created_at)}</span><${StatusBadge} status=${o.status} /></span>
          <span class="row sub"><span class="mono">#${o.id.slice(-8)}</span><span>${t("pay." + o.payment_status)}</span></span>
          ${o.warnings.length ? html`<span class="warn-line">⚠ ${o.warnings.map((w) => t("warn." + w)).join(", ")}</span>` : null}
        </a></li>`)}
    </ul>
    <div class="bottom actions">
      <button type="button" class="secondary" onClick=${inbox.reload}>${t("refresh")}</button>
      <a class="primary button" href="#/orders/new">${t("newOrder")}</a>
    </div>
  </div>`;
}
