// Sales channels: connections with their health (status, last sync, last error), connect one
// (pasted tokens or the marketplace's authorize page; a website gets its webhook URL and secret
// once), sync now, the sync log, listings with an unlinked filter and one-tap link to a SKU, and
// failed stock pushes with a retry.
import {useState} from "preact/hooks";
import {get, patch, post} from "../api.js";
import {addWords, t} from "../i18n.js";
import {ErrorNote, Loading, html, useLoad} from "../ui.js";
import {ProductPicker} from "./products.js";

addWords({
  vi: {channelsTitle: "Kênh bán", connect: "Kết nối kênh", channelName: "Tên hiển thị", platformShopId: "Mã shop trên sàn",
    platform: "Nền tảng website", accessToken: "Access token (dán vào)", refreshToken: "Refresh token",
    authorizeOnSite: "Ủy quyền trên trang của sàn", connectWithTokens: "Kết nối", syncNow: "Đồng bộ ngay",
    showLog: "Nhật ký", lastSync: "Đồng bộ lần cuối", never: "chưa", listings: "Sản phẩm trên kênh",
    onlyUnlinked: "Chỉ sản phẩm chưa liên kết", linkTo: "Liên kết SKU", linked: "Đã liên kết", notLinked: "Chưa liên kết",
    pushFailed: "Đẩy tồn thất bại", retry: "Thử lại", webhookUrl: "Địa chỉ webhook", webhookSecret: "Khóa bí mật (chỉ hiện một lần)",
    synced: "Đã đồng bộ: {created} đơn mới, {updated} đơn cập nhật", disable: "Tạm tắt", enable: "Bật lại",
    noConnections: "Chưa có kênh nào được kết nối.", noListings: "Không có sản phẩm nào.", pushed: "Đã đẩy",
    "connStatus.active": "hoạt động", "connStatus.error": "lỗi", "connStatus.expired": "hết hạn token",
    "connStatus.disabled": "đã tắt"},
  en: {channelsTitle: "Sales channels", connect: "Connect a channel", channelName: "Display name", platformShopId: "Shop id on the platform",
    platform: "Website platform", accessToken: "Access token (pasted)", refreshToken: "Refresh token",
    authorizeOnSite: "Authorize on the platform's site", connectWithTokens: "Connect", syncNow: "Sync now",
    showLog: "Log", lastSync: "Last sync", never: "never", listings: "Channel listings",
    onlyUnlinked: "Unlinked only", linkTo: "Link a SKU", linked: "Linked", notLinked: "Not linked",
    pushFailed: "Stock push failed", retry: "Retry", webhookUrl: "Webhook URL", webhookSecret: "Secret (shown once)",
    synced: "Synced: {created} new orders, {updated} updated", disable: "Disable", enable: "Enable",
    noConnections: "No channel connected yet.", noListings: "No listings.", pushed: "Pushed",
    "connStatus.active": "active", "connStatus.error": "error", "connStatus.expired": "token expired",
    "connStatus.disabled": "disabled"},
});

const CHANNELS = ["shopee", "lazada", "tiktok_shop", "website"];
const PLATFORMS = ["haravan", "sapo", "shopify", "woocommerce", "generic"];
const when = (iso) => (iso ? new Date(iso).toLocaleString() : t("never"));

function ConnectForm({onConnected}) {
  const [channel, setChannel] = useState("shopee");
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = {channel, name: f.get("name"), shop_id: f.get("shop_id") || f.get("name")};
    if (channel === "website") body.platform = f.get("platform");
    else body.tokens = {access_token: f.get("access_token"), refresh_token: f.get("refresh_token") || null};
    setError(null);
    post("/channel-connections", body).then((made) => { setCreated(made); onConnected(); }).catch(setError);
  };
  const authorize = () => get(`/channel-connections/${channel}/authorize`, {respond: "json"})
    .then((r) => { location.href = r.url; }).catch(setError);
  if (created && created.webhook_secret) {
    return html`<div class="card ok" id="website-created"><h2>${created.name}</h2>
      <label><span>${t("webhookUrl")}</span><input readonly value=${created.webhook_url} /></label>
      <label><span>${t("webhookSecret")}</span><input readonly id="webhook-secret" value=${created.webhook_secret} /></label>
      <button type="button" class="secondary" onClick=${() => setCreated(null)}>OK</button></div>`;
  }
  return html`<form class="card" id="connect-form" onSubmit=${submit}>
    <h2>${t("connect")}</h2>
    <label><span>${t("channel")}</span><select name="channel" value=${channel} onChange=${(e) => setChannel(e.target.value)}>
      ${CHANNELS.map((c) => html`<option value=${c}>${t("channels." + c)}</option>`)}</select></label>
    <label><span>${t("channelName")}</span><input name="name" required maxlength="120" /></label>
    ${channel === "website" ? html`<label><span>${t("platform")}</span><select name="platform">
        ${PLATFORMS.map((p) => html`<option value=${p}>${p}</option>`)}</select></label>`
      : html`<label><span>${t("platformShopId")}</span><input name="shop_id" required maxlength="64" /></label>
        <label><span>${t("accessToken")}</span><input name="access_token" required autocomplete="off" /></label>
        <label><span>${t("refreshToken")}</span><input name="refresh_token" autocomplete="off" /></label>`}
    <${ErrorNote} error=${error} />
    <button class="primary" type="submit">${t("connectWithTokens")}</button>
    ${channel !== "website" && html`<button type="button" class="secondary" id="authorize" onClick=${authorize}>
      ${t("authorizeOnSite")}</button>`}
  </form>`;
}

