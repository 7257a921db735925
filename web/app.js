// Quay staff PWA: the shell (header, bottom navigation, hash routes) around one module per screen.
import {render} from "preact";
import {useEffect, useState} from "preact/hooks";
import {forgetSession, get, outbox, session, whenExpired} from "./api.js";
import {lang, setLang, setTimeZone, t} from "./i18n.js";
import {html} from "./ui.js";
import {Login} from "./screens/login.js";
import {Home} from "./screens/home.js";
import {Inbox} from "./screens/inbox.js";
import {OrderDetail} from "./screens/order.js";
import {NewOrder} from "./screens/new_order.js";
import {PackList, PackOrder} from "./screens/pack.js";
import {Pos} from "./screens/pos.js";
import {Stock} from "./screens/stock.js";
import {Staff} from "./screens/staff.js";
import {FEATURES} from "./features.js";

const NAV = [
  {path: "", word: "home", icon: "⌂", allowed: () => true},
  {path: "orders", word: "orders", icon: "☰", allowed: (p) => p.has("orders.view")},
  {path: "pack", word: "pack", icon: "▣", allowed: (p) => p.has("orders.process")},
  {path: "pos", word: "pos", icon: "₫", allowed: (p) => p.has("orders.create")},
  {path: "stock", word: "stock", icon: "▤", allowed: (p) => p.has("stock.view")},
];

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("?")[0].split("/").filter(Boolean).map(decodeURIComponent);
  return {section: parts[0] || "", id: parts[1] || null, rest: parts.slice(2)};
}

/** A feature screen, fetched the first time it is opened (see features.js). */
function LazyScreen({feature, ...props}) {
  const [screen, setScreen] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { feature.load().then((component) => setScreen(() => component)).catch(setError); }, [feature.section]);
  if (error) return html`<p class="error" role="alert">${t("failed")}</p>`;
  return screen ? html`<${screen} ...${props} />` : html`<p class="hint">${t("loading")}</p>`;
}

function screenFor({section, id, rest}, me, onSignOut) {
  const props = {me, onSignOut, key: section + "/" + (id || "") + "/" + rest.join("/")};
  const feature = FEATURES.find((f) => f.section === section);
  if (feature) return html`<${LazyScreen} ...${props} feature=${feature} id=${id} rest=${rest} />`;
  if (section === "orders" && id === "new") return html`<${NewOrder} ...${props} />`;
  if (section === "orders" && id) return html`<${OrderDetail} ...${props} id=${id} />`;
  if (section === "orders") return html`<${Inbox} ...${props} />`;
  if (section === "pack" && id) return html`<${PackOrder} ...${props} id=${id} />`;
  if (section === "pack") return html`<${PackList} ...${props} />`;
  if (section === "pos") return html`<${Pos} ...${props} />`;
  if (section === "stock") return html`<${Stock} ...${props} sku=${id} />`;
  if (section === "staff") return html`<${Staff} ...${props} />`;
  return html`<${Home} ...${props} />`;
}

function OutboxBadge() {
  const [state, setState] = useState({pending: 0, failed: []});
  useEffect(() => outbox.subscribe(setState), []);
  if (!state.pending && !state.failed.length) return null;
  return html`<a id="outbox-count" class="pill" href="#/pos" title=${t("pendingSales", {n: state.pending})}
    aria-label=${t("pendingSales", {n: state.pending})}>${t("pending")}: <b>${state.pending}</b>
    ${state.failed.length ? html` · ⚠ ${state.failed.length}` : ""}</a>`;
}

function App() {
  const [me, setMe] = useState(() => (session() ? session().staff : null));
  const [where, setWhere] = useState(route());
  const [, setWords] = useState(lang);
  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener("hashchange", onHash);
    whenExpired(() => setMe(null));
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    if (!session()) return;
    get("/me").then((fresh) => { setMe(fresh); session() && localStorage.setItem("quay.session", JSON.stringify({...session(), staff: fresh})); })
      .catch((e) => { if (e.status === 401) { forgetSession(); setMe(null); } });
    outbox.flush().catch(() => {});
  }, [me && me.id]);
  useEffect(() => { if (me) setTimeZone(me.shop && me.shop.timezone); }, [me]);
  const switchLang = () => { setLang(lang === "vi" ? "en" : "vi"); setWords(lang); };
  const perms = new Set((me && me.permissions) || []);
  return html`
    <header class="bar">
      <strong class="brand">Quay</strong>
      <span class="bar-end">${me && html`<${OutboxBadge} />`}
        <button id="lang" class="link" type="button" aria-label="Language" onClick=${switchLang}>${lang === "vi" ? "EN" : "VI"}</button></span>
    </header>
    <main id="view" aria-live="polite">
      ${me ? screenFor(where, me, () => setMe(null)) : html`<${Login} onSignedIn=${(s) => { setMe(s.staff); location.hash = "#/"; }} />`}
    </main>
    ${me && html`<nav class="tabbar" aria-label="Quay">
      ${NAV.filter((n) => n.allowed(perms)).map((n) => html`
        <a href=${"#/" + n.path} class=${where.section === n.path ? "on" : ""} aria-current=${where.section === n.path ? "page" : undefined}
          data-nav=${n.path || "home"}><span aria-hidden="true">${n.icon}</span>${t(n.word)}</a>`)}
    </nav>`}`;
}

document.documentElement.lang = lang;
render(html`<${App} />`, document.getElementById("app"));
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
