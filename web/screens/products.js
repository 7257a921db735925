// Finding a product: accent-insensitive search (the server folds accents) or an exact barcode / SKU.
import {useEffect, useState} from "preact/hooks";
import {get} from "../api.js";
import {t} from "../i18n.js";
import {Money, html} from "../ui.js";

export function variantLabel(product, variant) {
  const attributes = Object.values(variant.attributes || {}).join(" / ");
  return attributes ? `${product.name} (${attributes})` : product.name;
}

export const serverSearch = (text) => get("/products", {q: text, limit: 20, status: "active"}).then((r) => r.items);

/** The variant a scanned or typed code stands for: its barcode first, then an exact SKU. */
export async function findByCode(code) {
  try { return await get(`/variants/by-barcode/${encodeURIComponent(code)}`); }
  catch (error) { if (error.status !== 404) throw error; }
  for (const product of await serverSearch(code)) {
    const variant = product.variants.find((v) => v.sku.toLowerCase() === code.toLowerCase());
    if (variant) return {variant, product};
  }
  throw new Error(t("notFoundCode", {code}));
}

export function ProductPicker({onPick, onCamera, search = serverSearch, onCode}) {
  const [text, setText] = useState("");
  const [results, setResults] = useState([]);
  useEffect(() => {
    if (text.trim().length < 2) { setResults([]); return undefined; }
    const timer = setTimeout(() => search(text.trim()).then(setResults).catch(() => setResults([])), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const pick = (variant, product) => { onPick(variant, product); setText(""); setResults([]); };
  const onKey = (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (text.trim() && onCode) { onCode(text.trim()); setText(""); }
  };
  return html`<div class="picker">
    <div class="row gap"><input type="search" name="product_q" placeholder=${t("productSearch")} aria-label=${t("productSearch")}
        value=${text} onInput=${(e) => setText(e.target.value)} onKeyDown=${onKey} />
      ${onCamera && html`<button type="button" class="icon" aria-label=${t("camera")} data-camera onClick=${onCamera}>📷</button>`}</div>
    ${results.length > 0 && html`<ul class="list results">${results.flatMap((p) => p.variants.filter((v) => v.status !== "inactive")
      .map((v) => html`<li><button type="button" class="result" data-sku=${v.sku} onClick=${() => pick(v, p)}>
        <span class="row"><b>${variantLabel(p, v)}</b><${Money} value=${v.price} /></span><span class="sub mono">${v.sku}</span></button></li>`))}</ul>`}
  </div>`;
}
