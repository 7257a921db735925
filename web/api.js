// The one client of /api/v1: bearer token with silent renewal (one refresh at a time), an
// Idempotency-Key on every POST/PATCH, problem+json turned into a plain Vietnamese message,
// and the offline outbox: sales are written to IndexedDB with their key before they are sent,
// so a sale made offline (even across a reload) reaches the server exactly once.
import {lang, maybe, t} from "./i18n.js";
import {idb} from "./store.js";

const BASE = "/api/v1";
const SESSION = "quay.session";

export class ApiError extends Error {
  constructor(message, {status = 0, problem = null, offline = false} = {}) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.offline = offline;
    this.fields = Object.fromEntries(((problem && problem.errors) || []).map((e) => [e.field, e.message]));
  }
}

export function session() { try { return JSON.parse(localStorage.getItem(SESSION)); } catch { return null; } }
export function saveSession(value) { localStorage.setItem(SESSION, JSON.stringify(value)); }
export function forgetSession() {
  localStorage.removeItem(SESSION);
  if (self.caches) caches.delete("quay-api").catch(() => {});  // another person may sign in next
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/** A problem+json answer as one readable sentence. The server words `detail` and `errors[].message`
 * in the language we ask for (Accept-Language); field names get the screen's own labels. */
export function problemMessage(problem, status) {
  const code = (problem && problem.status) || status;
  const fallback = maybe("problem." + code) || t("failed");
  if (!problem) return fallback;
  const fields = (problem.errors || []).map((e) => {
    const label = (lang === "vi" && maybe("fields." + e.field)) ||
      e.field.replace(/^lines\.(\d+)\.?/, (_, n) => `${lang === "vi" ? "Dòng" : "Line"} ${+n + 1} `);
    return `${label}: ${e.message}`;
  });
  return [problem.detail || fallback, ...fields].join(" · ");
}

let renewing = null;
async function renew() {
  const current = session();
  if (!current || !current.refresh_token) throw new ApiError(t("problem.401"), {status: 401});
  renewing = renewing || send("/auth/refresh", {method: "POST", body: {refresh_token: current.refresh_token}, auth: false})
    .then((fresh) => { saveSession(fresh); return fresh; })
    .finally(() => { renewing = null; });
  return renewing;
}

async function send(path, {method = "GET", body, raw, key, auth = true, text = false}) {
  const headers = {"X-Quay-Client": "pwa", "Accept-Language": lang === "vi" ? "vi" : "en"};
  const payload = raw !== undefined ? raw : body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const current = session();
  if (auth && current) headers.Authorization = "Bearer " + current.access_token;
  if (method === "POST" || method === "PATCH" || method === "PUT") headers["Idempotency-Key"] = key || newKey();
  let res;
  try { res = await fetch(BASE + path, {method, headers, body: payload}); }
  catch { throw new ApiError(t("offline"), {offline: true}); }
  if (res.status === 204) return null;
  if (res.ok && text) return res.text();
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(problemMessage(data, res.status), {status: res.status, problem: data});
  const cachedAt = res.headers.get("X-Quay-Cached");
  if (cachedAt && data && typeof data === "object") Object.defineProperty(data, "$cachedAt", {value: cachedAt});
  return data;
}

/** Calls the API as the signed-in staff member; an expired access token is renewed once, silently. */
export async function request(path, options = {}) {
  const key = options.key || (["POST", "PATCH", "PUT"].includes(options.method) ? newKey() : undefined);
  try { return await send(path, {...options, key}); }
  catch (error) {
    if (error.status !== 401 || options.auth === false || !session()) throw error;
    try { await renew(); }
    catch (failed) {
      if (failed.status === 401) { forgetSession(); onExpired(); }
      throw failed;
    }
    return send(path, {...options, key});
  }
}

let onExpired = () => {};
/** What to do when the refresh token is refused too (the app shows the sign-in screen). */
export function whenExpired(fn) { onExpired = fn; }

export const get = (path, params) => request(params ? path + "?" + query(params) : path);
export const post = (path, body, options = {}) => request(path, {...options, method: "POST", body: body || {}});
export const patch = (path, body, options = {}) => request(path, {...options, method: "PATCH", body});
export const put = (path, body, options = {}) => request(path, {...options, method: "PUT", body});
export const getText = (path) => request(path, {text: true});

export function query(params) {
  return Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
}

// --- the outbox ----------------------------------------------------------------------------
const listeners = new Set();
const RETRY_LATER = (error) => error.offline || error.status >= 500 || error.status === 429 || error.status === 401;

async function notify() {
  const entries = await idb.all("outbox");
  const state = {pending: entries.filter((e) => !e.failed).length, failed: entries.filter((e) => e.failed)};
  listeners.forEach((fn) => fn(state));
  return state;
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request("quay-outbox", work) : work();
}

export const outbox = {
  /** Keeps a POST on this device, with its Idempotency-Key and its exact body text (the server
   * compares the bytes of a retry), until the server has it. */
  async add(path, body, label) {
    const entry = {key: newKey(), path, body, json: JSON.stringify(body), label, at: new Date().toISOString(), failed: null};
    await idb.put("outbox", entry);
    await notify();
    return entry;
  },
  /** Sends what is waiting, oldest first, one sender at a time. Returns {key: answer} of what went through. */
  flush() {
    return withLock(async () => {
      const sent = {};
      if (!navigator.onLine) return sent;
      const entries = (await idb.all("outbox")).filter((e) => !e.failed).sort((a, b) => a.at.localeCompare(b.at));
      for (const entry of entries) {
        try {
          sent[entry.key] = await request(entry.path, {method: "POST", raw: entry.json, key: entry.key});
          await idb.delete("outbox", entry.key);
        } catch (error) {
          if (RETRY_LATER(error)) break;
          await idb.put("outbox", {...entry, failed: error.message});
        }
      }
      await notify();
      return sent;
    });
  },
  discard: async (key) => { await idb.delete("outbox", key); await notify(); },
  state: notify,
  subscribe(fn) { listeners.add(fn); notify(); return () => listeners.delete(fn); },
};

addEventListener("online", () => outbox.flush().catch(() => {}));
setInterval(() => { if (navigator.onLine) outbox.state().then((s) => s.pending && outbox.flush()).catch(() => {}); }, 20000);
