// Alerts: what the shop is told on Telegram (events, summary time, overdue hours), linking a chat by a
// t.me link, the recent alerts with failures and a retry, and notifications on this device (Web Push).
import {useState} from "preact/hooks";
import {get, post, put} from "../api.js";
import {addWords, t, when} from "../i18n.js";
import {ErrorNote, Loading, html, useLoad} from "../ui.js";

addWords({
  vi: {alerts: {title: "Cảnh báo", events: "Báo cho tôi khi", summaryAt: "Giờ gửi tổng kết ngày",
    overdueHours: "Đơn quá hạn đóng gói sau (giờ)", save: "Lưu cài đặt", saved: "Đã lưu",
    link: "Liên kết Telegram", linkHint: "Mở liên kết này trên điện thoại có Telegram rồi bấm Bắt đầu (Start).",
    chats: "Nhóm/chat đã liên kết", noChats: "Chưa liên kết Telegram.", recent: "Cảnh báo gần đây",
    none: "Chưa có cảnh báo nào.", retry: "Gửi lại", push: "Cho phép thông báo trên máy này",
    pushOn: "Máy này sẽ nhận thông báo đơn mới và đơn có vấn đề.", pushUnavailable: "Trình duyệt này không hỗ trợ thông báo.",
    status: {pending: "Chờ gửi", sent: "Đã gửi", failed: "Lỗi"},
    event: {new_order: "Đơn mới", problem_order: "Đơn có vấn đề", overdue_order: "Đơn quá hạn",
      low_stock: "Sắp hết hàng", daily_summary: "Tổng kết ngày", settings_changed: "Thay đổi cài đặt",
      channel_error: "Lỗi kênh bán"}}},
  en: {alerts: {title: "Alerts", events: "Tell me when", summaryAt: "Daily summary time",
    overdueHours: "Order overdue if not packed after (hours)", save: "Save settings", saved: "Saved",
    link: "Link Telegram", linkHint: "Open this link on a phone with Telegram and press Start.",
    chats: "Linked chats", noChats: "No Telegram chat linked yet.", recent: "Recent alerts",
    none: "No alerts yet.", retry: "Retry", push: "Allow notifications on this device",
    pushOn: "This device will be notified of new and problem orders.", pushUnavailable: "This browser cannot show notifications.",
    status: {pending: "Pending", sent: "Sent", failed: "Failed"},
    event: {new_order: "New order", problem_order: "Problem order", overdue_order: "Overdue order",
      low_stock: "Low stock", daily_summary: "Daily summary", settings_changed: "Settings changed",
      channel_error: "Channel error"}}},
});

const EVENTS = ["new_order", "problem_order", "overdue_order", "low_stock", "daily_summary", "settings_changed", "channel_error"];

function SettingsForm({settings, onSaved}) {
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  // What the owner has ticked and typed lives here: a re-render (the alert list arriving) keeps it.
  const [draft, setDraft] = useState({events: {...settings.events}, daily_summary_at: settings.daily_summary_at,
    overdue_hours: settings.overdue_hours});
  const tick = (e) => (ev) => setDraft({...draft, events: {...draft.events, [e]: ev.target.checked}});
  const type = (name) => (ev) => setDraft({...draft, [name]: ev.target.value});
  const submit = (ev) => {
    ev.preventDefault();
    const body = {events: Object.fromEntries(EVENTS.map((e) => [e, Boolean(draft.events[e])])),
      daily_summary_at: draft.daily_summary_at, overdue_hours: Number(draft.overdue_hours)};
    setError(null);
    put("/alert-settings", body).then((saved) => { setNote(t("alerts.saved")); onSaved(saved); }).catch(setError);
  };
  return html`<form class="card" id="alert-settings" onSubmit=${submit}>
    <fieldset><legend>${t("alerts.events")}</legend>
      ${EVENTS.map((e) => html`<label class="check"><input type="checkbox" name=${e} checked=${Boolean(draft.events[e])} onChange=${tick(e)} /> ${t("alerts.event." + e)}</label>`)}
    </fieldset>
    <label><span>${t("alerts.summaryAt")}</span><input name="daily_summary_at" type="time" required value=${draft.daily_summary_at} onInput=${type("daily_summary_at")} /></label>
    <label><span>${t("alerts.overdueHours")}</span><input name="overdue_hours" type="number" inputmode="numeric" min="1" max="336" required value=${draft.overdue_hours} onInput=${type("overdue_hours")} /></label>
    <${ErrorNote} error=${error} />
    ${note && html`<p class="hint" id="settings-saved">${note}</p>`}
    <button class="primary" type="submit">${t("alerts.save")}</button></form>`;
}

