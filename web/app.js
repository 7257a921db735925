"use strict";
// Quay PWA shell: sign in (password or PIN on a counter device), who am I, sign out.
const T = {
  vi: {signIn: "Đăng nhập", byPassword: "Mật khẩu", byPin: "Mã PIN", email: "Email", password: "Mật khẩu",
    signInButton: "Đăng nhập", who: "Nhân viên", pin: "Mã PIN", hello: "Xin chào,", shop: "Cửa hàng",
    role: "Vai trò", emailLabel: "Email", signOut: "Đăng xuất", useAsCounter: "Dùng máy này làm máy quầy",
    deviceRegistered: "Máy này đã là máy quầy: nhân viên có thể đăng nhập bằng mã PIN.",
    pinNeedsDevice: "Chỉ dùng trên máy quầy đã được quản lý đăng ký.", noDevice: "Máy này chưa được đăng ký làm máy quầy.",
    offline: "Không có kết nối mạng.", failed: "Có lỗi, vui lòng thử lại.",
    roles: {owner: "Chủ cửa hàng", manager: "Quản lý", cashier: "Thu ngân", sales: "Bán hàng", warehouse: "Kho",
      livestream: "Livestream", customer_care: "Chăm sóc khách hàng", accountant: "Kế toán"}},
  en: {signIn: "Sign in", byPassword: "Password", byPin: "PIN", email: "Email", password: "Password",
    signInButton: "Sign in", who: "Staff member", pin: "PIN", hello: "Hello,", shop: "Shop", role: "Role",
    emailLabel: "Email", signOut: "Sign out", useAsCounter: "Use this device as a counter device",
    deviceRegistered: "This is a counter device: staff can sign in with their PIN.",
    pinNeedsDevice: "Only on a counter device registered by a manager.", noDevice: "This device is not a registered counter device.",
    offline: "No network connection.", failed: "Something went wrong, please try again.",
    roles: {owner: "Owner", manager: "Manager", cashier: "Cashier", sales: "Sales", warehouse: "Warehouse",
      livestream: "Livestream", customer_care: "Customer care", accountant: "Accountant"}},
};
const store = window.localStorage;
let lang = store.getItem("quay.lang") || "vi";
const $ = (sel, root = document) => root.querySelector(sel);
const t = (key) => T[lang][key] || key;

async function api(path, {method = "GET", body, token} = {}) {
  const headers = {"Content-Type": "application/json"};
  if (token) headers.Authorization = "Bearer " + token;
  let res;
  try { res = await fetch("/api/v1" + path, {method, headers, body: body && JSON.stringify(body)}); }
  catch (e) { throw new Error(t("offline")); }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) { const err = new Error((data && data.detail) || t("failed")); err.status = res.status; throw err; }
  return data;
}

function translate(root) {
  document.documentElement.lang = lang;
  root.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  $("#lang").textContent = lang === "vi" ? "EN" : "VI";
}

function show(id) {
  const view = $("#view");
  view.replaceChildren($("#" + id).content.cloneNode(true));
  translate(view);
  return view;
}

function fail(form, error) { const p = $(".error", form); p.textContent = error.message; p.hidden = false; }

async function pinStaff(select) {
  const device = store.getItem("quay.device");
  if (!device) throw new Error(t("noDevice"));
  const {items} = await api("/auth/device-staff", {method: "POST", body: {device_token: device}});
  select.replaceChildren(...items.map((s) => new Option(s.name, s.id)));
}

function loginView() {
  const view = show("login-view");
  const forms = {password: $("#password-form", view), pin: $("#pin-form", view)};
  view.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", () => {
    view.querySelectorAll("[data-tab]").forEach((b) => b.setAttribute("aria-selected", b === tab));
    for (const [name, form] of Object.entries(forms)) form.hidden = name !== tab.dataset.tab;
    if (tab.dataset.tab === "pin") pinStaff($("select", forms.pin)).catch((e) => fail(forms.pin, e));
  }));
  const signIn = (form, path, body) => api(path, {method: "POST", body})
    .then((session) => { store.setItem("quay.session", JSON.stringify(session)); homeView(); })
    .catch((e) => fail(form, e));
  forms.password.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = new FormData(forms.password);
    signIn(forms.password, "/auth/login", {email: f.get("email"), password: f.get("password")});
  });
  forms.pin.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = new FormData(forms.pin);
    signIn(forms.pin, "/auth/pin", {device_token: store.getItem("quay.device"), staff_id: f.get("staff_id"), pin: f.get("pin")});
  });
}

function session() { try { return JSON.parse(store.getItem("quay.session")); } catch (e) { return null; } }

// Calls the API as the signed-in staff member; an expired access token is renewed once.
async function authed(path, options = {}) {
  const current = session();
  try { return await api(path, {...options, token: current.access_token}); }
  catch (e) {
    if (e.status !== 401 || !current.refresh_token) throw e;
    const renewed = await api("/auth/refresh", {method: "POST", body: {refresh_token: current.refresh_token}});
    store.setItem("quay.session", JSON.stringify(renewed));
    return api(path, {...options, token: renewed.access_token});
  }
}

function signOut() {
  const current = session();
  store.removeItem("quay.session");
  if (current && current.refresh_token) {
    api("/auth/logout", {method: "POST", body: {refresh_token: current.refresh_token}}).catch(() => {});
  }
  loginView();
}

async function homeView() {
  const current = session();
  if (!current) return loginView();
  let me;
  try { me = await authed("/me"); }
  catch (e) { if (e.status === 401) { store.removeItem("quay.session"); return loginView(); } me = current.staff; }
  const view = show("home-view");
  $("#me-name", view).textContent = me.name;
  $("#me-shop", view).textContent = me.shop.name;
  $("#me-role", view).textContent = T[lang].roles[me.role] || me.role;
  $("#me-email", view).textContent = me.email;
  const register = $("#register-device", view);
  register.hidden = !me.permissions.includes("staff.manage") || !!store.getItem("quay.device");
  $("#device-note", view).hidden = !store.getItem("quay.device");
  register.addEventListener("click", async () => {
    const {device_token} = await authed("/auth/devices", {method: "POST"});
    store.setItem("quay.device", device_token);
    homeView();
  });
  $("#logout", view).addEventListener("click", signOut);
}

$("#lang").addEventListener("click", () => {
  lang = lang === "vi" ? "en" : "vi";
  store.setItem("quay.lang", lang);
  session() ? homeView() : loginView();
});
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
homeView();
