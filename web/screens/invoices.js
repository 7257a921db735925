// E-invoices: the list (status filter), one invoice (issue, print A4 / 80 mm, cancel with a reason), a new
// invoice for an order (#/invoices/new/<order> or #/invoices/new?order=<order>: buyer form, a company filled
// from its tax code when this shop invoiced it before) and the invoice settings.
import {useState} from "preact/hooks";
import {get, getText, post, put} from "../api.js";
import {addWords, t, when} from "../i18n.js";
import {ErrorNote, Loading, Money, html, navigate, printHtml, useLoad} from "../ui.js";

addWords({
  vi: {invoiceStatus: {draft: "Nháp", issued: "Đã phát hành", canceled: "Đã hủy", replaced: "Đã bị thay thế",
    adjusted: "Đã điều chỉnh"}, inv: {
    invoices: "Hóa đơn điện tử", invoiceSettings: "Thiết lập hóa đơn", newInvoice: "Lập hóa đơn",
    allStatuses: "Mọi trạng thái", noInvoices: "Chưa có hóa đơn.", invoiceNo: "Số", draftNo: "Nháp",
    buyerRetail: "Khách lẻ", buyerCompany: "Công ty / hộ kinh doanh", buyerName: "Tên người mua",
    company: "Tên đơn vị", taxCode: "Mã số thuế", address: "Địa chỉ", emailLabel: "Email", lookup: "Tìm",
    buyerNotFound: "Chưa có người mua này; hãy nhập tay.", issueInvoice: "Lập và phát hành",
    issue: "Phát hành", printA4: "In A4", print80: "In 80 mm", cancelInvoice: "Hủy hóa đơn", cancelReason: "Lý do hủy",
    confirmCancel: "Xác nhận hủy", lookupCode: "Mã tra cứu", beforeVat: "Tiền trước thuế", vat: "Thuế GTGT",
    total: "Tổng cộng", seller: "Người bán", provider: "Nhà cung cấp", templateCode: "Mẫu số", symbol: "Ký hiệu",
    defaultVat: "Thuế suất mặc định", autoIssuePos: "Tự phát hành hóa đơn cho đơn tại quầy", username: "Tài khoản",
    password: "Mật khẩu", credentialsKept: "Đã lưu tài khoản (không hiển thị lại)", apiBase: "Địa chỉ API (sandbox)",
    save: "Lưu", saved: "Đã lưu", setUpFirst: "Hãy thiết lập hóa đơn trước.", order: "Đơn hàng", reason: "Lý do",
    replaces: "Thay thế hóa đơn", adjusts: "Điều chỉnh hóa đơn", replacedBy: "Bị thay thế bởi", adjustedBy: "Được điều chỉnh bởi",
  }},
  en: {invoiceStatus: {draft: "Draft", issued: "Issued", canceled: "Canceled", replaced: "Replaced", adjusted: "Adjusted"},
    inv: {
    invoices: "E-invoices", invoiceSettings: "Invoice settings", newInvoice: "New invoice",
    allStatuses: "All statuses", noInvoices: "No invoices yet.", invoiceNo: "No.", draftNo: "Draft",
    buyerRetail: "Walk-in buyer", buyerCompany: "Company / household business", buyerName: "Buyer's name",
    company: "Company name", taxCode: "Tax code", address: "Address", emailLabel: "Email", lookup: "Find",
    buyerNotFound: "Not invoiced before; type the details.", issueInvoice: "Create and issue",
    issue: "Issue", printA4: "Print A4", print80: "Print 80 mm", cancelInvoice: "Cancel invoice", cancelReason: "Reason",
    confirmCancel: "Confirm cancel", lookupCode: "Lookup code", beforeVat: "Before VAT", vat: "VAT",
    total: "Total", seller: "Seller", provider: "Provider", templateCode: "Template", symbol: "Symbol",
    defaultVat: "Default VAT rate", autoIssuePos: "Issue counter sales by themselves", username: "Username",
    password: "Password", credentialsKept: "Account stored (never shown again)", apiBase: "API address (sandbox)",
    save: "Save", saved: "Saved", setUpFirst: "Set up invoicing first.", order: "Order", reason: "Reason",
    replaces: "Replaces invoice", adjusts: "Adjusts invoice", replacedBy: "Replaced by", adjustedBy: "Adjusted by",
  }},
});

