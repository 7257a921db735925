// Sign in by email and password, or by PIN on a registered counter device.
import {useState} from "preact/hooks";
import {post, saveSession} from "../api.js";
import {t} from "../i18n.js";
import {html} from "../ui.js";

export function Login({onSignedIn}) {
  const [tab, setTab] = useState("password");
  const [error, setError] = useState(null);
  const [staff, setStaff] = useState(null);  // null: not asked yet
  const [busy, setBusy] = useState(false);
  const device = localStorage.getItem("quay.device");

  const signIn = (path, body) => {
    setBusy(true);
    setError(null);
    post(path, body, {auth: false}).then((s) => { saveSession(s); onSignedIn(s); })
      .catch((e) => setError(e.status === 401 && path === "/auth/login" ? t("badLogin") : e.message))
      .finally(() => setBusy(false));
  };
  const choose = (next) => {
    setTab(next);
    setError(null);
    if (next !== "pin") return;
    if (!device) { setError(t("noDevice")); return; }
    post("/auth/device-staff", {device_token: device}, {auth: false}).then((r) => setStaff(r.items)).catch((e) => setError(e.message));
  };
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    if (tab === "password") signIn("/auth/login", {email: f.get("email"), password: f.get("password")});
    else signIn("/auth/pin", {device_token: device, staff_id: f.get("staff_id"), pin: f.get("pin")});
  };
  const errorLine = error && html`<p class="error" role="alert">${error}</p>`;
  return html`<section class="card">
    <h1>${t("signIn")}</h1>
    <div class="tabs" role="tablist">
      ${["password", "pin"].map((name) => html`<button type="button" role="tab" data-tab=${name} aria-selected=${tab === name}
        onClick=${() => choose(name)}>${t(name === "password" ? "byPassword" : "byPin")}</button>`)}
    </div>
    ${tab === "password" ? html`<form id="password-form" autocomplete="on" onSubmit=${submit}>
        <label><span>${t("email")}</span><input name="email" type="email" inputmode="email" autocomplete="username" required /></label>
        <label><span>${t("password")}</span><input name="password" type="password" autocomplete="current-password" required /></label>
        ${errorLine}
        <button class="primary" type="submit" disabled=${busy}>${t("signInButton")}</button></form>` :
      html`<form id="pin-form" onSubmit=${submit}>
        <p class="hint">${t("pinNeedsDevice")}</p>
        ${staff && staff.length === 0 && html`<p class="hint" id="no-pin-staff">${t("noPinStaff")}</p>`}
        <label><span>${t("who")}</span><select name="staff_id" required>${(staff || []).map((s) => html`<option value=${s.id}>${s.name}</option>`)}</select></label>
        <label><span>${t("pin")}</span><input name="pin" type="password" inputmode="numeric" pattern="\\d{4,6}" maxlength="6" autocomplete="off" required /></label>
        ${errorLine}
        <button class="primary" type="submit" disabled=${busy}>${t("signInButton")}</button></form>`}
  </section>`;
}
