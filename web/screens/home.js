// Home: who I am, shortcuts to the day's work, this device (counter device, payment account), sign out.
import {useState} from "preact/hooks";
import {forgetSession, patch, post, session} from "../api.js";
import {lang, t} from "../i18n.js";
import {FEATURES} from "../features.js";
import {html} from "../ui.js";

export const BANK_KEY = "quay.bank";
/** The VietQR payee: this device's own account if one was set here, else the shop's (GET /shop). */
export function bankAccount() {
  try { const local = JSON.parse(localStorage.getItem(BANK_KEY)); if (local) return local; } catch { /* unreadable: use the shop's */ }
  const shop = session() && session().staff && session().staff.shop;
  return shop && shop.bank ? {bin: shop.bank.bin, account: shop.bank.account, name: shop.bank.account_name} : null;
}

function BankForm({shared}) {
  const [saved, setSaved] = useState(false);
  const bank = bankAccount() || {};
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const bank = {bin: f.get("bin").trim(), account: f.get("account").trim(), name: f.get("name").trim()};
    localStorage.setItem(BANK_KEY, JSON.stringify(bank));
    if (!shared) { setSaved(true); return; }
    // the owner's account is the shop's: every counter device shows it (PATCH /shop)
    patch("/shop", {bank: {bin: bank.bin, account: bank.account, account_name: bank.name || "QUAY"}})
      .then(() => setSaved(true)).catch(() => setSaved(true));
  };
  return html`<form class="card" id="bank-form" onSubmit=${submit}>
    <h2>${t("bankTitle")}</h2>
    <label><span>${t("bankBin")}</span><input name="bin" inputmode="numeric" pattern="\\d{6}" required value=${bank.bin || ""} placeholder="970436" /></label>
    <label><span>${t("bankAccount")}</span><input name="account" inputmode="numeric" pattern="[0-9A-Za-z]{1,19}" required value=${bank.account || ""} /></label>
    <label><span>${t("bankName")}</span><input name="name" value=${bank.name || ""} /></label>
    ${saved && html`<p class="ok" role="status">${t("done")}</p>`}
    <button class="secondary" type="submit">${t("save")}</button></form>`;
}

export function Home({me, onSignOut}) {
  const [device, setDevice] = useState(localStorage.getItem("quay.device"));
  const perms = new Set(me.permissions);
  const register = async () => {
    const {device_token} = await post("/auth/devices");
    localStorage.setItem("quay.device", device_token);
    setDevice(device_token);
  };
  const signOut = () => {
    const current = session();
    forgetSession();
    if (current && current.refresh_token) post("/auth/logout", {refresh_token: current.refresh_token}, {auth: false}).catch(() => {});
    onSignOut();
  };
  const tiles = [["orders", "orders.view", "orders"], ["orders/new", "orders.create", "newOrder"], ["pack", "orders.process", "pack"],
    ["pos", "orders.create", "pos"], ["stock", "stock.view", "stock"], ["staff", "staff.view", "staff"]].filter(([, p]) => perms.has(p));
  return html`
    <section class="card">
      <p class="hello">${t("hello")} <strong id="me-name">${me.name}</strong></p>
      <dl class="facts">
        <dt>${t("shop")}</dt><dd id="me-shop">${me.shop && me.shop.name}</dd>
        <dt>${t("role")}</dt><dd id="me-role">${t("roles." + me.role)}</dd>
        <dt>${t("emailLabel")}</dt><dd id="me-email">${me.email}</dd>
      </dl>
      ${perms.has("staff.manage") && !device && html`<button id="register-device" type="button" class="secondary" onClick=${register}>${t("useAsCounter")}</button>`}
      ${device && html`<p id="device-note" class="hint">${t("deviceRegistered")}</p>`}
    </section>
    <section class="card"><h2>${t("shortcuts")}</h2>
      <div class="tiles">${tiles.map(([path, , word]) => html`<a class="tile" href=${"#/" + path}>${t(word)}</a>`)}
        ${FEATURES.filter((f) => perms.has(f.permission)).map((f) => html`
          <a class="tile" href=${"#/" + f.section} data-feature=${f.section}>${f.label[lang] || f.label.vi}</a>`)}</div></section>
    ${(perms.has("staff.manage") || perms.has("shop.manage")) && html`<${BankForm} shared=${perms.has("shop.manage")} />`}
    <div class="bottom"><button id="logout" type="button" class="primary" onClick=${signOut}>${t("signOut")}</button></div>`;
}
