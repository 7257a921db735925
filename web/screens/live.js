// Live selling: set up a session (a short code per SKU), then the live screen: big counters per
// code, the last comments with what became of them, a quick input for typed comments, one-tap fixes
// for comments waiting for review, and at the end each buyer's message to copy into Messenger/Zalo.
// The live screen polls GET /live-sessions/{id}?since=<previous now> every 1.5 s.
import {useEffect, useRef, useState} from "preact/hooks";
import {get, post} from "../api.js";
import {addWords, t} from "../i18n.js";
import {ErrorNote, Loading, Money, html, navigate, useLoad} from "../ui.js";

addWords({
  vi: {live: {title: "Bán live", sessions: "Phiên live", setup: "Tạo phiên live", name: "Tên phiên", channel: "Kênh",
    location: "Giữ hàng tại", hold: "Giữ hàng (phút)", codes: "Mã cho sản phẩm (để trống nếu không bán)",
    start: "Bắt đầu live", left: "còn", held: "giữ", orders: "Đơn", revenue: "Doanh thu", buyer: "Tên khách",
    comment: "Bình luận (vd: A1 đỏ M 0901234567)", capture: "Chốt", end: "Kết thúc live", ended: "Đã kết thúc",
    summary: "Tổng kết live", copy: "Sao chép", copied: "Đã chép", dismiss: "Bỏ qua", noComments: "Chưa có bình luận",
    confirmEnd: "Kết thúc phiên live? Hàng chưa thanh toán vẫn được giữ đến hết hạn.", open: "Đang live",
    result: {captured: "Đã chốt", updated: "Thêm vào đơn", ignored: "Bỏ qua", needs_review: "Cần xem lại",
      sold_out: "Hết hàng", resolved: "Đã sửa"}}},
  en: {live: {title: "Live selling", sessions: "Live sessions", setup: "New live session", name: "Title", channel: "Channel",
    location: "Hold stock at", hold: "Hold (minutes)", codes: "Code per product (blank = not on this live)",
    start: "Go live", left: "left", held: "held", orders: "Orders", revenue: "Revenue", buyer: "Buyer name",
    comment: "Comment (e.g. A1 red M 0901234567)", capture: "Capture", end: "End live", ended: "Ended",
    summary: "Live summary", copy: "Copy", copied: "Copied", dismiss: "Dismiss", noComments: "No comments yet",
    confirmEnd: "End this live? Unpaid holds stay until they expire.", open: "Live",
    result: {captured: "Captured", updated: "Added to order", ignored: "Ignored", needs_review: "Needs review",
      sold_out: "Sold out", resolved: "Fixed"}}},
});

const CHANNELS = ["facebook", "livestream", "tiktok", "instagram", "zalo"];
const POLL_MS = 1500;
const KEEP_COMMENTS = 40;

function Setup({onCreated}) {
  const locations = useLoad(() => get("/locations").then((r) => r.items), []);
  const products = useLoad(() => get("/products", {limit: 200, status: "active"}).then((r) => r.items), []);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const items = [...ev.target.querySelectorAll("input[data-sku]")].filter((i) => i.value.trim())
      .map((i) => ({code: i.value.trim(), sku: i.dataset.sku}));
    const body = {title: f.get("title"), channel: f.get("channel"), location_id: f.get("location_id"), items};
    if (f.get("hold_minutes")) body.hold_minutes = Number(f.get("hold_minutes"));
    setBusy(true);
    setError(null);
    post("/live-sessions", body).then((s) => onCreated(s.id)).catch(setError).finally(() => setBusy(false));
  };
  const variants = (products.data || []).flatMap((p) => p.variants.map((v) => ({...v, product: p.name})));
  return html`<form class="card" id="live-setup" onSubmit=${submit}>
    <h2>${t("live.setup")}</h2>
    <label><span>${t("live.name")}</span><input name="title" required maxlength="200" value="Live" /></label>
    <label><span>${t("live.channel")}</span><select name="channel">${CHANNELS.map((c) => html`<option value=${c}>${c}</option>`)}</select></label>
    <label><span>${t("live.location")}</span><select name="location_id">
      ${(locations.data || []).map((l) => html`<option value=${l.id}>${l.name}</option>`)}</select></label>
    <label><span>${t("live.hold")}</span><input name="hold_minutes" type="number" inputmode="numeric" min="1" value="60" /></label>
    <fieldset><legend>${t("live.codes")}</legend>
      ${variants.map((v) => html`<label class="row" data-variant=${v.sku}><span>${v.product} · ${Object.values(v.attributes || {}).join(" ")}
        <small class="hint"> ${v.sku}</small></span>
        <input data-sku=${v.sku} maxlength="16" style="max-width:5em;text-transform:uppercase" autocomplete="off" /></label>`)}
    </fieldset>
    <${ErrorNote} error=${error} />
    <div class="bottom"><button class="primary" type="submit" disabled=${busy} id="live-start">${t("live.start")}</button></div>
  </form>`;
}

