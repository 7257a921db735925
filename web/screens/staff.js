// Staff accounts: who works here, their role, locations and PIN; add someone; pause an account.
// The server decides what a manager may grant (only their own locations, no manager roles).
import {useState} from "preact/hooks";
import {get, patch, post} from "../api.js";
import {t} from "../i18n.js";
import {ErrorNote, Loading, html, useLoad} from "../ui.js";

const ROLES = ["manager", "cashier", "sales", "warehouse", "livestream", "customer_care", "accountant"];

function AddStaff({locations, onAdded}) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = {email: f.get("email"), name: f.get("name"), role: f.get("role"), password: f.get("password"),
      location_ids: f.getAll("location_ids")};
    if (f.get("pin")) body.pin = f.get("pin");
    setBusy(true);
    setError(null);
    post("/staff", body).then(() => { ev.target.reset(); onAdded(); }).catch(setError).finally(() => setBusy(false));
  };
  return html`<form class="card" id="add-staff" onSubmit=${submit}>
    <h2>${t("addStaff")}</h2>
    <label><span>${t("name")}</span><input name="name" required maxlength="120" /></label>
    <label><span>${t("emailLabel")}</span><input name="email" type="email" inputmode="email" required /></label>
    <label><span>${t("role")}</span><select name="role">${ROLES.map((r) => html`<option value=${r}>${t("roles." + r)}</option>`)}</select></label>
    <label><span>${t("password")}</span><input name="password" type="password" minlength="10" required autocomplete="new-password" /></label>
    <label><span>${t("pin")}</span><input name="pin" inputmode="numeric" pattern="\\d{4,6}" maxlength="6" autocomplete="off" /></label>
    <fieldset><legend>${t("staffLocations")}</legend>
      ${locations.map((l) => html`<label class="check"><input type="checkbox" name="location_ids" value=${l.id} /> ${l.name}</label>`)}
    </fieldset>
    <${ErrorNote} error=${error} />
    <button class="primary" type="submit" disabled=${busy}>${t("save")}</button></form>`;
}

function StaffRow({person, names, onChanged}) {
  const [error, setError] = useState(null);
  const change = (body) => patch(`/staff/${person.id}`, body).then(onChanged).catch(setError);
  const setPin = () => {
    const pin = prompt(t("newPin"));
    if (pin) change({pin});
  };
  const where = person.location_ids.length ? person.location_ids.map((id) => names[id] || id).join(", ") : t("allLocations");
  return html`<li class="card staff-row" data-staff=${person.id}>
    <strong>${person.name}</strong> · ${t("roles." + person.role)}${person.active ? "" : html` · <em>${t("paused")}</em>`}
    <p class="hint">${person.email} · ${where} · ${person.has_pin ? t("hasPin") : t("noPin")}</p>
    <${ErrorNote} error=${error} />
    ${person.role !== "owner" && html`<div class="row">
      <button type="button" class="secondary set-pin" onClick=${setPin}>${t("setPin")}</button>
      <button type="button" class="secondary toggle" onClick=${() => change({active: !person.active})}>
        ${person.active ? t("pause") : t("resume")}</button></div>`}
  </li>`;
}

export function Staff({me}) {
  const perms = new Set(me.permissions);
  const staff = useLoad(() => get("/staff"));
  const locations = useLoad(() => get("/locations").then((r) => r.items || r));
  if (staff.loading && !staff.data) return html`<${Loading} />`;
  const names = Object.fromEntries((locations.data || []).map((l) => [l.id, l.name]));
  return html`<section>
    <h1>${t("staff")}</h1>
    <${ErrorNote} error=${staff.error} />
    <ul class="list" id="staff-list">${(staff.data ? staff.data.items : []).map((p) => html`<${StaffRow} key=${p.id}
      person=${p} names=${names} onChanged=${staff.reload} />`)}</ul>
    ${perms.has("staff.manage") && html`<${AddStaff} locations=${locations.data || []} onAdded=${staff.reload} />`}
  </section>`;
}