/** This screen's own words (kept in their own group, so no other screen's word changes). */
const w = (key) => t("inv." + key);
const STATUSES = ["draft", "issued", "canceled", "replaced", "adjusted"];
const label = (invoice) => (invoice.number ? `${invoice.symbol} · ${w("invoiceNo")} ${invoice.number}` : w("draftNo"));
const Status = ({status}) => html`<span class=${"badge inv-" + status}>${t("invoiceStatus." + status)}</span>`;

function InvoiceList({me}) {
  const [status, setStatus] = useState("");
  const list = useLoad(() => get("/invoices", {status}), [status]);
  const canManage = me.permissions.includes("invoices.manage");
  return html`<section>
    <h1>${w("invoices")}</h1>
    <label><span class="sr-only">${w("allStatuses")}</span>
      <select id="invoice-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
        <option value="">${w("allStatuses")}</option>
        ${STATUSES.map((s) => html`<option value=${s}>${t("invoiceStatus." + s)}</option>`)}</select></label>
    <${ErrorNote} error=${list.error} />
    ${list.loading && !list.data ? html`<${Loading} />` : html`<ul class="list" id="invoice-list">
      ${(list.data ? list.data.items : []).map((inv) => html`<li class="card" data-invoice=${inv.id}>
        <a href=${"#/invoices/" + inv.id}><strong>${label(inv)}</strong> <${Status} status=${inv.status} />
        <p class="hint">${(inv.buyer && (inv.buyer.company || inv.buyer.name)) || w("buyerRetail")} ·
          <${Money} value=${inv.totals.total} /></p></a></li>`)}
      ${list.data && !list.data.items.length && html`<li class="hint">${w("noInvoices")}</li>`}</ul>`}
    ${canManage && html`<a class="secondary button" id="invoice-settings-link" href="#/invoices/settings">${w("invoiceSettings")}</a>`}
  </section>`;
}

function CancelForm({invoice, onDone}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState(null);
  const submit = (ev) => {
    ev.preventDefault();
    const reason = new FormData(ev.target).get("reason");
    post(`/invoices/${invoice.id}/actions/cancel`, {reason}).then(onDone).catch(setError);
  };
  if (!open) return html`<button type="button" class="secondary" id="cancel-invoice" onClick=${() => setOpen(true)}>${w("cancelInvoice")}</button>`;
  return html`<form class="card" id="cancel-form" onSubmit=${submit}>
    <label><span>${w("cancelReason")}</span><input name="reason" required maxlength="500" /></label>
    <${ErrorNote} error=${error} />
    <button class="primary" type="submit">${w("confirmCancel")}</button></form>`;
}