function Sessions() {
  const list = useLoad(() => get("/live-sessions"), []);
  return html`<section>
    <h1>${t("live.title")}</h1>
    <${Setup} onCreated=${(id) => navigate("#/live/" + id)} />
    <h2>${t("live.sessions")}</h2>
    <ul class="list" id="live-sessions">${(list.data ? list.data.items : []).map((s) => html`<li class="card">
      <a href=${"#/live/" + s.id + (s.status === "ended" ? "/summary" : "")}>${s.title}</a>
      · ${s.status === "open" ? t("live.open") : t("live.ended")}</li>`)}</ul>
  </section>`;
}

function Counter({item}) {
  const low = item.available <= 0;
  return html`<div class="card live-counter" data-code=${item.code} data-sku=${item.sku}
    style=${"text-align:center;padding:8px;margin:0" + (low ? ";opacity:.55" : "")}>
    <div style="font-size:1.6rem;font-weight:800">${item.code}</div>
    <div class="available" style="font-size:2.2rem;font-weight:800;line-height:1">${item.available}</div>
    <small>${t("live.left")} · ${t("live.held")} <b class="held">${item.held}</b></small>
    <div class="hint" style="font-size:.75rem">${item.variant || item.sku}</div></div>`;
}

function CommentRow({comment, sessionId, onFixed}) {
  const [error, setError] = useState(null);
  const resolve = (body) => post(`/live-sessions/${sessionId}/comments/${encodeURIComponent(comment.id)}/resolve`, body)
    .then(onFixed).catch(setError);
  const candidates = (comment.lines || []).flatMap((l) => (l.candidates || (l.sku ? [l.sku] : [])).map((sku) => ({sku, quantity: l.quantity || 1})));
  const waiting = comment.result === "needs_review" && !comment.fixed;
  return html`<li class="card live-comment" data-result=${comment.fixed ? "resolved" : comment.result} data-comment=${comment.id}>
    <div class="row"><strong>${comment.author_name}</strong>
      <span class="badge">${t("live.result." + (comment.fixed ? "resolved" : comment.result))}</span></div>
    <div>${comment.text}</div>
    ${comment.reason && html`<small class="hint">${comment.reason}</small>`}
    ${waiting && html`<div class="row" style="flex-wrap:wrap;justify-content:flex-start">
      ${candidates.map((c) => html`<button type="button" class="secondary fix" data-sku=${c.sku}
        onClick=${() => resolve({lines: [c]})}>${c.sku} x${c.quantity}</button>`)}
      <button type="button" class="secondary dismiss" onClick=${() => resolve({dismiss: true})}>${t("live.dismiss")}</button></div>`}
    <${ErrorNote} error=${error} />
  </li>`;
}