function Log({connection}) {
  const log = useLoad(() => get(`/channel-connections/${connection.id}/log`, {limit: 20}));
  if (!log.data) return html`<${Loading} />`;
  return html`<ul class="list lines sync-log">${log.data.items.map((e) => html`<li>
    <span class="row"><b>${e.kind}</b><span class=${"badge " + (e.outcome === "error" ? "s-canceled" : "s-completed")}>
      ${e.outcome}</span></span><span class="sub">${when(e.at)} ${e.detail || ""}</span></li>`)}</ul>`;
}

function ConnectionCard({connection, canManage, onChanged}) {
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  const [showLog, setShowLog] = useState(false);
  const sync = () => post(`/channel-connections/${connection.id}/sync`, {})
    .then((r) => { setNote(t("synced", {created: r.orders_created, updated: r.orders_updated})); onChanged(); }).catch(setError);
  const toggle = () => patch(`/channel-connections/${connection.id}`,
    {status: connection.status === "disabled" ? "active" : "disabled"}).then(onChanged).catch(setError);
  return html`<li class=${"card" + (connection.last_error ? " warn" : "")} data-connection=${connection.id}>
    <div class="row"><strong>${connection.name}</strong>
      <span class="badge conn-status">${t("connStatus." + connection.status)}</span></div>
    <p class="hint">${connection.channel} · ${t("lastSync")}: ${when(connection.last_sync_at)}</p>
    ${connection.last_error && html`<p class="error last-error">${connection.last_error}</p>`}
    ${note && html`<p class="hint">${note}</p>`}
    <${ErrorNote} error=${error} />
    <div class="row">
      ${canManage && connection.channel !== "website" && html`<button type="button" class="primary sync" onClick=${sync}>
        ${t("syncNow")}</button>`}
      <button type="button" class="secondary" onClick=${() => setShowLog(!showLog)}>${t("showLog")}</button>
      ${canManage && html`<button type="button" class="secondary" onClick=${toggle}>
        ${connection.status === "disabled" ? t("enable") : t("disable")}</button>`}
    </div>
    ${showLog && html`<${Log} connection=${connection} />`}
  </li>`;
}

function ListingRow({listing, canManage, onChanged}) {
  const [linking, setLinking] = useState(false);
  const [error, setError] = useState(null);
  const link = (variant) => post(`/channel-listings/${listing.id}/link`, {sku: variant.sku})
    .then(() => { setLinking(false); onChanged(); }).catch(setError);
  const retry = () => post(`/channel-listings/${listing.id}/push`).then(onChanged).catch(setError);
  return html`<li class=${"card listing" + (listing.push_error ? " warn" : "")} data-listing=${listing.id}>
    <div class="row"><b>${listing.name}</b><span class="badge">${listing.sku || t("notLinked")}</span></div>
    <p class="hint mono">${listing.external_sku || listing.external_item_id}
      ${listing.pushed_quantity !== null ? ` · ${t("pushed")}: ${listing.pushed_quantity}` : ""}</p>
    ${listing.push_error && html`<p class="error push-error">${t("pushFailed")}: ${listing.push_error}</p>`}
    <${ErrorNote} error=${error} />
    ${canManage && html`<div class="row">
      ${!listing.sku && !linking && html`<button type="button" class="primary link" onClick=${() => setLinking(true)}>
        ${t("linkTo")}</button>`}
      ${listing.push_error && html`<button type="button" class="secondary retry" onClick=${retry}>${t("retry")}</button>`}</div>`}
    ${linking && html`<${ProductPicker} onPick=${link} />`}
  </li>`;
}

function Listings({canManage}) {
  const [unlinked, setUnlinked] = useState(true);
  const listings = useLoad(() => get("/channel-listings"));
  const items = listings.data ? listings.data.items : [];
  const failed = items.filter((x) => x.push_error);   // failed pushes always show first, with their retry
  const shown = [...failed, ...items.filter((x) => !x.push_error && (!unlinked || !x.sku))];
  return html`<section id="listings"><h2>${t("listings")}</h2>
    <label class="check"><input type="checkbox" id="only-unlinked" checked=${unlinked}
      onChange=${(e) => setUnlinked(e.target.checked)} /> ${t("onlyUnlinked")}</label>
    <${ErrorNote} error=${listings.error} />
    ${listings.data && !shown.length && html`<p class="hint">${t("noListings")}</p>`}
    <ul class="list">${shown.map((x) => html`<${ListingRow} key=${x.id} listing=${x} canManage=${canManage}
      onChanged=${listings.reload} />`)}</ul></section>`;
}

export function Channels({me}) {
  const perms = new Set(me.permissions);
  const canManage = perms.has("channels.manage");
  const list = useLoad(() => get("/channel-connections"));
  if (list.loading && !list.data) return html`<${Loading} />`;
  const items = list.data ? list.data.items : [];
  return html`<section>
    <h1>${t("channelsTitle")}</h1>
    <${ErrorNote} error=${list.error} />
    ${!items.length && html`<p class="hint">${t("noConnections")}</p>`}
    <ul class="list" id="connections">${items.map((c) => html`<${ConnectionCard} key=${c.id} connection=${c}
      canManage=${canManage} onChanged=${list.reload} />`)}</ul>
    <${Listings} canManage=${canManage} />
    ${canManage && html`<${ConnectForm} onConnected=${list.reload} />`}
  </section>`;
}