function InvoiceView({me, id}) {
  const invoice = useLoad(() => get(`/invoices/${encodeURIComponent(id)}`), [id]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!invoice.data) return invoice.error ? html`<${ErrorNote} error=${invoice.error} />` : html`<${Loading} />`;
  const inv = invoice.data;
  const canManage = me.permissions.includes("invoices.manage");
  const print = (size) => getText(`/invoices/${inv.id}/print?size=${size}`).then(printHtml).catch(setError);
  const issue = () => {
    setBusy(true);
    post(`/invoices/${inv.id}/actions/issue`, {}).then(invoice.reload).catch(setError).finally(() => setBusy(false));
  };
  const buyer = inv.buyer || {};
  return html`<section id="invoice-view" data-status=${inv.status}>
    <h1 id="invoice-title">${label(inv)}</h1>
    <p><${Status} status=${inv.status} /> ${inv.issued_at && html`· ${when(inv.issued_at)}`}</p>
    <p>${buyer.company || buyer.name || w("buyerRetail")}${buyer.tax_code ? ` · ${w("taxCode")} ${buyer.tax_code}` : ""}</p>
    <ul class="list">${inv.lines.map((line) => html`<li>${line.name} × ${line.quantity} · ${line.vat_rate}
      <span class="money-right"><${Money} value=${line.amount} /></span></li>`)}</ul>
    <dl class="totals"><dt>${w("beforeVat")}</dt><dd><${Money} value=${inv.totals.before_vat} /></dd>
      <dt>${w("vat")}</dt><dd><${Money} value=${inv.totals.vat} /></dd>
      <dt>${w("total")}</dt><dd id="invoice-total"><${Money} value=${inv.totals.total} /></dd></dl>
    <p class="hint">${inv.totals.total_in_words}</p>
    ${inv.lookup_code && html`<p>${w("lookupCode")}: <b id="lookup-code">${inv.lookup_code}</b></p>`}
    ${inv.cancel_reason && html`<p>${w("reason")}: ${inv.cancel_reason}</p>`}
    ${inv.link && html`<p id="invoice-link">${w(inv.link.kind)} <a href=${"#/invoices/" + inv.link.invoice_id}>
      ${inv.link.series} · ${w("invoiceNo")} ${inv.link.number}</a></p>`}
    ${inv.replaced_by && html`<p>${w("replacedBy")} <a href=${"#/invoices/" + inv.replaced_by}>${inv.replaced_by.slice(-6)}</a></p>`}
    ${(inv.adjusted_by || []).map((other) => html`<p>${w("adjustedBy")} <a href=${"#/invoices/" + other}>${other.slice(-6)}</a></p>`)}
    <${ErrorNote} error=${error} />
    <div class="bottom actions">
      ${canManage && inv.allowed_actions.includes("issue") && html`<button type="button" class="primary" id="issue-invoice"
        disabled=${busy} onClick=${issue}>${w("issue")}</button>`}
      <button type="button" class="secondary" id="print-a4" onClick=${() => print("a4")}>${w("printA4")}</button>
      <button type="button" class="secondary" id="print-80mm" onClick=${() => print("80mm")}>${w("print80")}</button>
    </div>
    ${canManage && inv.allowed_actions.includes("cancel") && html`<${CancelForm} invoice=${inv} onDone=${invoice.reload} />`}
  </section>`;
}

function orderFromHash(rest) {
  if (rest[0]) return rest[0];
  const query = location.hash.split("?")[1] || "";
  return new URLSearchParams(query).get("order");
}

function NewInvoice({rest}) {
  const orderId = orderFromHash(rest);
  const order = useLoad(() => get(`/orders/${encodeURIComponent(orderId)}`), [orderId]);
  const [company, setCompany] = useState(false);
  const [buyer, setBuyer] = useState({});
  const [note, setNote] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const field = (name) => ({name, value: buyer[name] || "", onInput: (e) => setBuyer({...buyer, [name]: e.target.value})});
  const lookup = () => {
    setNote(null);
    get(`/invoice-buyers/${encodeURIComponent((buyer.tax_code || "").trim())}`)
      .then((found) => setBuyer({...buyer, ...found})).catch(() => setNote(w("buyerNotFound")));
  };
  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    const given = Object.fromEntries(Object.entries(buyer).filter(([k, v]) => v && (company || !["company", "tax_code", "address"].includes(k))));
    try {
      const draft = await post("/invoices", {order_id: orderId, ...(Object.keys(given).length ? {buyer: given} : {})});
      await post(`/invoices/${draft.id}/actions/issue`, {});
      navigate("#/invoices/" + draft.id);
    } catch (e) {
      if (e.problem && e.problem.invoice_id) navigate("#/invoices/" + e.problem.invoice_id);
      setError(e);
    } finally { setBusy(false); }
  };
  if (!order.data) return order.error ? html`<${ErrorNote} error=${order.error} />` : html`<${Loading} />`;
  return html`<form id="new-invoice" onSubmit=${submit}>
    <h1>${w("newInvoice")}</h1>
    <p>${w("order")} ${order.data.id.slice(-6)} · <${Money} value=${order.data.total} /></p>
    <fieldset class="row"><label class="check"><input type="radio" name="kind" checked=${!company} onChange=${() => setCompany(false)} /> ${w("buyerRetail")}</label>
      <label class="check"><input type="radio" name="kind" id="buyer-company" checked=${company} onChange=${() => setCompany(true)} /> ${w("buyerCompany")}</label></fieldset>
    ${company && html`<label><span>${w("taxCode")}</span><div class="row"><input ...${field("tax_code")} inputmode="numeric" maxlength="14" required />
        <button type="button" class="secondary" id="lookup-buyer" onClick=${lookup}>${w("lookup")}</button></div></label>
      ${note && html`<p class="hint" id="buyer-note">${note}</p>`}
      <label><span>${w("company")}</span><input ...${field("company")} required maxlength="400" /></label>
      <label><span>${w("address")}</span><input ...${field("address")} required maxlength="400" /></label>
      <label><span>${w("emailLabel")}</span><input ...${field("email")} type="email" maxlength="254" /></label>`}
    <label><span>${w("buyerName")}</span><input ...${field("name")} maxlength="200" /></label>
    <${ErrorNote} error=${error} />
    <div class="bottom actions"><button class="primary" type="submit" id="issue-new" disabled=${busy}>${w("issueInvoice")}</button></div>
  </form>`;
}