function LiveNow({id}) {
  const [view, setView] = useState(null);
  const [comments, setComments] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const since = useRef(null);
  const textRef = useRef(null);
  const merge = (fresh) => setComments((old) => {
    const seen = new Set(fresh.map((c) => c.id));
    return [...fresh, ...old.filter((c) => !seen.has(c.id))].slice(0, KEEP_COMMENTS);
  });
  const refresh = () => get(`/live-sessions/${id}`, since.current ? {since: since.current} : undefined).then((v) => {
    since.current = v.now;
    setView(v);
    merge(v.comments);
    setError(null);
  }).catch(setError);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [id]);
  if (!view) return error ? html`<${ErrorNote} error=${error} />` : html`<${Loading} />`;
  const capture = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    setBusy(true);
    post(`/live-sessions/${id}/comments`, {author_name: f.get("author_name"), text: f.get("text")})
      .then(() => { ev.target.querySelector("[name=text]").value = ""; textRef.current && textRef.current.focus(); return refresh(); })
      .catch(setError).finally(() => setBusy(false));
  };
  const fixed = (commentId) => () => { setComments((old) => old.map((c) => (c.id === commentId ? {...c, fixed: true} : c))); refresh(); };
  const end = () => {
    if (!confirm(t("live.confirmEnd"))) return;
    post(`/live-sessions/${id}/actions/end`).then(() => navigate(`#/live/${id}/summary`)).catch(setError);
  };
  const byCode = [];
  for (const item of view.items) {
    const same = byCode.find((x) => x.code === item.code);
    if (same) same.variants.push(item); else byCode.push({code: item.code, variants: [item]});
  }
  return html`<section id="live-now" style="padding-bottom:150px">
    <div class="row"><h1 style="margin:0">${view.title}</h1>
      ${view.status === "open" ? html`<button type="button" class="secondary" id="live-end" onClick=${end}>${t("live.end")}</button>`
        : html`<a href=${`#/live/${id}/summary`}>${t("live.summary")}</a>`}</div>
    <p class="row"><span>${t("live.orders")}: <b id="live-orders">${view.orders.length}</b></span>
      <span>${t("live.revenue")}: <b id="live-revenue"><${Money} value=${view.revenue} /></b></span></p>
    ${view.facebook_error && html`<p class="error" role="alert">${view.facebook_error}</p>`}
    <div id="live-counters" style="display:grid;grid-template-columns:repeat(auto-fill,minmax(100px,1fr));gap:6px">
      ${view.items.map((item) => html`<${Counter} key=${item.sku} item=${item} />`)}</div>
    <ul class="list" id="live-comments">
      ${comments.length ? comments.map((c) => html`<${CommentRow} key=${c.id} comment=${c} sessionId=${id} onFixed=${fixed(c.id)} />`)
        : html`<li class="hint">${t("live.noComments")}</li>`}</ul>
    <${ErrorNote} error=${error} />
    ${view.status === "open" && html`<form class="bottom" id="live-input" onSubmit=${capture} style="flex-direction:column">
      <input name="author_name" required maxlength="200" placeholder=${t("live.buyer")} aria-label=${t("live.buyer")} />
      <div class="row gap"><input name="text" ref=${textRef} required maxlength="2000" placeholder=${t("live.comment")}
        aria-label=${t("live.comment")} autocomplete="off" />
        <button class="primary" type="submit" disabled=${busy}>${t("live.capture")}</button></div></form>`}
  </section>`;
}

function Summary({id}) {
  const summary = useLoad(() => post(`/live-sessions/${id}/actions/end`), [id]);
  const [copied, setCopied] = useState(null);
  if (summary.loading && !summary.data) return html`<${Loading} />`;
  if (!summary.data) return html`<${ErrorNote} error=${summary.error} />`;
  const s = summary.data;
  const copy = (buyer) => navigator.clipboard.writeText(buyer.message).then(() => setCopied(buyer.id)).catch(() => setCopied(null));
  return html`<section id="live-summary">
    <h1>${t("live.summary")}: ${s.title}</h1>
    <p class="row"><span>${t("live.orders")}: <b>${s.orders}</b></span><span>${t("live.revenue")}: <b><${Money} value=${s.revenue} /></b></span></p>
    <ul class="list">${s.buyers.map((b) => html`<li class="card live-buyer" data-order=${b.id}>
      <div class="row"><strong>${b.buyer}</strong><${Money} value=${b.total} /></div>
      <textarea readonly rows="6" style="width:100%">${b.message}</textarea>
      <button type="button" class="secondary copy" onClick=${() => copy(b)}>${copied === b.id ? t("live.copied") : t("live.copy")}</button>
    </li>`)}</ul>
  </section>`;
}

export function Live({id, rest}) {
  if (!id) return html`<${Sessions} />`;
  if (rest && rest[0] === "summary") return html`<${Summary} id=${id} />`;
  return html`<${LiveNow} id=${id} />`;
}
