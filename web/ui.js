// Small shared pieces: the html tag, data loading, badges, the bottom sheet, the quantity stepper,
// printing an HTML document, and the keyboard-wedge scanner (fast keystrokes ending in Enter).
import {h} from "preact";
import {useCallback, useEffect, useLayoutEffect, useRef, useState} from "preact/hooks";
import htm from "htm";
import {money, t} from "./i18n.js";

export const html = htm.bind(h);

export function navigate(hash) { location.hash = hash; }

/** Loads with `load()` when `deps` change; `reload()` again on demand; keeps the last data while reloading. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({data: null, error: null, loading: true});
  const latest = useRef(0);
  const inFlight = useRef(null);
  const reload = useCallback(() => {
    const ticket = ++latest.current;
    setState((s) => ({...s, loading: true}));
    const done = () => { if (ticket === latest.current) inFlight.current = null; };
    inFlight.current = Promise.resolve().then(load).then(
      (data) => { if (ticket === latest.current) setState({data, error: null, loading: false}); done(); return data; },
      (error) => { if (ticket === latest.current) setState((s) => ({...s, error, loading: false})); done(); });
    return inFlight.current;
  }, deps);
  /** For polling: loads again unless a load is already on its way. */
  const refresh = useCallback(() => inFlight.current || reload(), [reload]);
  useEffect(() => { reload(); }, [reload]);
  const setData = (next) => setState((s) => ({...s, data: typeof next === "function" ? next(s.data) : next}));
  return {...state, reload, refresh, setData};
}

export const Money = ({value}) => html`<span class="money">${money(value)}</span>`;
export const StatusBadge = ({status}) => html`<span class=${"badge s-" + status}>${t("status." + status)}</span>`;
export const ErrorNote = ({error}) => (error ? html`<p class="error" role="alert">${error.message || String(error)}</p>` : null);
export const Loading = () => html`<p class="hint">${t("loading")}</p>`;

export function Sheet({title, onClose, children}) {
  return html`<div class="sheet-backdrop" onClick=${(e) => e.target === e.currentTarget && onClose()}>
    <section class="sheet" role="dialog" aria-modal="true" aria-label=${title}>
      <header class="sheet-head"><h2>${title}</h2>
        <button type="button" class="icon" aria-label=${t("close")} onClick=${onClose}>✕</button></header>
      ${children}
    </section></div>`;
}

export function Stepper({value, onChange, min = 1, label}) {
  return html`<div class="stepper" role="group" aria-label=${label || t("quantity")}>
    <button type="button" aria-label="-" onClick=${() => onChange(Math.max(min, value - 1))}>−</button>
    <input type="number" inputmode="numeric" min=${min} value=${value} aria-label=${label || t("quantity")}
      onChange=${(e) => onChange(Math.max(min, parseInt(e.target.value, 10) || min))} />
    <button type="button" aria-label="+" onClick=${() => onChange(value + 1)}>+</button></div>`;
}

/** A whole-VND number input (digits only; shows no decimals). */
export function MoneyInput({value, onInput, label, name}) {
  return html`<label><span>${label}</span><input name=${name} type="text" inputmode="numeric" value=${value ? String(value) : ""}
    onInput=${(e) => onInput(parseInt(e.target.value.replace(/\D/g, ""), 10) || 0)} /></label>`;
}

export function buzz(pattern) { try { navigator.vibrate && navigator.vibrate(pattern); } catch { /* not on this device */ } }

/** Prints an HTML document (packing slip, receipt) through a hidden frame: no pop-up needed. */
export function printHtml(markup) {
  const frame = document.createElement("iframe");
  frame.className = "print-frame";
  frame.setAttribute("aria-hidden", "true");
  frame.srcdoc = markup;
  frame.onload = () => { frame.contentWindow.focus(); frame.contentWindow.print(); setTimeout(() => frame.remove(), 60000); };
  document.body.append(frame);
  return frame;
}

const WEDGE_PAUSE_MS = 500;  // a pause this long starts a new burst
const WEDGE_AVERAGE_MS = 60;  // scanners type a character every few ms; people, every 120+ ms
const WEDGE_MIN = 4;

/** Calls onScan(code) for a keyboard-wedge scan: at least 4 characters typed at scanner speed (on
 * average: one stalled keystroke does not split a code), then Enter. What the burst typed into a
 * focused field is taken back out, so a scan never garbles a form. */
export function useWedge(onScan, enabled = true) {
  const handler = useRef(onScan);
  handler.current = onScan;
  useLayoutEffect(() => {  // listening before the screen is shown: a scan right away is not lost
    if (!enabled) return undefined;
    let buffer = "", first = 0, last = 0, field = null, before = "";
    const onKey = (e) => {
      const now = performance.now();
      if (e.key === "Enter") {
        const fast = buffer.length >= WEDGE_MIN && (now - first) / buffer.length < WEDGE_AVERAGE_MS && now - last < WEDGE_PAUSE_MS;
        if (fast) {
          e.preventDefault();
          e.stopPropagation();
          if (field) { field.value = before; field.dispatchEvent(new Event("input", {bubbles: true})); }
          handler.current(buffer);
        }
        buffer = "";
        return;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!buffer || now - last > WEDGE_PAUSE_MS) {
        buffer = "";
        first = now;
        field = document.activeElement && "value" in document.activeElement ? document.activeElement : null;
        before = field ? field.value : "";
      }
      buffer += e.key;
      last = now;
    };
    addEventListener("keydown", onKey, true);
    return () => removeEventListener("keydown", onKey, true);
  }, [enabled]);
}