function TelegramLink({settings}) {
  const [link, setLink] = useState(null);
  const [error, setError] = useState(null);
  const chats = settings.telegram_chat_ids;
  return html`<section class="card" id="telegram">
    <h2>${t("alerts.chats")}</h2>
    ${chats.length ? html`<ul id="chats">${chats.map((c) => html`<li>${settings.chats[c] || c}</li>`)}</ul>`
      : html`<p class="hint">${t("alerts.noChats")}</p>`}
    ${link && html`<p class="hint">${t("alerts.linkHint")}</p><p><a id="telegram-url" href=${link.url} target="_blank" rel="noopener">${link.url}</a></p>`}
    <${ErrorNote} error=${error} />
    <button type="button" class="secondary" id="link-telegram" onClick=${() => post("/alert-settings/telegram-link").then(setLink).catch(setError)}>${t("alerts.link")}</button>
  </section>`;
}

function key(base64) {
  const text = atob(base64.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function PushToggle() {
  const [state, setState] = useState(null);
  const [error, setError] = useState(null);
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  const allow = async () => {
    setError(null);
    try {
      if (await Notification.requestPermission() !== "granted") return;
      const {public_key} = await get("/push/key");
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(public_key)});
      await post("/push-subscriptions", subscription.toJSON());
      setState("on");
    } catch (problem) { setError(problem); }
  };
  return html`<section class="card" id="push">
    ${!supported ? html`<p class="hint">${t("alerts.pushUnavailable")}</p>`
      : state === "on" ? html`<p class="hint" id="push-on">${t("alerts.pushOn")}</p>`
        : html`<button type="button" class="secondary" id="allow-push" onClick=${allow}>${t("alerts.push")}</button>`}
    <${ErrorNote} error=${error} /></section>`;
}

function AlertRow({alert, onRetried}) {
  const [error, setError] = useState(null);
  return html`<li class="card alert-row" data-alert=${alert.id} data-status=${alert.status}>
    <strong>${t("alerts.event." + alert.event)}</strong> · <span class=${"badge a-" + alert.status}>${t("alerts.status." + alert.status)}</span>
    <p class="hint">${when(alert.created_at)}</p>
    ${alert.text && html`<p class="alert-text">${alert.text.split("\n")[0]}</p>`}
    ${alert.last_error && html`<p class="error alert-error">${alert.last_error}</p>`}
    <${ErrorNote} error=${error} />
    ${alert.status !== "sent" && html`<button type="button" class="secondary retry" onClick=${() => post(`/alerts/${alert.id}/retry`).then(onRetried).catch(setError)}>${t("alerts.retry")}</button>`}
  </li>`;
}

export function Alerts() {
  const settings = useLoad(() => get("/alert-settings"));
  const recent = useLoad(() => get("/alerts", {limit: 30}));
  if (settings.loading && !settings.data) return html`<${Loading} />`;
  if (!settings.data) return html`<${ErrorNote} error=${settings.error} />`;
  const items = recent.data ? recent.data.items : [];
  return html`<section style="overflow-wrap:anywhere">
    <h1>${t("alerts.title")}</h1>
    <${TelegramLink} settings=${settings.data} />
    <${PushToggle} />
    <${SettingsForm} settings=${settings.data} onSaved=${settings.reload} />
    <h2>${t("alerts.recent")}</h2>
    ${items.length ? html`<ul class="list" id="alert-list">${items.map((a) => html`<${AlertRow} key=${a.id} alert=${a} onRetried=${recent.reload} />`)}</ul>`
      : html`<p class="hint">${t("alerts.none")}</p>`}
  </section>`;
}