function SettingsForm() {
  const current = useLoad(() => get("/invoice-settings"));
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  if (!current.data) return current.error ? html`<${ErrorNote} error=${current.error} />` : html`<${Loading} />`;
  const s = current.data.configured ? current.data : {seller: {}, provider: "manual", template_code: "1", symbol: "", default_vat_rate: "10%"};
  const submit = (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = {seller: {name: f.get("seller_name"), tax_code: f.get("seller_tax_code"), address: f.get("seller_address")},
      provider: f.get("provider"), template_code: f.get("template_code"), symbol: f.get("symbol"),
      default_vat_rate: f.get("default_vat_rate"), auto_issue_pos: f.get("auto_issue_pos") === "on"};
    if (f.get("api_base")) body.api_base = f.get("api_base");
    if (f.get("username")) body.credentials = {username: f.get("username"), password: f.get("password")};
    setError(null);
    put("/invoice-settings", body).then(() => { setSaved(true); current.reload(); }).catch(setError);
  };
  return html`<form id="invoice-settings" onSubmit=${submit}>
    <h1>${w("invoiceSettings")}</h1>
    <label><span>${w("seller")}</span><input name="seller_name" required value=${s.seller.name || ""} /></label>
    <label><span>${w("taxCode")}</span><input name="seller_tax_code" required inputmode="numeric" value=${s.seller.tax_code || ""} /></label>
    <label><span>${w("address")}</span><input name="seller_address" required value=${s.seller.address || ""} /></label>
    <label><span>${w("provider")}</span><select name="provider" value=${s.provider}>
      <option value="manual">Quay (manual)</option><option value="viettel">Viettel S-Invoice</option></select></label>
    <div class="row"><label><span>${w("templateCode")}</span><input name="template_code" required value=${s.template_code} /></label>
      <label><span>${w("symbol")}</span><input name="symbol" required placeholder="C26TAA" value=${s.symbol} /></label></div>
    <label><span>${w("defaultVat")}</span><select name="default_vat_rate" value=${s.default_vat_rate}>
      ${["10%", "8%", "5%", "0%", "KCT", "KKKNT"].map((r) => html`<option value=${r}>${r}</option>`)}</select></label>
    <label class="check"><input type="checkbox" name="auto_issue_pos" checked=${!!s.auto_issue_pos} /> ${w("autoIssuePos")}</label>
    <fieldset><legend>${w("provider")}</legend>
      ${s.credentials_set && s.credentials_set.length ? html`<p class="hint">${w("credentialsKept")}</p>` : ""}
      <label><span>${w("username")}</span><input name="username" autocomplete="off" /></label>
      <label><span>${w("password")}</span><input name="password" type="password" autocomplete="new-password" /></label>
      <label><span>${w("apiBase")}</span><input name="api_base" type="url" value=${s.api_base || ""} /></label></fieldset>
    <${ErrorNote} error=${error} />
    ${saved && html`<p class="hint" id="settings-saved">${w("saved")}</p>`}
    <div class="bottom actions"><button class="primary" type="submit">${w("save")}</button></div></form>`;
}

export function Invoices({me, id, rest = []}) {
  if (id === "new") return html`<${NewInvoice} me=${me} rest=${rest} />`;
  if (id === "settings") return html`<${SettingsForm} me=${me} />`;
  if (id) return html`<${InvoiceView} me=${me} id=${id} />`;
  return html`<${InvoiceList} me=${me} />`;
}
